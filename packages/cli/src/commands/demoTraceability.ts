import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageContract } from '@xinlian/contracts';
import { XinlianError, type Genesis } from '@xinlian/protocol';
import { identityFromFiles, XinlianSession } from '@xinlian/sdk';

/** The shipped traceability contract (contracts/traceability, GS1 EPCIS 2.0). */
const TRACEABILITY_ENTRY = fileURLToPath(new URL('../../../../../contracts/traceability/contract.ts', import.meta.url));

/**
 * The demo's contract part: the consortium approves the traceability contract by vote, four
 * organisations record a product's journey as EPCIS events, a consumer asks where a box of tea
 * came from and checks every event behind the answer offline, and the grower recalls the leaf lot.
 * Identifiers carry the run's time, so the walkthrough can run again on the same chain.
 */
export interface TracedProduct {
  leafLot: string;
  boxes: string[];
  pallet: string;
}

export async function traceabilityDemo(url: string, chainDir: string, genesis: Genesis, say: (text: string) => void): Promise<TracedProduct> {
  const session = async (org: string, role: string) => XinlianSession.connect(url, identityFromFiles(join(chainDir, 'orgs', org, `${role}.key.pem`)), genesis);
  const proposer = await session('org1', 'admin');
  const deployed = await proposer.client.contracts();
  if (deployed.some((c) => c.name === 'traceability')) {
    say('traceability is deployed already (an earlier run): using it\n');
  } else {
    const { code, hash } = await packageContract(TRACEABILITY_ENTRY, proposer.suite.hash);
    const receipt = await proposer.proposeContract('traceability', code);
    say(`org1's admin proposes deploying traceability (${code.length} bytes, code hash ${hash.slice(0, 16)}…): ${receipt.status}\n`);
    for (const org of ['org2', 'org3']) {
      const vote = await (await session(org, 'admin')).vote(receipt.proposalId, true);
      say(`  ${org} approves: ${vote.status}\n`);
    }
  }

  const run = Date.now().toString(36);
  const leafLot = `urn:epc:class:lgtin:4012345.011111.LEAF${run}`;
  const boxes = [1, 2].map((n) => `urn:epc:id:sgtin:0614141.107346.${run}${n}`);
  const pallet = `urn:epc:id:sscc:0012345.${run}`;
  const now = new Date().toISOString();
  const at = (sgln: string) => ({ eventTime: now, eventTimeZoneOffset: '+08:00', readPoint: { id: sgln }, bizLocation: { id: sgln } });
  const steps: Array<[string, string, Record<string, unknown>]> = [
    ['org1', 'grower commissions a tea-leaf lot', { type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', quantityList: [{ epcClass: leafLot, quantity: 800, uom: 'KGM' }], ...at('urn:epc:id:sgln:4012345.00001.0') }],
    ['org2', 'factory packs leaves into boxes', { type: 'TransformationEvent', inputQuantityList: [{ epcClass: leafLot, quantity: 2, uom: 'KGM' }], outputEPCList: boxes, ...at('urn:epc:id:sgln:0614141.00001.0') }],
    ['org3', 'distributor loads the boxes on a pallet', { type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', parentID: pallet, childEPCs: boxes, ...at('urn:epc:id:sgln:0012345.00001.0') }],
    ['org4', 'retailer receives the pallet', { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', epcList: [pallet], ...at('urn:epc:id:sgln:0098765.00001.0') }],
  ];
  for (const [org, what, event] of steps) {
    const receipt = await (await session(org, 'client')).contract('traceability').submit('recordEvents', { events: [event] });
    say(`  ${org}: ${what} (${event.type}, block ${receipt.height})\n`);
  }

  const consumer = (await session('org4', 'client')).contract('traceability');
  const proven = await consumer.evaluateProven('provenance', { epc: boxes[0], direction: 'upstream' });
  const upstream = (proven.result as { upstream: { nodes: Array<{ id: string }> } }).upstream.nodes.map((n) => n.id).filter((id) => id !== boxes[0]);
  say(`a consumer scans box ${boxes[0]}: it came from ${upstream.join(', ')}\n`);
  say(`  the answer rests on ${proven.entries.length} ledger entries, each verified offline against the validators' signatures at height ${proven.height}\n`);

  const recall = await (await session('org1', 'client')).contract('traceability').submit('recall', { lot: leafLot, reason: 'pesticide residue above the limit (demo)' });
  const affected = (recall.result as { affectedCount?: number }).affectedCount;
  say(`the grower recalls the leaf lot: ${affected ?? '?'} identifiers affected (block ${recall.height})\n`);
  const palletStatus = await consumer.evaluate('recallStatus', { id: pallet }) as { affectedBy: Array<{ recalled: string }> };
  if (palletStatus.affectedBy.length === 0) throw new XinlianError('INTERNAL', 'the recall did not reach the pallet');
  say(`  the retailer's pallet ${pallet} is affected by ${palletStatus.affectedBy.map((a) => a.recalled).join(', ')}\n`);
  return { leafLot, boxes, pallet };
}
