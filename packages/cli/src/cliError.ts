import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync } from 'node:fs';

/** A usage error: the CLI prints it with the command's usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs, with unknown flags and missing values turned into UsageError. */
export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(argv: string[], options: Options, positionalsMax: number): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as Parsed;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > positionalsMax) {
    throw new UsageError(`unexpected argument: ${parsed.positionals[positionalsMax]}`);
  }
  return parsed;
}

export function required(value: string | boolean | undefined, name: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing ${name}`);
  return value;
}

export function optional(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function integerOption(value: string | boolean | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || typeof value === 'boolean') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

/** A passphrase from --passphrase-file or XINLIAN_PASSPHRASE (never a flag: it would show in ps). */
export function passphraseFrom(file: string | boolean | undefined): string | undefined {
  if (typeof file === 'string') return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  return process.env.XINLIAN_PASSPHRASE || undefined;
}
