// What the traceability graph needs from an EPCIS 2.0 event: the identifiers it touches and in
// which role, and the edges it implies. Identifiers are opaque strings: an EPC URN and a GS1 Digital
// Link naming the same object are two identifiers, since converting between them needs the GS1
// company prefix length, which a Digital Link does not carry.

export type EpcisEvent = { [key: string]: unknown };

/**
 * How an event touches an identifier. EPC lists name instances (`epc`, `child`, `in`, `out`,
 * `parent`); quantity lists name classes, e.g. a lot as `urn:epc:class:lgtin:...` (`qty`,
 * `childQty`, `inQty`, `outQty`); `xf` is a transformationID; `bizTx` is a business transaction
 * (a purchase order, an invoice: `urn:epcglobal:cbv:bt:...`) that a TransactionEvent names.
 */
export type Role = 'epc' | 'qty' | 'parent' | 'child' | 'childQty' | 'in' | 'inQty' | 'out' | 'outQty' | 'xf' | 'bizTx';
export type NodeKind = 'epc' | 'class' | 'transformation' | 'bizTransaction';

export interface EventLinks {
  type: string;
  /** Each identifier the event names, once, with its roles, in the order first named. */
  touches: Array<[id: string, roles: Role[]]>;
  /** AggregationEvent: the container; its contents are `children` (instances and classes). */
  parent: string | null;
  children: Array<[id: string, kind: NodeKind]>;
  /** TransformationEvent: what went in and what came out; transformationID joins several events into one. */
  inputs: Array<[id: string, kind: NodeKind]>;
  outputs: Array<[id: string, kind: NodeKind]>;
  transformationID: string | null;
}

/** The five event types of EPCIS 2.0. Extension types are refused: their links cannot be known. */
export const RECORDED_TYPES = new Set(['ObjectEvent', 'AggregationEvent', 'TransformationEvent', 'AssociationEvent', 'TransactionEvent']);

const CLASS_ROLES = new Set<Role>(['qty', 'childQty', 'inQty', 'outQty']);

export function kindOf(role: Role): NodeKind {
  if (role === 'xf') return 'transformation';
  if (role === 'bizTx') return 'bizTransaction';
  return CLASS_ROLES.has(role) ? 'class' : 'epc';
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The string `field` of each object in a list: the epcClass of quantity elements, the bizTransaction of business transactions. */
function members(value: unknown, field: 'epcClass' | 'bizTransaction'): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const element of value) {
    const member = (element as Record<string, unknown> | null)?.[field];
    if (typeof member === 'string') out.push(member);
  }
  return out;
}

const classes = (value: unknown): string[] => members(value, 'epcClass');

/** The links of a schema-valid event. */
export function eventLinks(event: EpcisEvent): EventLinks {
  const type = String(event.type);
  const roles = new Map<string, Role[]>();
  const touch = (ids: string[], role: Role): Array<[string, NodeKind]> => {
    for (const id of ids) {
      const known = roles.get(id);
      if (known === undefined) roles.set(id, [role]);
      else if (!known.includes(role)) known.push(role);
    }
    return ids.map((id) => [id, kindOf(role)]);
  };
  const links: EventLinks = { type, touches: [], parent: null, children: [], inputs: [], outputs: [], transformationID: null };
  touch(strings(event.epcList), 'epc');
  touch(classes(event.quantityList), 'qty');
  if (typeof event.parentID === 'string') {
    touch([event.parentID], 'parent');
    links.parent = event.parentID;
  }
  links.children = [...touch(strings(event.childEPCs), 'child'), ...touch(classes(event.childQuantityList), 'childQty')];
  links.inputs = [...touch(strings(event.inputEPCList), 'in'), ...touch(classes(event.inputQuantityList), 'inQty')];
  links.outputs = [...touch(strings(event.outputEPCList), 'out'), ...touch(classes(event.outputQuantityList), 'outQty')];
  if (typeof event.transformationID === 'string') {
    touch([event.transformationID], 'xf');
    links.transformationID = event.transformationID;
  }
  // Any event may name business transactions (a shipment its despatch advice, a TransactionEvent
  // its purchase order): a query by the transaction must find every event that names it.
  touch(members(event.bizTransactionList, 'bizTransaction'), 'bizTx');
  links.touches = [...roles];
  return links;
}

/** A business step by its CBV name: "shipping" for the bare word, the CBV 1.x URN and the 2.0 web URI alike. */
export function bizStepName(bizStep: unknown): string | null {
  if (typeof bizStep !== 'string') return null;
  const cbv = /^(?:urn:epcglobal:cbv:bizstep:|https?:\/\/ref\.gs1\.org\/cbv\/BizStep-|https?:\/\/gs1\.org\/voc\/Bizstep-)([a-z_]+)$/.exec(bizStep);
  return cbv === null ? bizStep : cbv[1]!;
}

/** Steps that move goods between parties or places: the "where did it go" of a recall. */
const MOVING_STEPS = new Set(['shipping', 'receiving', 'departing', 'arriving', 'transporting', 'retail_selling', 'void_shipping', 'dispensing']);

export function isMovement(event: EpcisEvent): boolean {
  const step = bizStepName(event.bizStep);
  return (step !== null && MOVING_STEPS.has(step)) || Array.isArray(event.sourceList) || Array.isArray(event.destinationList);
}
