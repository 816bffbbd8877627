// A few lines per event for provenance and recall answers: what happened, where, by whom, and
// for movements the parties and places involved. The full event is one `event` query away.
import { bizStepName, isMovement } from './epcisEvent.js';
import type { EventRecord } from './stateKeys.js';

export interface EventSummary {
  type: string;
  eventTime: string;
  org: string;
  height: number;
  action?: string;
  bizStep?: string;
  disposition?: string;
  readPoint?: string;
  bizLocation?: string;
  /** [type, party or location] of sourceList and destinationList. */
  sources?: Array<[string, string]>;
  destinations?: Array<[string, string]>;
  /** Shipping, receiving, selling and the like, or an event with sources or destinations. */
  movement: boolean;
}

function pairs(list: unknown, field: 'source' | 'destination'): Array<[string, string]> | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.map((entry: Record<string, unknown>) => [String(entry.type), String(entry[field])]);
}

function locationId(value: unknown): string | undefined {
  const id = (value as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

export function eventSummary(record: EventRecord): EventSummary {
  const { event } = record;
  const summary: EventSummary = { type: String(event.type), eventTime: String(event.eventTime), org: record.org, height: record.height, movement: isMovement(event) };
  if (typeof event.action === 'string') summary.action = event.action;
  const step = bizStepName(event.bizStep);
  if (step !== null) summary.bizStep = step;
  if (typeof event.disposition === 'string') summary.disposition = event.disposition;
  const readPoint = locationId(event.readPoint);
  if (readPoint !== undefined) summary.readPoint = readPoint;
  const bizLocation = locationId(event.bizLocation);
  if (bizLocation !== undefined) summary.bizLocation = bizLocation;
  const sources = pairs(event.sourceList, 'source');
  if (sources !== undefined) summary.sources = sources;
  const destinations = pairs(event.destinationList, 'destination');
  if (destinations !== undefined) summary.destinations = destinations;
  return summary;
}
