// provenance: where an identifier came from (upstream) and where it went (downstream), with a
// summary of every event on the way and the state keys a client asks Merkle proofs for.
import { ContractError, type ContractApi } from '@xinlian/contracts/api';
import { checkedAnswer, fits } from './answerSize.js';
import { argsObject, identifierArg, integerArg } from './contractArgs.js';
import { kindOf, type NodeKind } from './epcisEvent.js';
import { eventSummary, type EventSummary } from './eventSummary.js';
import { recallsReaching } from './recallReach.js';
import { affectedKey, eventKey, recallKey } from './stateKeys.js';
import { ledgerTraceStore, type LedgerTraceStore } from './traceStore.js';
import { walkGraph, type Direction, type Walk } from './walkGraph.js';

/** Index entries one query may read, over all identifiers it visits. */
export const INDEX_ENTRIES_MAX = 10_000;
export const NODES_MAX = 500;
const NODES_DEFAULT = 100;
const DEPTH_MAX = 64;

export interface ProvenanceAnswer {
  id: string;
  kind: NodeKind;
  /** Recalled identifiers whose recall reaches this one (itself included if recalled). */
  recalls: string[];
  upstream?: Walk;
  downstream?: Walk;
  /** Summaries by event hash (omitted with summaries: false, or when they would not fit). */
  summaries?: Record<string, EventSummary>;
  summariesOmitted?: true;
  /** `e/<hash>` of every event in either walk, and the `r/` and `a/` keys of the recalls: ask the node for their proofs. */
  proofKeys: string[];
}

/** The kind of a recorded identifier, from how the first event touching it named it; undefined if none did. */
export function recordedKind(store: LedgerTraceStore, id: string): NodeKind | undefined {
  const first = store.touches(id)[0];
  return first === undefined ? undefined : kindOf(first.roles[0]!);
}

export function provenance(api: ContractApi, args: unknown): ProvenanceAnswer {
  const a = argsObject(args);
  const named = (['epc', 'epcClass', 'bizTransaction'] as const).filter((name) => a[name] !== undefined);
  if (named.length !== 1) throw new ContractError('ARGS_INVALID', 'give one of epc, epcClass or bizTransaction');
  const name = named[0]!;
  const id = identifierArg(api, a[name], name);
  const direction = a.direction ?? 'both';
  if (direction !== 'both' && direction !== 'upstream' && direction !== 'downstream') throw new ContractError('ARGS_INVALID', 'direction must be both, upstream or downstream');
  const limits = { nodesMax: integerArg(a.nodesMax, 'nodesMax', 1, NODES_MAX, NODES_DEFAULT), depthMax: integerArg(a.depthMax, 'depthMax', 0, DEPTH_MAX, DEPTH_MAX) };
  const store = ledgerTraceStore(api, INDEX_ENTRIES_MAX);
  const recordedAs = recordedKind(store, id);
  if (recordedAs === undefined) throw new ContractError('ID_UNKNOWN', `no recorded event names ${id}`);
  // A transformationID or a business transaction is what the events named it, whichever argument
  // carried it; otherwise the argument says whether the caller means an instance or a class.
  const kind: NodeKind = recordedAs === 'transformation' || recordedAs === 'bizTransaction' || name === 'bizTransaction' ? recordedAs : name === 'epc' ? 'epc' : 'class';
  const answer: ProvenanceAnswer = { id, kind, recalls: recallsReaching(api, id), proofKeys: [] };
  const events = new Set<string>();
  for (const way of ['upstream', 'downstream'] as Direction[]) {
    if (direction !== 'both' && direction !== way) continue;
    const walk = walkGraph(store, { id, kind }, way, limits);
    answer[way] = walk;
    for (const hash of walk.events) events.add(hash);
  }
  const recallKeys = answer.recalls.map(recallKey);
  if (answer.recalls.some((lot) => lot !== id)) recallKeys.push(affectedKey(id));
  answer.proofKeys = [...[...events].map(eventKey), ...recallKeys];
  if (a.summaries !== false) {
    const summaries = Object.fromEntries([...events].map((hash) => [hash, eventSummary(store.record(hash))]));
    // Identifiers with long histories: the walk still fits without the summaries, which `event` gives one by one.
    if (fits({ ...answer, summaries })) answer.summaries = summaries;
    else answer.summariesOmitted = true;
  }
  return checkedAnswer(answer, 'ask for one direction or a smaller depthMax');
}
