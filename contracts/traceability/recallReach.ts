// Which recalls reach an identifier: its own (`r/`), and those that marked it affected (`a/`).
// Read for every identifier an event touches, so that moving recalled goods is flagged when it
// is recorded: two reads by key, since a range scan per identifier costs far more.
import type { ContractApi } from '@xinlian/contracts/api';
import { affectedKey, recallKey, stored, storeValue, type AffectedMark, type AffectedMarks } from './stateKeys.js';

export function recallsReaching(api: ContractApi, id: string): string[] {
  const marks = stored<AffectedMarks>(api, affectedKey(id));
  const out = marks === undefined ? [] : Object.keys(marks);
  if (api.get(recallKey(id)) !== undefined) out.unshift(id);
  return out;
}

/** Records that the recall of `recalled` reached `id`; false if it had already. */
export function markAffected(api: ContractApi, id: string, recalled: string, mark: AffectedMark, write = storeValue): boolean {
  const marks = stored<AffectedMarks>(api, affectedKey(id)) ?? {};
  if (Object.prototype.hasOwnProperty.call(marks, recalled)) return false;
  marks[recalled] = mark;
  write(api, affectedKey(id), marks);
  return true;
}
