#!/usr/bin/env node
// Calibration of the natives' step charges (packages/contracts/src/natives/nativeSteps.ts): host
// time per call of each native on this machine, over small and large arguments of the shapes
// that cost most per unit, fitted as base + perUnit × units and turned into steps at
// NANOSECONDS_PER_STEP; printed beside the charges in force, and what a traceability event costs
// in the contract today against what the natives would charge for it. Prints one JSON object.
// Usage: node bench/nativeSteps.mjs [--min-ms 200] [--no-contract]   (after `npx tsc -b`)
import { hash as oneShotHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import {
  canonicalJson, compileSchemas, hashJson, hashText, NANOSECONDS_PER_STEP, NATIVE_STEPS, NATIVE_STEPS_MIN, NATIVES_AJV_VERSION, nativeSteps,
} from '@xinlian/contracts/natives';
import { contractLedger } from '@xinlian/contracts/testing';

const { values: options } = parseArgs({ options: { 'min-ms': { type: 'string', default: '200' }, 'no-contract': { type: 'boolean' } } });
const minNs = Number(options['min-ms']) * 1e6;
const root = new URL('../', import.meta.url);
const traceability = new URL('contracts/traceability/', root);
const readJson = (url) => JSON.parse(readFileSync(url, 'utf8'));

/** ns per call: the median of 5 timed rounds of at least minNs / 5 each, after a warm-up round. */
function measure(fn) {
  const round = (budget) => {
    let calls = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    do {
      for (let i = 0; i < 16; i++) fn();
      calls += 16;
      elapsed = Number(process.hrtime.bigint() - start);
    } while (elapsed < budget);
    return elapsed / calls;
  };
  round(minNs / 5);
  const rounds = Array.from({ length: 5 }, () => round(minNs / 5)).sort((a, b) => a - b);
  return rounds[2];
}

// Deterministic pseudo-random numbers (the bench must show the same shapes on every run).
let seed = 2024;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);

// One-shot hashing, as the node's suites hash (@xinlian/crypto-node).
const sm3 = (data) => new Uint8Array(oneShotHash('sm3', data, 'buffer'));
const sha256 = (data) => new Uint8Array(oneShotHash('sha256', data, 'buffer'));

// EPCIS: the schema the traceability contract validates against, its examples, and large events.
const schemas = compileSchemas({ epcis: readJson(new URL('schema/EPCIS-JSON-Schema.json', traceability)) });
const DOCUMENT_EVENT = '#/definitions/EPCIS-Document-Event';
const examples = readdirSync(new URL('vectors/examples/', traceability)).filter((f) => f.endsWith('.jsonld')).sort()
  .map((f) => readJson(new URL(`vectors/examples/${f}`, traceability)));
const eventsOf = (d) => d.epcisBody.eventList ?? d.epcisBody.queryResults.resultsBody.eventList;
const events = examples.flatMap(eventsOf);
const objectEvent = events.find((e) => e.type === 'ObjectEvent' && Array.isArray(e.epcList));
const bigEvent = (epc) => ({ ...objectEvent, epcList: Array.from({ length: 1800 }, (_, i) => epc(i)) });
const largeValid = bigEvent((i) => `urn:epc:id:sgtin:0614141.107346.${100000 + i}`);
if (schemas.validate('epcis', largeValid, DOCUMENT_EVENT).length > 0) throw new Error('the large event must be valid');
const largeInvalid = bigEvent((i) => `0614141.107346.${100000 + i}`); // not URIs: one error each
const largeQuantities = { ...objectEvent, quantityList: Array.from({ length: 900 }, (_, i) => ({ epcClass: `urn:epc:class:lgtin:4012345.0${i}.L`, quantity: random() * 100, uom: 'KGM' })) };
delete largeQuantities.epcList;
if (schemas.validate('epcis', largeQuantities, DOCUMENT_EVENT).length > 0) throw new Error('the event of many quantities must be valid');
// The costliest per unit: as many invalid items as fit in the sandbox's 65,536 characters, each an error.
const manyBadEpcs = { ...objectEvent, epcList: Array.from({ length: 7000 }, (_, i) => `x${i}`) };
const manyEmptyQuantities = { ...objectEvent, quantityList: Array.from({ length: 16000 }, () => ({})) };

/** The same event with one member changed: invalid in one of many ways. */
function mutatedEvents(count) {
  const out = [];
  for (let n = 0; n < count; n++) {
    const event = structuredClone(events[n % events.length]);
    const keys = Object.keys(event);
    const key = keys[Math.floor(random() * keys.length)];
    const replacement = [1, 'x', null, [], {}, ['x'], 'urn:x:y', '2024-13-01T00:00:00Z'][Math.floor(random() * 8)];
    event[key] = replacement;
    if (schemas.validate('epcis', event, DOCUMENT_EVENT).length > 0) out.push(event);
  }
  return out;
}

const ascii = (n) => 'a'.repeat(n);
const cjk = (n) => '链'.repeat(n);
const keysValue = Object.fromEntries(Array.from({ length: 6500 }, (_, i) => [`k${(i * 7919) % 6500}`, i]));
const numbersValue = Array.from({ length: 3000 }, () => (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20));
const escapesValue = Array.from({ length: 1500 }, (_, i) => `"\\\n\t${String.fromCharCode(i % 32)}q`);
const cjkValue = { text: cjk(20000) };
const nestedValue = (() => { let v = 1; for (let i = 0; i < 63; i++) v = { a: v, b: [i] }; return v; })();
const jsonUnits = (value) => JSON.stringify(value).length;

const valueSamples = [
  ['null', null], ['{}', {}], ['small object', { a: 1, b: 'x' }],
  ...events.slice(0, 6).map((e, i) => [`example event ${i}`, e]),
  ['largest example document', examples.reduce((a, b) => (jsonUnits(a) > jsonUnits(b) ? a : b))],
  ['6,500 members', keysValue], ['3,000 doubles', numbersValue], ['1,500 strings with escapes', escapesValue],
  ['20,000 CJK characters', cjkValue], ['nested 64 deep', nestedValue], ['1,800 EPCs', largeValid], ['900 quantities', largeQuantities],
];

const samples = {
  hash: [
    ...[0, 16, 1024, 65536].map((n) => [`${n} ASCII`, ascii(n)]),
    ...[16, 1024, 65536].map((n) => [`${n} CJK`, cjk(n)]),
  ].flatMap(([what, text]) => [['sm3', sm3], ['sha256', sha256]].map(([suite, hash]) => ({ what: `${what} ${suite}`, units: text.length, ns: measure(() => hashText(text, hash)) }))),
  canonicalJson: valueSamples.map(([what, value]) => ({ what, units: jsonUnits(value), ns: measure(() => canonicalJson(value)) })),
  hashJson: valueSamples.map(([what, value]) => ({ what: `${what} sm3`, units: jsonUnits(value), ns: measure(() => hashJson(value, sm3)) })),
  validate: [
    ['{} (invalid)', {}, DOCUMENT_EVENT], ['"x" (invalid)', 'x', DOCUMENT_EVENT],
    ...events.slice(0, 6).map((e, i) => [`example event ${i}`, e, DOCUMENT_EVENT]),
    ...examples.slice(0, 4).map((d, i) => [`example document ${i}`, d, '#']),
    ...mutatedEvents(40).map((e, i) => [`mutated event ${i} (invalid)`, e, DOCUMENT_EVENT]),
    ['1,800 EPCs', largeValid, DOCUMENT_EVENT], ['1,800 EPCs, none a URI (invalid)', largeInvalid, DOCUMENT_EVENT],
    ['900 quantities', largeQuantities, DOCUMENT_EVENT],
    ['7,000 EPCs, none a URI (invalid)', manyBadEpcs, DOCUMENT_EVENT], ['16,000 empty quantities (invalid)', manyEmptyQuantities, DOCUMENT_EVENT],
  ].map(([what, value, ref]) => ({ what, units: jsonUnits(value), ns: measure(() => schemas.validate('epcis', value, ref)) })),
};

/**
 * The fit: base is the slowest call on an argument of at most 64 units; per unit, the most that a
 * larger argument costs beyond base, per unit. Steps round up, per unit to eighths.
 */
function fit(list) {
  const baseNs = Math.max(...list.filter((s) => s.units <= 64).map((s) => s.ns));
  const worst = list.filter((s) => s.units > 64).reduce((a, s) => ((s.ns - baseNs) / s.units > (a.ns - baseNs) / a.units ? s : a));
  const nsPerUnit = (worst.ns - baseNs) / worst.units;
  return {
    baseNs: Math.round(baseNs), nsPerUnit: Number(nsPerUnit.toFixed(2)), worstPerUnit: worst.what,
    steps: { base: Math.ceil(baseNs / NANOSECONDS_PER_STEP), perUnit: Math.ceil((nsPerUnit / NANOSECONDS_PER_STEP) * 8) / 8 },
  };
}

const natives = {};
for (const [name, list] of Object.entries(samples)) {
  const charged = (s) => nativeSteps(name, s.units);
  natives[name] = {
    fit: fit(list),
    inForce: NATIVE_STEPS[name],
    // Every sample's host time at NANOSECONDS_PER_STEP against its charge: over 1 means undercharged.
    worstTimeToCharge: Number(Math.max(...list.map((s) => s.ns / NANOSECONDS_PER_STEP / charged(s))).toFixed(2)),
    samples: list.map((s) => ({ what: s.what, units: s.units, ns: Math.round(s.ns), nsPerUnit: s.units > 0 ? Number((s.ns / s.units).toFixed(2)) : null, charged: charged(s) })),
  };
}

// A traceability event as the contract checks and hashes it today, in the sandbox: steps and time
// of recordEvents (evaluated: nothing is written) for 1 and for 30 events, the fastest of 15 runs;
// their difference over 29 is one event's share (validation, canonical JSON, hash, index entries),
// which the natives' charges for its validation and hash can be set against.
let traceabilityEvent;
{
  const event = objectEvent;
  const units = jsonUnits(event);
  traceabilityEvent = {
    units,
    nativeCharge: { validate: nativeSteps('validate', units), hashJson: nativeSteps('hashJson', units) },
    nativeUs: { validate: Number((measure(() => schemas.validate('epcis', event, DOCUMENT_EVENT)) / 1e3).toFixed(1)), hashJson: Number((measure(() => hashJson(event, sm3)) / 1e3).toFixed(1)) },
  };
  if (!options['no-contract']) {
    const ledger = await contractLedger(new URL('contract.ts', traceability), { name: 'traceability' });
    const run = async (count) => {
      const args = { events: Array.from({ length: count }, (_, i) => ({ ...event, eventTime: `2024-01-01T00:00:${String(i).padStart(2, '0')}Z` })) };
      const times = [];
      let steps;
      for (let i = 0; i < 15; i++) {
        const start = process.hrtime.bigint();
        const outcome = await ledger.evaluate('recordEvents', args, { org: 'org1', role: 'client' });
        times.push(Number(process.hrtime.bigint() - start));
        if (!outcome.ok) throw new Error(JSON.stringify(outcome));
        steps = outcome.steps;
      }
      return { steps, ns: Math.min(...times) }; // the least disturbed run: this machine is shared
    };
    const [one, thirty] = [await run(1), await run(30)];
    const stepsPerEvent = (thirty.steps - one.steps) / 29;
    const nsPerEvent = (thirty.ns - one.ns) / 29;
    traceabilityEvent.contractToday = {
      call1: { steps: one.steps, ms: Number((one.ns / 1e6).toFixed(2)) }, call30: { steps: thirty.steps, ms: Number((thirty.ns / 1e6).toFixed(2)) },
      stepsPerEvent: Math.round(stepsPerEvent), msPerEvent: Number((nsPerEvent / 1e6).toFixed(3)), nsPerStep: Math.round(nsPerEvent / stepsPerEvent),
    };
  }
}

console.log(JSON.stringify({
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, ajv: NATIVES_AJV_VERSION },
  nanosecondsPerStep: NANOSECONDS_PER_STEP, stepsMin: NATIVE_STEPS_MIN, traceabilityEvent, natives,
}, null, 2));
