// recordEvents: stores each event once under the hash of its canonical JSON, indexes it under
// every identifier it touches, and carries existing recalls along the links it adds.
import { ContractError, type ContractApi, type ContractContext } from '@xinlian/contracts/api';
import { canonicalJson } from './canonicalJson.js';
import { bizStepName, eventLinks, kindOf, type EventLinks } from './epcisEvent.js';
import { linkedNodes } from './walkGraph.js';
import { markAffected, recallsReaching } from './recallReach.js';
import { eventKey, indexKey, storeValue, type EventRecord, type IndexEntry } from './stateKeys.js';
import { submittedEvents } from './submittedEvents.js';

/** The sandbox's limits per call: writes (distinct keys) and one stored value's JSON text. */
const WRITES_MAX = 1000;
const VALUE_CHARS_MAX = 65_536;
/** Room for the record's own fields around the event's JSON. */
const RECORD_OVERHEAD_CHARS = 512;

export interface RecordedEvent {
  hash: string;
  key: string;
  type: string;
}

export function recordEvents(api: ContractApi, args: unknown, ctx: ContractContext): { recorded: RecordedEvent[]; recalledItemsMoved: number } {
  const submitted = submittedEvents(args);
  let writes = 0;
  const put = (key: string, value: object): void => {
    if (++writes > WRITES_MAX) throw new ContractError('BATCH_TOO_LARGE', `more than ${WRITES_MAX} state writes (events and their index entries) in one call: record fewer events per call`);
    storeValue(api, key, value);
  };
  const recorded: RecordedEvent[] = [];
  let recalledItemsMoved = 0;
  for (const { event, pointer, context } of submitted) {
    let text: string;
    try {
      text = canonicalJson(event);
    } catch (error) {
      throw new ContractError('ARGS_INVALID', `${pointer}: ${(error as Error).message}`);
    }
    const hash = api.hash(text);
    if (api.get(eventKey(hash)) !== undefined) throw new ContractError('EVENT_DUPLICATE', `${pointer}: this event is already recorded as ${eventKey(hash)}`);
    const contextChars = context === undefined ? 0 : JSON.stringify(context).length;
    if (text.length + contextChars + RECORD_OVERHEAD_CHARS > VALUE_CHARS_MAX) {
      throw new ContractError('EVENT_TOO_LARGE', `${pointer}: ${text.length + contextChars} characters with its context; a stored event is at most ${VALUE_CHARS_MAX - RECORD_OVERHEAD_CHARS}`);
    }
    const record: EventRecord = { event, org: ctx.caller.org, height: ctx.height, timeMs: ctx.timeMs, txId: ctx.txId };
    if (context !== undefined) record.context = context;
    put(eventKey(hash), record);
    const links = eventLinks(event);
    for (const [id, roles] of links.touches) put(indexKey(id, ctx.height, hash), { e: hash, r: roles, o: ctx.caller.org } satisfies IndexEntry);
    const type = links.type;
    api.emit('trace.eventRecorded', {
      key: hash, type, org: ctx.caller.org, ids: links.touches.length,
      ...(typeof event.action === 'string' ? { action: event.action } : {}),
      ...(bizStepName(event.bizStep) !== null ? { bizStep: bizStepName(event.bizStep)! } : {}),
    });
    const moved = carryRecalls(api, links, hash, ctx.height, put);
    if (moved.size > 0) {
      recalledItemsMoved++;
      const [first, lots] = [...moved][0]!;
      api.emit('trace.recalledItemMoved', { key: hash, type, id: first, recalled: lots.join(' '), ids: moved.size });
    }
    recorded.push({ hash, key: eventKey(hash), type });
  }
  return { recorded, recalledItemsMoved };
}

/**
 * The identifiers of this event that recalls reach, and the recalls they carry over its links:
 * an output made from a recalled input, or a container packed with a recalled item, is marked
 * affected (`a/`) too, so that its own later moves are flagged.
 */
function carryRecalls(api: ContractApi, links: EventLinks, hash: string, height: number, put: (key: string, value: object) => void): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  for (const [id] of links.touches) {
    const recalls = recallsReaching(api, id);
    if (recalls.length > 0) reached.set(id, recalls);
  }
  if (reached.size === 0) return reached;
  const roles = new Map(links.touches);
  const queue = [...reached.keys()];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const [target] of linkedNodes({ kind: kindOf(roles.get(id)![0]!) }, roles.get(id)!, links, 'downstream')) {
      let known = reached.get(target);
      if (known === undefined) {
        reached.set(target, (known = []));
        queue.push(target);
      }
      for (const lot of reached.get(id)!) {
        if (known.includes(lot)) continue;
        known.push(lot);
        markAffected(api, target, lot, { height, via: hash }, (_, key, value) => put(key, value));
      }
    }
  }
  return reached;
}
