// recall and recallStatus. A recall marks an identifier (usually a lot) recalled, walks downstream
// to everything made from it or packed with it, marks each of those affected, and answers where
// they went. Later events that touch any of them are still recorded (returns must be), but flagged.
import { ContractError, type ContractApi, type ContractContext } from '@xinlian/contracts/api';
import { fits, fitsTxResult } from './answerSize.js';
import { argsObject, identifierArg, textArg } from './contractArgs.js';
import type { NodeKind } from './epcisEvent.js';
import { eventSummary, type EventSummary } from './eventSummary.js';
import { recordedKind } from './provenance.js';
import { markAffected } from './recallReach.js';
import { affectedKey, indexPrefix, recallKey, stored, storedRange, storeValue, type AffectedMark, type AffectedMarks, type IndexEntry, type RecallRecord } from './stateKeys.js';
import { ledgerTraceStore } from './traceStore.js';
import { walkGraph } from './walkGraph.js';

/** Identifiers one recall marks at most: one write each, within the 1,000 writes of a call. */
export const RECALL_NODES_MAX = 900;
const RECALL_INDEX_ENTRIES_MAX = 20_000;
const REASON_CHARS_MAX = 1000;

export interface RecallAnswer {
  id: string;
  kind: NodeKind;
  /** How many identifiers downstream the recall marked affected. */
  affectedCount: number;
  /** How many events touch the recalled identifier or anything affected. */
  events: number;
  /** What was marked, by kind; left out when it does not fit the answer (see README). */
  affected?: { epcs: string[]; classes: string[]; transformations: string[] };
  /** Movements (shipping, receiving, selling...) of anything affected, by event hash: where it went. */
  movements?: Record<string, EventSummary>;
  /** Set when affected or movements were left out: provenance downstream of the lot lists them. */
  omitted?: Array<'affected' | 'movements'>;
}

/**
 * Who may recall: the organisation that first recorded an event naming the identifier (it
 * introduced the lot), or an organisation admin of any member, since the member who finds the
 * defect (a manufacturer, a test lab) is often not the one who made the lot. The recall record
 * names the recalling organisation, on chain, for everyone to see.
 */
function checkAllowed(api: ContractApi, id: string, ctx: ContractContext): void {
  const first = storedRange<IndexEntry>(api, indexPrefix(id), 1)[0];
  if (first === undefined) throw new ContractError('ID_UNKNOWN', `no recorded event names ${id}`);
  if (ctx.caller.role !== 'admin' && ctx.caller.org !== first.value.o) {
    throw new ContractError('RECALL_FORBIDDEN', `only ${first.value.o}, which first recorded ${id}, or an organisation admin may recall it`);
  }
}

export function recall(api: ContractApi, args: unknown, ctx: ContractContext): RecallAnswer {
  const a = argsObject(args);
  const id = identifierArg(api, a.lot, 'lot');
  const reason = textArg(a.reason, 'reason', REASON_CHARS_MAX);
  checkAllowed(api, id, ctx);
  if (api.get(recallKey(id)) !== undefined) throw new ContractError('RECALL_DUPLICATE', `${id} is already recalled`);
  const store = ledgerTraceStore(api, RECALL_INDEX_ENTRIES_MAX);
  const kind = recordedKind(store, id)!;
  const walk = walkGraph(store, { id, kind }, 'downstream', { nodesMax: RECALL_NODES_MAX, depthMax: RECALL_NODES_MAX });
  const affected: NonNullable<RecallAnswer['affected']> = { epcs: [], classes: [], transformations: [] };
  for (const node of walk.nodes) {
    // Only the start may be a business transaction: no edge leads to one.
    if (node.depth === 0) continue;
    affected[node.kind === 'epc' ? 'epcs' : node.kind === 'class' ? 'classes' : 'transformations'].push(node.id);
    markAffected(api, node.id, id, { height: ctx.height, via: node.via });
  }
  const record: RecallRecord = { id, reason, org: ctx.caller.org, height: ctx.height, timeMs: ctx.timeMs, txId: ctx.txId, affected: walk.nodes.length - 1 };
  storeValue(api, recallKey(id), record);
  api.emit('trace.recalled', { id, org: ctx.caller.org, affected: record.affected });
  const movements: Record<string, EventSummary> = {};
  for (const hash of walk.events) {
    const summary = eventSummary(store.record(hash));
    if (summary.movement) movements[hash] = summary;
  }
  // A submitted recall's answer goes into the tx result (1,024 bytes): the lists only when they fit.
  // Evaluated, the same call previews a recall: nothing is written, and the answer may be larger.
  const answer: RecallAnswer = { id, kind, affectedCount: record.affected, events: walk.events.length, affected, movements };
  for (const part of ['movements', 'affected'] as const) {
    if (fits(answer) && fitsTxResult(answer, ctx.submitted)) break;
    delete answer[part];
    (answer.omitted ??= []).push(part);
  }
  return answer;
}

export interface RecallStatus {
  id: string;
  recall: RecallRecord | null;
  /** Recalls that reached this identifier downstream of the recalled one. */
  affectedBy: Array<{ recalled: string } & AffectedMark>;
}

export function recallStatus(api: ContractApi, args: unknown): RecallStatus {
  const a = argsObject(args);
  const id = identifierArg(api, a.id ?? a.lot, 'id');
  const marks = stored<AffectedMarks>(api, affectedKey(id)) ?? {};
  return {
    id,
    recall: stored<RecallRecord>(api, recallKey(id)) ?? null,
    affectedBy: Object.keys(marks).map((recalled) => ({ recalled, ...marks[recalled]! })),
  };
}
