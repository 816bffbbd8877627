// A product's journey: the events behind a provenance answer, in time order, each with the
// outcome of the browser's check of its ledger entry (a state proof of e/<hash>).

/** An event summary as the traceability contract answers it (contracts/traceability/eventSummary.ts). */
export interface EventSummaryView {
  type: string;
  eventTime: string;
  org: string;
  height: number;
  action?: string;
  bizStep?: string;
  disposition?: string;
  readPoint?: string;
  bizLocation?: string;
  movement?: boolean;
}

/** The part of a provenance answer the journey needs. */
export interface ProvenanceView {
  id: string;
  kind: string;
  recalls: string[];
  upstream?: { nodes: Array<{ id: string; depth: number }>; events: string[]; truncated: boolean };
  downstream?: { nodes: Array<{ id: string; depth: number }>; events: string[]; truncated: boolean };
  proofKeys: string[];
  summaries?: Record<string, EventSummaryView>;
}

export type StepCheck = { state: 'checking' } | { state: 'verified' } | { state: 'failed'; reason: string };

export interface JourneyStep {
  hash: string;
  summary: EventSummaryView;
  check: StepCheck;
}

/** Every event of both walks, once, in the order the answer lists them. */
export function journeyEventHashes(answer: ProvenanceView): string[] {
  return [...new Set([...(answer.upstream?.events ?? []), ...(answer.downstream?.events ?? [])])];
}

function timeOf(summary: EventSummaryView): number {
  const ms = Date.parse(summary.eventTime);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/**
 * One step per summarised event, sorted by event time (with its offset, so 08:00+08:00 comes
 * before 01:00Z), then by block height, then by hash so the order is total. Events without a
 * parseable time go last.
 */
export function journeySteps(summaries: Readonly<Record<string, EventSummaryView>>, checks: ReadonlyMap<string, StepCheck>): JourneyStep[] {
  return Object.entries(summaries)
    .map(([hash, summary]) => ({ hash, summary, check: checks.get(hash) ?? { state: 'checking' } as StepCheck }))
    .sort((a, b) => (timeOf(a.summary) - timeOf(b.summary)) || (a.summary.height - b.summary.height) || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
}

/** The words a step shows for its check. */
export function stepCheckText(check: StepCheck): string {
  switch (check.state) {
    case 'checking': return 'checking…';
    case 'verified': return 'verified';
    case 'failed': return `not verified: ${check.reason}`;
  }
}

/** Where an event happened: its business location, else its read point. */
export function stepPlace(summary: EventSummaryView): string | undefined {
  return summary.bizLocation ?? summary.readPoint;
}

/** The stored record under e/<hash> (contracts/traceability/stateKeys.ts), as far as a step needs it. */
export interface EventRecordView {
  event: Record<string, unknown>;
  org: string;
  height: number;
  txId: string;
}

/**
 * Compares the node's summary of an event with the record its proof shows: the summary is the
 * node's word, the record is what the validators signed. Returns the first field that differs.
 */
export function summaryMismatch(summary: EventSummaryView, record: EventRecordView): string | undefined {
  if (record.org !== summary.org) return `the proven event was recorded by ${record.org}, the node said ${summary.org}`;
  if (record.height !== summary.height) return `the proven event is from block ${record.height}, the node said ${summary.height}`;
  if (record.event.type !== summary.type) return `the proven event is a ${String(record.event.type)}, the node said ${summary.type}`;
  if (record.event.eventTime !== summary.eventTime) return `the proven event time is ${String(record.event.eventTime)}, the node said ${summary.eventTime}`;
  return undefined;
}

const BIZ_STEP_PREFIXES = ['urn:epcglobal:cbv:bizstep:', 'https://ref.gs1.org/cbv/BizStep-'];

function locationId(value: unknown): string | undefined {
  const id = (value as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** A summary made from a proven record, for answers that left summaries out (too large). */
export function summaryFromRecord(record: EventRecordView): EventSummaryView {
  const { event } = record;
  const summary: EventSummaryView = { type: String(event.type), eventTime: String(event.eventTime), org: record.org, height: record.height };
  if (typeof event.action === 'string') summary.action = event.action;
  if (typeof event.bizStep === 'string') {
    const prefix = BIZ_STEP_PREFIXES.find((p) => (event.bizStep as string).startsWith(p));
    summary.bizStep = prefix === undefined ? event.bizStep : event.bizStep.slice(prefix.length);
  }
  const readPoint = locationId(event.readPoint);
  if (readPoint !== undefined) summary.readPoint = readPoint;
  const bizLocation = locationId(event.bizLocation);
  if (bizLocation !== undefined) summary.bizLocation = bizLocation;
  return summary;
}

/** A state key to prove, at the height of the query that read it. */
export interface ProofRequest {
  key: string;
  height: number;
}

/**
 * Every ledger entry behind a trace: the keys each query read, the answer's proofKeys, the
 * event of every step and the recall record of every recall that reached the product, each at
 * the height its query ran at, once.
 */
export function traceProofRequests(contract: string, provenance: { height: number; reads: readonly string[]; result: ProvenanceView }, recall?: { height: number; reads: readonly string[]; recalled: readonly string[] }): ProofRequest[] {
  const prefix = `c/${contract}/`;
  const requests = new Map<string, ProofRequest>();
  const add = (key: string, height: number): void => {
    if (!requests.has(key)) requests.set(key, { key, height });
  };
  for (const key of provenance.reads) add(key, provenance.height);
  for (const key of provenance.result.proofKeys) add(`${prefix}${key}`, provenance.height);
  for (const hash of journeyEventHashes(provenance.result)) add(`${prefix}e/${hash}`, provenance.height);
  if (recall !== undefined) {
    for (const key of recall.reads) add(key, recall.height);
    for (const id of recall.recalled) add(`${prefix}r/${id}`, recall.height);
  }
  return [...requests.values()];
}
