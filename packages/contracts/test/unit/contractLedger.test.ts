import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { contractLedger } from '../../src/testing.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/${name}.ts`, import.meta.url));
const caller = { org: 'org1', role: 'client' };

test('the test ledger holds a submitted call to the limits of a tx result, as the chain does; a query is not bound by them', async () => {
  const ledger = await contractLedger(fixture('chatty'), { name: 'chatty' });
  const fits = await ledger.call('shout', { events: 63, resultChars: 1000 }, caller);
  assert.ok(fits.ok, JSON.stringify(fits).slice(0, 300));
  const tooManyEvents = await ledger.call('shout', { events: 64, resultChars: 1 }, caller);
  assert.ok(!tooManyEvents.ok && tooManyEvents.code === 'CONTRACT_FAILED' && /more than 63 events/.test(tooManyEvents.message));
  const tooLarge = await ledger.call('shout', { events: 0, resultChars: 2000 }, caller);
  assert.ok(!tooLarge.ok && /over the 1024 a tx result holds/.test(tooLarge.message));
  assert.equal(ledger.get('last'), 63, 'refused calls wrote nothing');
  const query = await ledger.evaluate('shout', { events: 100, resultChars: 5000 }, caller);
  assert.ok(query.ok && (query.result as string).length === 5000);
  assert.equal(ledger.get('last'), 63, 'a query writes nothing');
});
