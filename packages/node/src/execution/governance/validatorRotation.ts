import { decodeValidatorsNextRecord, encodeValidatorsRecord, sysKey } from '@xinlian/protocol';
import type { StateReader, StateWrite } from '../application.js';

/**
 * What block `height` writes before its txs when an announced validator set reaches its effective
 * height: the set moves into sys/validators (in force since this height) and the announcement goes.
 * The header of this block already carries the new set's hash, since consensus for this height ran
 * with it (validatorSetAt reads the announcement for that).
 */
export function rotationWrites(state: StateReader, height: number): StateWrite[] {
  const bytes = state.get(sysKey.validatorsNext());
  if (bytes === undefined) return [];
  const next = decodeValidatorsNextRecord(bytes);
  // '<=' rather than '===': a set whose height was passed over must still take over, never linger.
  if (next.effectiveHeight > height) return [];
  return [
    { key: sysKey.validators(), value: encodeValidatorsRecord({ validators: next.validators, sinceHeight: height }) },
    { key: sysKey.validatorsNext(), value: null },
  ];
}
