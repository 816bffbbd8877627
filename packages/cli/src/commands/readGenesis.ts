import { readFileSync } from 'node:fs';
import { parseGenesis, parseProofBundle, XinlianError, type Genesis, type ProofBundle } from '@xinlian/protocol';

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new XinlianError('NOT_FOUND', `${what} file not found: ${file}`);
    throw new XinlianError('BAD_REQUEST', `${what} file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export function readGenesisFile(file: string): Genesis {
  return parseGenesis(readJson(file, 'genesis'));
}

export function readProofFile(file: string): ProofBundle {
  return parseProofBundle(readJson(file, 'proof bundle'));
}
