// Checks of operation arguments: a wrong argument is the caller's mistake, refused with
// ARGS_INVALID and the argument's name, never a crash inside the contract.
import { ContractError, type ContractApi } from '@xinlian/contracts/api';
import { epcisErrors, URI } from './epcisValidator.js';
import { IDENTIFIER_CHARS_MAX } from './stateKeys.js';

export function argsObject(args: unknown): Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new ContractError('ARGS_INVALID', 'arguments must be an object');
  return args as Record<string, unknown>;
}

/** An EPC, class, lot or transformation identifier: a URI, as the schema requires in events. */
export function identifierArg(api: ContractApi, value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > IDENTIFIER_CHARS_MAX || epcisErrors(api, value, URI).length > 0) {
    throw new ContractError('ARGS_INVALID', `${name} must be a URI of at most ${IDENTIFIER_CHARS_MAX} characters`);
  }
  return value;
}

export function integerArg(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) throw new ContractError('ARGS_INVALID', `${name} must be an integer in ${min}..${max}`);
  return value as number;
}

export function textArg(value: unknown, name: string, charsMax: number): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > charsMax) throw new ContractError('ARGS_INVALID', `${name} must be a non-empty string of at most ${charsMax} characters`);
  return value;
}
