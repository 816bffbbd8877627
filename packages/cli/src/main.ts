import { XinlianError } from '@xinlian/protocol';
import { UsageError } from './cliError.js';
import { COMMANDS, usage } from './commands/index.js';

/** Exit codes: 0 ok, 1 a check failed (verify), 2 usage error, 3 operating error. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`xinlian: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.summary}\nusage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`xinlian ${name}: ${error.message}\nusage: ${command.usage}\n`);
      return 2;
    }
    if (error instanceof XinlianError) {
      process.stderr.write(`xinlian ${name}: ${error.code}: ${error.message}\n`);
      return 3;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      process.stderr.write(`xinlian ${name}: ${(error as Error).message}\n`);
      return 3;
    }
    throw error;
  }
}
