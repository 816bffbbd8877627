// Which recalls reach an identifier: its own, and those that marked it affected (`a/` keys). Read
// for every identifier an event touches, so that moving recalled goods is flagged when recorded.
import type { ContractApi } from '@xinlian/contracts/api';
import { affectedPrefix, recallKey, storedRange, type AffectedMark } from './stateKeys.js';

/** Recalled identifiers reported per identifier at most (an identifier is rarely in more than a few). */
const RECALLS_PER_ID_MAX = 100;

export function recallsReaching(api: ContractApi, id: string): string[] {
  const out: string[] = [];
  if (api.get(recallKey(id)) !== undefined) out.push(id);
  const prefix = affectedPrefix(id);
  for (const { key } of storedRange<AffectedMark>(api, prefix, RECALLS_PER_ID_MAX)) out.push(key.slice(prefix.length));
  return out;
}
