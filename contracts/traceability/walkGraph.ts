// The provenance walk: breadth first over the identifiers the recorded events link, in one
// direction, bounded in nodes (an error past the bound: a partial answer to "what is affected"
// would read as a complete one) and optionally in depth (a cut reported as `truncated`).
import { ContractError } from '@xinlian/contracts/api';
import type { EventLinks, NodeKind, Role } from './epcisEvent.js';

/** What the walk reads: written against this interface so that it can be tested without a ledger. */
export interface TraceStore {
  /** The events touching `id`, oldest first, with the roles `id` plays in each. */
  touches(id: string): Array<{ event: string; roles: Role[] }>;
  /** The links of a recorded event. */
  links(event: string): EventLinks;
}

export type Direction = 'upstream' | 'downstream';

const NON_LINKING = new Set<Role>(['epc', 'qty', 'bizTx']);

export interface WalkNode {
  id: string;
  kind: NodeKind;
  /** Edges from the start; 0 for the start itself. */
  depth: number;
  /** The event whose link first reached this node (null for the start). */
  via: string | null;
}

export interface Walk {
  nodes: WalkNode[];
  /** Every event touching a node of the walk, in the order first seen. */
  events: string[];
  /** True when depthMax stopped the walk before it ran out of edges. */
  truncated: boolean;
}

export interface WalkLimits {
  nodesMax: number;
  depthMax: number;
}

/**
 * The next nodes from `node` over one of its events. Downstream: what an input became (the
 * transformation's outputs, or its transformationID, which gathers the outputs of every event
 * sharing it) and the containers an item was aggregated into. Upstream: the inputs of what made
 * an output, and the contents of a container. Events that name a node without linking it are
 * listed but lead nowhere: ObjectEvents (commissioning, inspection, shipping), AssociationEvents
 * (a sensor is not the container's content) and TransactionEvents, which tie objects to a
 * business transaction such as a purchase order but neither transform nor contain them: goods on
 * one order were not made from each other, and the parentID of one names the container the
 * objects are in (packed by an AggregationEvent), without packing them.
 */
export function linkedNodes(node: { kind: NodeKind }, roles: Role[], links: EventLinks, direction: Direction): Array<[string, NodeKind]> {
  const has = (...wanted: Role[]) => wanted.some((r) => roles.includes(r));
  const viaTransformation = links.transformationID !== null && node.kind !== 'transformation';
  if (direction === 'downstream') {
    if (node.kind === 'transformation') return has('xf') ? links.outputs : [];
    if (has('in', 'inQty')) return viaTransformation ? [[links.transformationID!, 'transformation']] : links.outputs;
    if (links.type === 'AggregationEvent' && has('child', 'childQty') && links.parent !== null) return [[links.parent, 'epc']];
    return [];
  }
  if (node.kind === 'transformation') return has('xf') ? links.inputs : [];
  if (has('out', 'outQty')) return viaTransformation ? [[links.transformationID!, 'transformation']] : links.inputs;
  if (links.type === 'AggregationEvent' && has('parent')) return links.children;
  return [];
}

export function walkGraph(store: TraceStore, start: { id: string; kind: NodeKind }, direction: Direction, limits: WalkLimits): Walk {
  const nodes: WalkNode[] = [{ id: start.id, kind: start.kind, depth: 0, via: null }];
  const seen = new Set([start.id]);
  const events: string[] = [];
  const seenEvents = new Set<string>();
  let truncated = false;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    for (const touch of store.touches(node.id)) {
      if (!seenEvents.has(touch.event)) {
        seenEvents.add(touch.event);
        events.push(touch.event);
      }
      // Roles from epcList, quantityList and bizTransactionList never link: such an event need not be loaded.
      if (touch.roles.every((role) => NON_LINKING.has(role))) continue;
      const targets = linkedNodes(node, touch.roles, store.links(touch.event), direction);
      for (const [id, kind] of targets) {
        if (seen.has(id)) continue;
        if (node.depth >= limits.depthMax) {
          truncated = true;
          continue;
        }
        if (nodes.length >= limits.nodesMax) {
          throw new ContractError('PROVENANCE_TOO_LARGE', `the ${direction} walk from ${start.id} reaches more than ${limits.nodesMax} identifiers: narrow it with depthMax`);
        }
        seen.add(id);
        nodes.push({ id, kind, depth: node.depth + 1, via: touch.event });
      }
    }
  }
  return { nodes, events, truncated };
}
