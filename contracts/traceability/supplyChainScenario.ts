// Test data, not part of the contract: a chocolate supply chain in EPCIS 2.0 events, across five
// organisations. A farm commissions a cocoa lot and a sugar lot and ships them; a factory makes
// chocolate bars (a product lot, serialised bars) from both, and candy from sugar alone in a
// transformation recorded as two events sharing a transformationID; a test lab inspects a bar; a
// distributor packs bars and candy on two pallets and ships them; a retailer receives, unpacks and
// sells one bar.

export const ORGS = {
  farm: { org: 'farm', role: 'client' },
  factory: { org: 'factory', role: 'client' },
  lab: { org: 'lab', role: 'client' },
  distributor: { org: 'distributor', role: 'client' },
  retailer: { org: 'retailer', role: 'client' },
} as const;

export const IDS = {
  cocoaLot: 'urn:epc:class:lgtin:4012345.011111.C24A',
  sugarLot: 'urn:epc:class:lgtin:4012345.022222.S24B',
  barLot: 'urn:epc:class:lgtin:0614141.107346.B2407',
  bars: ['urn:epc:id:sgtin:0614141.107346.1001', 'urn:epc:id:sgtin:0614141.107346.1002', 'urn:epc:id:sgtin:0614141.107346.1003', 'urn:epc:id:sgtin:0614141.107346.1004'],
  candy: ['urn:epc:id:sgtin:0614141.205555.1', 'urn:epc:id:sgtin:0614141.205555.2'],
  candyRun: 'urn:uuid:6a3c3f1e-1b51-4a8a-9d52-3f0c2b7c9e01',
  pallet1: 'urn:epc:id:sscc:0012345.0000000001',
  pallet2: 'urn:epc:id:sscc:0012345.0000000002',
  farmParty: 'urn:epc:id:pgln:4012345.00000',
  factoryParty: 'urn:epc:id:pgln:0614141.00000',
  distributorParty: 'urn:epc:id:pgln:0012345.00000',
  retailerParty: 'urn:epc:id:pgln:0098765.00000',
} as const;

const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];
const [bar1, bar2, bar3] = IDS.bars;

let clock = 0;
function at(): { eventTime: string; eventTimeZoneOffset: string } {
  clock += 1;
  return { eventTime: `2024-07-${String(clock).padStart(2, '0')}T08:00:00.000+02:00`, eventTimeZoneOffset: '+02:00' };
}

function event(type: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { type, ...at(), ...fields };
}

const site = (sgln: string) => ({ readPoint: { id: sgln }, bizLocation: { id: sgln } });
const qty = (epcClass: string, quantity: number, uom?: string) => (uom === undefined ? { epcClass, quantity } : { epcClass, quantity, uom });

/** The scenario's steps in order: who records them and the events, keyed by name. */
export function supplyChain(): Array<{ name: string; by: keyof typeof ORGS; event: Record<string, unknown> }> {
  clock = 0;
  return [
    { name: 'commissionRaw', by: 'farm', event: event('ObjectEvent', { action: 'ADD', bizStep: 'commissioning', disposition: 'active', quantityList: [qty(IDS.cocoaLot, 500, 'KGM'), qty(IDS.sugarLot, 300, 'KGM')], ...site('urn:epc:id:sgln:4012345.00001.0') }) },
    { name: 'shipRaw', by: 'farm', event: event('ObjectEvent', {
      action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', quantityList: [qty(IDS.cocoaLot, 500, 'KGM'), qty(IDS.sugarLot, 300, 'KGM')], readPoint: { id: 'urn:epc:id:sgln:4012345.00001.0' },
      sourceList: [{ type: 'owning_party', source: IDS.farmParty }], destinationList: [{ type: 'owning_party', destination: IDS.factoryParty }],
    }) },
    { name: 'receiveRaw', by: 'factory', event: event('ObjectEvent', { action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress', quantityList: [qty(IDS.cocoaLot, 500, 'KGM'), qty(IDS.sugarLot, 300, 'KGM')], ...site('urn:epc:id:sgln:0614141.00001.0') }) },
    { name: 'makeBars', by: 'factory', event: event('TransformationEvent', {
      bizStep: 'commissioning', disposition: 'active', inputQuantityList: [qty(IDS.cocoaLot, 200, 'KGM'), qty(IDS.sugarLot, 100, 'KGM')],
      outputEPCList: [...IDS.bars], outputQuantityList: [qty(IDS.barLot, 4)], ...site('urn:epc:id:sgln:0614141.00001.0'),
      ilmd: { 'cbvmda:lotNumber': 'B2407', 'cbvmda:bestBeforeDate': '2025-07-04' },
    }) },
    { name: 'candyIn', by: 'factory', event: event('TransformationEvent', { transformationID: IDS.candyRun, bizStep: 'creating_class_instance', inputQuantityList: [qty(IDS.sugarLot, 50, 'KGM')], ...site('urn:epc:id:sgln:0614141.00001.0') }) },
    { name: 'candyOut', by: 'factory', event: event('TransformationEvent', { transformationID: IDS.candyRun, bizStep: 'commissioning', outputEPCList: [...IDS.candy], ...site('urn:epc:id:sgln:0614141.00001.0') }) },
    { name: 'inspect', by: 'lab', event: event('ObjectEvent', {
      action: 'OBSERVE', bizStep: 'inspecting', disposition: 'conformant', epcList: [bar1], quantityList: [qty(IDS.barLot, 1)], ...site('urn:epc:id:sgln:0614141.00099.0'),
      'https://lab.example.com/voc/result': 'passed',
    }) },
    { name: 'packPallet1', by: 'distributor', event: event('AggregationEvent', { action: 'ADD', bizStep: 'packing', parentID: IDS.pallet1, childEPCs: [bar1, bar2], ...site('urn:epc:id:sgln:0012345.00001.0') }) },
    { name: 'packPallet2', by: 'distributor', event: event('AggregationEvent', { action: 'ADD', bizStep: 'packing', parentID: IDS.pallet2, childEPCs: [bar3, ...IDS.candy], ...site('urn:epc:id:sgln:0012345.00001.0') }) },
    { name: 'shipPallets', by: 'distributor', event: event('ObjectEvent', {
      action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', epcList: [IDS.pallet1, IDS.pallet2], readPoint: { id: 'urn:epc:id:sgln:0012345.00001.0' },
      bizTransactionList: [{ type: 'desadv', bizTransaction: 'urn:epcglobal:cbv:bt:0012345000017:D4711' }],
      sourceList: [{ type: 'possessing_party', source: IDS.distributorParty }], destinationList: [{ type: 'possessing_party', destination: IDS.retailerParty }],
    }) },
    { name: 'receivePallets', by: 'retailer', event: event('ObjectEvent', { action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress', epcList: [IDS.pallet1, IDS.pallet2], ...site('urn:epc:id:sgln:0098765.00001.0') }) },
    { name: 'unpackPallet1', by: 'retailer', event: event('AggregationEvent', { action: 'DELETE', bizStep: 'unpacking', parentID: IDS.pallet1, childEPCs: [bar1, bar2], ...site('urn:epc:id:sgln:0098765.00001.0') }) },
    { name: 'sellBar', by: 'retailer', event: event('ObjectEvent', { action: 'OBSERVE', bizStep: 'retail_selling', disposition: 'retail_sold', epcList: [bar1], ...site('urn:epc:id:sgln:0098765.00001.0') }) },
  ].map((step) => ({ ...step, by: step.by as keyof typeof ORGS }));
}

/** An EPCISDocument around events, as an organisation's system would send it. */
export function epcisDocument(events: Array<Record<string, unknown>>): Record<string, unknown> {
  return { '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2024-07-31T12:00:00Z', epcisBody: { eventList: events } };
}
