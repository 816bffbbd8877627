// recordEvents: stores each event once under the hash of its canonical JSON, indexes it under
// every identifier it touches, and carries existing recalls along the links it adds.
import { ContractError, type ContractApi, type ContractContext, type Json } from '@xinlian/contracts/api';
import { fitsTxResult } from './answerSize.js';
import { bizStepName, eventLinks, kindOf, type EventLinks } from './epcisEvent.js';
import { markAffected, recallsReaching } from './recallReach.js';
import { eventKey, IDENTIFIER_CHARS_MAX, indexKey, storeValue, type EventRecord, type IndexEntry } from './stateKeys.js';
import { submittedEvents, type SubmittedEvent } from './submittedEvents.js';
import { linkedNodes } from './walkGraph.js';

/** The sandbox's limits per call: writes (distinct keys) and one stored value's JSON text. */
const WRITES_MAX = 1000;
const VALUE_CHARS_MAX = 65_536;
/** Room for the record's own fields around the event's JSON. */
const RECORD_OVERHEAD_CHARS = 512;

export interface RecordAnswer {
  recorded: number;
  recalledItemsMoved: number;
  /**
   * The events' hashes, in order; left out of a submitted call's result when they would not fit
   * in a tx result (over 13 events). The tx's trace.eventRecorded events carry them all.
   */
  hashes?: string[];
}

export function recordEvents(api: ContractApi, args: unknown, ctx: ContractContext): RecordAnswer {
  const submitted = submittedEvents(api, args);
  let writes = 0;
  const put = (key: string, value: object): void => {
    if (++writes > WRITES_MAX) throw new ContractError('BATCH_TOO_LARGE', `more than ${WRITES_MAX} state writes (events and their index entries) in one call: record fewer events per call`);
    storeValue(api, key, value);
  };
  const answer: RecordAnswer = { recorded: 0, recalledItemsMoved: 0, hashes: [] };
  for (const item of submitted) {
    const { hash, links } = storeEvent(api, item, ctx, put);
    const step = bizStepName(item.event.bizStep);
    api.emit('trace.eventRecorded', {
      key: hash, type: links.type, org: ctx.caller.org, ids: links.touches.length,
      ...(typeof item.event.action === 'string' ? { action: item.event.action } : {}),
      // A non-CBV step is a URI of any length: cut to stay within the node's bound on event strings.
      ...(step !== null ? { bizStep: step.slice(0, IDENTIFIER_CHARS_MAX) } : {}),
    });
    const moved = carryRecalls(api, links, hash, ctx.height, put);
    if (moved.size > 0) {
      answer.recalledItemsMoved++;
      const [id, recalls] = [...moved][0]!;
      api.emit('trace.recalledItemMoved', { key: hash, type: links.type, id, recalled: recalls[0]!, recalls: recalls.length, ids: moved.size });
    }
    answer.recorded++;
    answer.hashes!.push(hash);
  }
  if (!fitsTxResult(answer, ctx.submitted)) delete answer.hashes;
  return answer;
}

/** Stores one event and its index entries; refuses a duplicate, a record too big, an identifier too long. */
function storeEvent(api: ContractApi, { event, pointer, context }: SubmittedEvent, ctx: ContractContext, put: (key: string, value: object) => void): { hash: string; links: EventLinks } {
  let text: string;
  try {
    text = api.canonicalJson(event as unknown as Json);
  } catch (error) {
    throw new ContractError('ARGS_INVALID', `${pointer}: ${(error as Error).message}`);
  }
  const hash = api.hash(text);
  if (api.get(eventKey(hash)) !== undefined) throw new ContractError('EVENT_DUPLICATE', `${pointer}: this event is already recorded as ${eventKey(hash)}`);
  const contextChars = context === undefined ? 0 : JSON.stringify(context).length;
  if (text.length + contextChars + RECORD_OVERHEAD_CHARS > VALUE_CHARS_MAX) {
    throw new ContractError('EVENT_TOO_LARGE', `${pointer}: ${text.length + contextChars} characters with its context; a stored event is at most ${VALUE_CHARS_MAX - RECORD_OVERHEAD_CHARS}`);
  }
  const links = eventLinks(event);
  const long = links.touches.find(([id]) => id.length > IDENTIFIER_CHARS_MAX);
  if (long !== undefined) throw new ContractError('IDENTIFIER_TOO_LONG', `${pointer}: an identifier of ${long[0].length} characters; at most ${IDENTIFIER_CHARS_MAX} are indexed`);
  const record: EventRecord = { event, org: ctx.caller.org, height: ctx.height, timeMs: ctx.timeMs, txId: ctx.txId };
  if (context !== undefined) record.context = context;
  put(eventKey(hash), record);
  for (const [id, roles] of links.touches) put(indexKey(id, ctx.height, hash), { e: hash, r: roles, o: ctx.caller.org } satisfies IndexEntry);
  return { hash, links };
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
