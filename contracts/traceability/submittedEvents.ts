// The events of a recordEvents call, schema-checked: either one EPCIS document (EPCISDocument, or
// EPCISQueryDocument whose results are recorded) or a list of bare events. Every failure names the
// JSON pointer of the failing value within the arguments.
import { ContractError, type ContractApi, type Json, type SchemaError } from '@xinlian/contracts/api';
import { argsObject } from './contractArgs.js';
import { RECORDED_TYPES, type EpcisEvent } from './epcisEvent.js';
import { DOCUMENT_EVENT, epcisErrors } from './epcisValidator.js';

/**
 * Events one call records at most. Each emits up to two tx events, and a tx holds at most 64
 * events, one of them the node's contract.result.
 */
export const EVENTS_PER_CALL_MAX = 30;
const ERRORS_REPORTED_MAX = 5;

export interface SubmittedEvent {
  event: EpcisEvent;
  /** JSON pointer of the event within the arguments, e.g. "/document/epcisBody/eventList/0". */
  pointer: string;
  /** The document's @context, kept with an event that has none of its own: its extension terms need it. */
  context: Json | undefined;
}

function refuseInvalid(errors: SchemaError[]): void {
  if (errors.length === 0) return;
  const shown = errors.slice(0, ERRORS_REPORTED_MAX).map((e) => `${e.path}: ${e.message}`).join('; ');
  throw new ContractError('SCHEMA_INVALID', `${errors.length}${errors.length >= 20 ? '+' : ''} schema error(s): ${shown}`);
}

function prefixed(errors: SchemaError[], prefix: string): SchemaError[] {
  return errors.map((e) => ({ ...e, path: prefix + e.path }));
}

/** The shapes the schema guarantees for the two document types. */
type DocumentBody = { eventList?: EpcisEvent[]; queryResults?: { resultsBody: { eventList: EpcisEvent[] } } };

function documentEvents(document: Record<string, unknown>): { list: EpcisEvent[]; pointer: string } {
  const body = document.epcisBody as DocumentBody;
  if (document.type === 'EPCISDocument') return { list: body.eventList!, pointer: '/document/epcisBody/eventList' };
  return { list: body.queryResults!.resultsBody.eventList, pointer: '/document/epcisBody/queryResults/resultsBody/eventList' };
}

export function submittedEvents(api: ContractApi, args: unknown): SubmittedEvent[] {
  const { document, events } = argsObject(args);
  if ((document === undefined) === (events === undefined)) {
    throw new ContractError('ARGS_INVALID', 'give either document (an EPCIS document) or events (a list of EPCIS events)');
  }
  let list: EpcisEvent[];
  let pointer: string;
  let context: Json | undefined;
  if (document !== undefined) {
    const doc = document as Record<string, unknown> | null;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || (doc.type !== 'EPCISDocument' && doc.type !== 'EPCISQueryDocument')) {
      throw new ContractError('ARGS_INVALID', 'document must be an object of type EPCISDocument or EPCISQueryDocument');
    }
    refuseInvalid(prefixed(epcisErrors(api, doc), '/document'));
    ({ list, pointer } = documentEvents(doc));
    context = doc['@context'] as Json;
  } else {
    if (!Array.isArray(events)) throw new ContractError('ARGS_INVALID', 'events must be a list of EPCIS events');
    if (events.length > EVENTS_PER_CALL_MAX) throw new ContractError('BATCH_TOO_LARGE', `/events: ${events.length} events; at most ${EVENTS_PER_CALL_MAX} per call`);
    refuseInvalid(events.flatMap((event, i) => prefixed(epcisErrors(api, event, DOCUMENT_EVENT), `/events/${i}`)));
    [list, pointer] = [events as EpcisEvent[], '/events'];
  }
  if (list.length === 0) throw new ContractError('ARGS_INVALID', `${pointer}: no events to record`);
  if (list.length > EVENTS_PER_CALL_MAX) throw new ContractError('BATCH_TOO_LARGE', `${pointer}: ${list.length} events; at most ${EVENTS_PER_CALL_MAX} per call`);
  return list.map((event, i) => {
    if (!RECORDED_TYPES.has(String(event.type))) {
      throw new ContractError('EVENT_TYPE_UNSUPPORTED', `${pointer}/${i}: ${String(event.type)} is not recorded; recorded types: ${[...RECORDED_TYPES].join(', ')}`);
    }
    return { event, pointer: `${pointer}/${i}`, context: event['@context'] === undefined ? context : undefined };
  });
}
