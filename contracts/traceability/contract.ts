// Product traceability on GS1 EPCIS 2.0 (README.md): record the standard's five event types checked
// against its JSON schema, query the provenance of a product, lot or business transaction both ways
// with the keys to prove it, and recall a lot.
import { ContractError, defineContract, type Json } from '@xinlian/contracts/api';
import { argsObject } from './contractArgs.js';
import { eventSummary } from './eventSummary.js';
import { provenance } from './provenance.js';
import { recall, recallStatus } from './recall.js';
import { recordEvents } from './recordEvents.js';
import { eventKey, stored, type EventRecord } from './stateKeys.js';
import { SCHEMAS } from './epcisValidator.js';

// The answers are JSON by construction; their interfaces only lack the index signature Json has.
const json = (value: object): Json => value as unknown as Json;
const HASH = /^[0-9a-f]{64}$/;

/** The schemas the node compiles with the contract, for api.validate (ADR 012). */
export const schemas = SCHEMAS;

export default defineContract({
  recordEvents: (api, args: unknown, ctx) => json(recordEvents(api, args, ctx)),

  provenance: (api, args: unknown) => json(provenance(api, args)),

  recall: (api, args: unknown, ctx) => json(recall(api, args, ctx)),

  recallStatus: (api, args: unknown) => json(recallStatus(api, args)),

  /** One recorded event by its hash (or its state key e/<hash>), with who recorded it and when. */
  event(api, args: unknown) {
    const { key } = argsObject(args);
    const hash = typeof key === 'string' && key.startsWith('e/') ? key.slice(2) : key;
    if (typeof hash !== 'string' || !HASH.test(hash)) throw new ContractError('ARGS_INVALID', 'key must be an event hash (64 hex digits) or e/<hash>');
    const record = stored<EventRecord>(api, eventKey(hash));
    if (record === undefined) throw new ContractError('EVENT_NOT_FOUND', `no event ${hash}`);
    return json({ hash, key: eventKey(hash), ...record, summary: eventSummary(record) });
  },
});
