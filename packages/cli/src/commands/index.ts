import type { Command } from './command.js';
import { hash, keygen, sign, verify } from './keyCommands.js';

export const COMMANDS: Record<string, Command> = {
  keygen,
  hash,
  sign,
  verify,
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(18)} ${c.summary}`);
  return `xinlian: a tokenless consortium blockchain (信链)\n\nusage: xinlian <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "xinlian <command> --help" for a command's options.\n`;
}
