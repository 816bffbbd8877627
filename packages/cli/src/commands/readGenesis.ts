import { readFileSync } from 'node:fs';
import { parseGenesis, XinlianError, type Genesis } from '@xinlian/protocol';

/** JSON from a file; a missing or unreadable file is an operating error (exit 3), not a failed check. */
export function readJsonFile(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new XinlianError('NOT_FOUND', `${what} file not found: ${file}`);
    throw new XinlianError('BAD_REQUEST', `${what} file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export function readGenesisFile(file: string): Genesis {
  return parseGenesis(readJsonFile(file, 'genesis'));
}
