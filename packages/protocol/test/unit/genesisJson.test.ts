import { test } from 'node:test';
import assert from 'node:assert/strict';
import { genesisToJson, parseGenesis } from '../../src/genesisJson.js';
import { pureSuite } from '../../src/crypto/pureSuites.js';
import { XinlianError } from '../../src/errors.js';
import type { Genesis } from '../../src/genesis.js';
import { pemEncode } from '../../src/x509/index.js';
import { DAY_MS, GENESIS_TIME_MS, issue, makeCa, makeGenesis } from '../helpers/testChain.js';

const invalid = (pattern: RegExp) => (error: unknown) =>
  error instanceof XinlianError && error.code === 'GENESIS_INVALID' && pattern.test(error.message);

function edited(genesis: Genesis, edit: (json: any) => void): unknown {
  const json = JSON.parse(genesisToJson(genesis));
  edit(json);
  return json;
}

for (const suite of ['intl', 'gm'] as const) {
  test(`${suite}: genesisToJson and parseGenesis round trip with a stable key order`, async () => {
    const { genesis } = await makeGenesis(suite);
    const text = genesisToJson(genesis);
    assert.deepEqual(parseGenesis(JSON.parse(text)), genesis);
    assert.deepEqual(parseGenesis(JSON.parse(text), pureSuite(suite)), genesis);
    const shuffled = Object.fromEntries(Object.entries(JSON.parse(text)).reverse());
    assert.equal(genesisToJson(parseGenesis(shuffled)), text);
    assert.deepEqual(Object.keys(JSON.parse(text)), ['chainId', 'suite', 'genesisTimeMs', 'organisations', 'validators', 'parameters']);
  });
}

test('structural errors name the field', async () => {
  const { genesis } = await makeGenesis('intl');
  const cases: Array<[(json: any) => void, RegExp]> = [
    [(j) => { j.chainId = 'has space'; }, /\.chainId: .* must match/],
    [(j) => { j.suite = 'rsa'; }, /\.suite: must be "gm" or "intl"/],
    [(j) => { j.genesisTimeMs = 1.5; }, /\.genesisTimeMs: must be an integer/],
    [(j) => { j.extra = 1; }, /unknown field "extra"/],
    [(j) => { delete j.parameters; }, /\.parameters: is missing/],
    [(j) => { j.organisations[1].id = 'org1'; }, /duplicate organisation id/],
    [(j) => { j.organisations[0].id = 'Org_1'; }, /organisations\[0\]\.id/],
    [(j) => { j.organisations[0].name = ''; }, /organisations\[0\]\.name/],
    [(j) => { j.organisations = []; }, /\.organisations: must have 1/],
    [(j) => { j.validators = []; }, /\.validators: must have 1/],
    [(j) => { j.validators[0].power = 0; }, /validators\[0\]\.power/],
    [(j) => { j.validators[0].power = '1'; }, /validators\[0\]\.power/],
    [(j) => { j.validators[1].name = j.validators[0].name; }, /duplicate validator name/],
    [(j) => { j.validators[0].publicKey = j.validators[1].publicKey; }, /validators\[0\]\.publicKey: does not match/],
    [(j) => { j.validators[0].publicKey = 'ABCD'; }, /lower-case hex/],
    [(j) => { j.validators[0].org = 'org5'; }, /unknown organisation "org5"/],
    [(j) => { j.validators[0].org = 'org2'; }, /issued by the org1 CA, not org2/],
    [(j) => { j.validators[0].certPem = 'nope'; }, /validators\[0\]\.certPem: .*PEM/],
    [(j) => { j.parameters.blockTxsMax = 0; }, /parameters\.blockTxsMax/],
    [(j) => { j.parameters.txBytesMax = 10 ** 9; }, /parameters\.txBytesMax/],
    [(j) => { j.parameters.blockBytesMax = 2048; }, /blockBytesMax: must be at least txBytesMax/],
    [(j) => { j.parameters.typo = 1; }, /unknown field "typo"/],
    [(j) => { j.genesisTimeMs = GENESIS_TIME_MS + 400 * DAY_MS; }, /not valid at genesisTimeMs|not valid at/],
  ];
  for (const [edit, pattern] of cases) assert.throws(() => parseGenesis(edited(genesis, edit)), invalid(pattern), String(pattern));
  assert.throws(() => parseGenesis(null), invalid(/genesis: must be an object/));
  assert.throws(() => parseGenesis(JSON.parse(genesisToJson(genesis)), pureSuite('gm')), invalid(/verifier/));
});

test('validator certificates must be node certificates from the organisation CA', async () => {
  const { genesis, cas } = await makeGenesis('intl');
  const client = await issue('intl', cas[0]!, 'client');
  const notNode = edited(genesis, (j) => {
    j.validators[0].certPem = pemEncode('CERTIFICATE', client.der);
    j.validators[0].publicKey = Buffer.from(client.key.publicKey).toString('hex');
  });
  assert.throws(() => parseGenesis(notNode), invalid(/role is client/));
  const foreign = await issue('intl', await makeCa('intl', 'org1'), 'node');
  const foreignJson = edited(genesis, (j) => {
    j.validators[0].certPem = pemEncode('CERTIFICATE', foreign.der);
    j.validators[0].publicKey = Buffer.from(foreign.key.publicKey).toString('hex');
  });
  assert.throws(() => parseGenesis(foreignJson), invalid(/certPem: .*another key of the org1 CA/));
  const badCa = edited(genesis, (j) => { j.organisations[0].caCertPem = 'junk'; });
  assert.throws(() => parseGenesis(badCa), invalid(/organisations: .*org1/));
});
