export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
  /** For commands like "evidence deposit": main dispatches to these directly. */
  subcommands?: Record<string, Command>;
}
