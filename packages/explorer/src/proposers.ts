// Headers name their proposer by the suite's hash of its public key; the validators in force map
// those hashes back to names (a validator that has since left shows as its hash).
import { fromHex, pureSuite, toHex } from '@xinlian/protocol';
import { getJson } from './api.js';
import type { MembersView, StatusView } from './apiTypes.js';

export async function proposerNames(signal?: AbortSignal): Promise<Map<string, string>> {
  const [status, members] = await Promise.all([getJson<StatusView>('/v1/status', signal), getJson<MembersView>('/v1/members', signal)]);
  const suite = pureSuite(status.suite);
  const all = [...members.validators, ...(members.nextValidators?.validators ?? [])];
  return new Map(all.map((v) => [toHex(suite.hash(fromHex(v.publicKey))), `${v.name} (${v.org})`]));
}
