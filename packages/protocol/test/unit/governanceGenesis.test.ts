import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  consortiumView, DEFAULT_GOVERNANCE, encodeAclRule, encodeValidatorsNextRecord, encodeValidatorsRecord, genesisToJson,
  governanceOf, GOV_KINDS, parseGenesis, sysKey, toHex, utf8, validatorSetAt, XinlianError, type Genesis, type ValidatorEntry,
} from '../../src/index.js';
import { makeGenesis } from '../helpers/testChain.js';

const invalid = (pattern: RegExp) => (error: unknown) =>
  error instanceof XinlianError && error.code === 'GENESIS_INVALID' && pattern.test(error.message);

test('genesis without governance keeps it absent and means the defaults', async () => {
  const { genesis } = await makeGenesis('intl');
  const parsed = parseGenesis(JSON.parse(genesisToJson(genesis)));
  assert.equal(parsed.governance, undefined);
  assert.deepEqual(governanceOf(parsed), DEFAULT_GOVERNANCE);
  assert.equal(DEFAULT_GOVERNANCE.policies.setPolicy, 'all');
  assert.equal(DEFAULT_GOVERNANCE.policies.revokeCertificate, 'majority');
});

test('genesis governance round trips in a fixed order and is validated strictly', async () => {
  const { genesis: base } = await makeGenesis('intl');
  const governance = { policies: { ...DEFAULT_GOVERNANCE.policies, addOrganisation: 'all' as const }, proposalHeightsMax: 50 };
  const genesis: Genesis = { ...base, governance };
  const text = genesisToJson(genesis);
  const json = JSON.parse(text);
  assert.deepEqual(Object.keys(json), ['chainId', 'suite', 'genesisTimeMs', 'organisations', 'validators', 'parameters', 'governance']);
  assert.deepEqual(Object.keys(json.governance.policies), [...GOV_KINDS]);
  assert.deepEqual(parseGenesis(json), genesis);
  const reversed = { ...json, governance: { proposalHeightsMax: 50, policies: Object.fromEntries(Object.entries(json.governance.policies).reverse()) } };
  assert.equal(genesisToJson(parseGenesis(reversed)), text);

  const cases: Array<[(j: any) => void, RegExp]> = [
    [(j) => { delete j.governance.policies.setReadAcl; }, /governance\.policies\.setReadAcl: is missing/],
    [(j) => { j.governance.policies.addContract = 'all'; }, /governance\.policies: unknown field "addContract"/],
    [(j) => { j.governance.policies.setPolicy = 'unanimous'; }, /governance\.policies\.setPolicy: must be one of/],
    [(j) => { j.governance.proposalHeightsMax = 0; }, /governance\.proposalHeightsMax: must be an integer from 1/],
    [(j) => { j.governance.proposalHeightsMax = 10_000_001; }, /governance\.proposalHeightsMax/],
    [(j) => { delete j.governance.proposalHeightsMax; }, /governance\.proposalHeightsMax: is missing/],
    [(j) => { j.governance.extra = true; }, /governance: unknown field "extra"/],
    [(j) => { j.governance = []; }, /governance: must be an object/],
  ];
  for (const [edit, pattern] of cases) {
    const edited = JSON.parse(text);
    edit(edited);
    assert.throws(() => parseGenesis(edited), invalid(pattern), String(pattern));
  }
});

const entry = (name: string, power: number): ValidatorEntry => ({ name, org: 'org1', certDer: utf8(name), publicKey: new Uint8Array(32).fill(power), power });

test('validatorSetAt: the set in force until an announced set reaches its effective height', () => {
  const state = new Map<string, Uint8Array>();
  const reader = { get: (key: Uint8Array) => state.get(toHex(key)) };
  assert.equal(validatorSetAt(reader, 1), undefined);
  state.set(toHex(sysKey.validators()), encodeValidatorsRecord({ validators: [entry('a', 1), entry('b', 1)], sinceHeight: 1 }));
  assert.deepEqual(validatorSetAt(reader, 9)?.validators.map((v) => v.name), ['a', 'b']);
  state.set(toHex(sysKey.validatorsNext()), encodeValidatorsNextRecord({ validators: [entry('a', 1), entry('b', 1), entry('c', 1)], effectiveHeight: 10, proposalId: new Uint8Array(32) }));
  assert.deepEqual(validatorSetAt(reader, 9)?.validators.map((v) => v.name), ['a', 'b']);
  const at10 = validatorSetAt(reader, 10)!;
  assert.deepEqual(at10.validators.map((v) => v.name), ['a', 'b', 'c']);
  assert.equal(at10.sinceHeight, 10);
  assert.deepEqual(at10.set.map((v) => v.power), [1, 1, 1]);
  assert.deepEqual(at10.set[2]!.publicKey, entry('c', 1).publicKey);
  assert.equal(consortiumView(reader).nextValidators()?.effectiveHeight, 10);
});

test('readAclFor finds the rule of the longest "/"-terminated prefix of a key', () => {
  const state = new Map<string, Uint8Array>();
  const view = consortiumView({ get: (key) => state.get(toHex(key)) });
  assert.equal(view.readAclFor(utf8('evidence/ab/cd')), undefined);
  state.set(toHex(sysKey.aclRead('evidence/')), encodeAclRule({ orgs: 'all', roles: ['auditor'] }));
  state.set(toHex(sysKey.aclRead('evidence/ab/')), encodeAclRule({ orgs: ['org1'], roles: ['admin'] }));
  assert.deepEqual(view.readAclFor(utf8('evidence/ab/cd')), { prefix: 'evidence/ab/', rule: { orgs: ['org1'], roles: ['admin'] } });
  assert.deepEqual(view.readAclFor(utf8('evidence/abc')), { prefix: 'evidence/', rule: { orgs: 'all', roles: ['auditor'] } });
  assert.equal(view.readAclFor(utf8('evidence')), undefined);
  assert.equal(view.readAclFor(Uint8Array.of(0xff, 0x2f, 0x41)), undefined);
});
