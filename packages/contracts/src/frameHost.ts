import { CallOverlay, compareKeys, type KeyRange } from './callOverlay.js';
import { jsonDepthWithin } from './jsonDepth.js';
import { HOST_FUNCTIONS, HOST_REFUSAL, VALUE_DEPTH_MAX, type HostFunction } from './sandboxScripts.js';
import type { ContractEvent, ContractHost, ContractLimits } from './contractSandbox.js';
import { HOST_CALL_STEPS, type StepMeter } from './stepMeter.js';
import { canonicalJson, NativeRefusal, nativeSteps, SCHEMA_ERRORS_MAX, type CompiledSchemas, type NativeName, type SchemaError } from './natives/index.js';

/** The state of one tx's execution shared by its call frames. */
export interface TxRun {
  host: ContractHost;
  meter: StepMeter;
  events: ContractEvent[];
  writes: number;
  stack: string[];
}

/** What a nested call returns to the frame that made it: its result's JSON text, or why it failed. */
export type NestedOutcome =
  | { ok: true; resultJson: string }
  | { ok: false; code: string; message: string; reason?: string };

export interface FrameHostOptions {
  run: TxRun;
  overlay: CallOverlay;
  contract: string;
  limits: ContractLimits;
  /** The contract's compiled schemas (api.validate), if it declares any. */
  schemas: CompiledSchemas | undefined;
  /** Runs another contract's operation one frame deeper (arguments already checked). */
  callNested(contract: string, code: string, op: string, argsJson: string): NestedOutcome;
}

/** A limit or rule the host enforces: thrown into the contract as a plain Error. */
export class HostRefusal extends Error {}

/** The steps are spent: the interpreter stops at its next tick, the frame fails OUT_OF_STEPS. */
class StepsSpent extends Error {}

/** An error with a name (and a contract's code) for the contract to catch or to fail with. */
class GuestError extends Error {
  constructor(readonly guestName: string, message: string, readonly code?: string) {
    super(message);
  }
}

/** Why a value may not cross the boundary, or undefined when it may. */
export function valueRefusal(limits: ContractLimits, what: string, text: string): string | undefined {
  if (text.length > limits.valueCharsMax) return `${what} of ${text.length} characters exceeds ${limits.valueCharsMax}`;
  if (!jsonDepthWithin(text, VALUE_DEPTH_MAX)) return `${what} nested deeper than ${VALUE_DEPTH_MAX} levels`;
  return undefined;
}

/**
 * The host functions of one call frame (sandboxScripts.ts HOST_FUNCTIONS), by id: strings in, a
 * string, undefined or a refusal out. Writes go to the frame's overlay and reach the frame below
 * only if the call succeeds.
 */
export function frameHost(options: FrameHostOptions): (functionId: number, args: string[]) => string | undefined {
  const { run, overlay, contract, limits } = options;
  const checked = (what: string, text: string): string => {
    const refused = valueRefusal(limits, what, text);
    if (refused !== undefined) throw new HostRefusal(refused);
    return text;
  };
  const key = (json: string | undefined): string => checked('key', JSON.parse(json ?? '""') as string);
  /** Charges a native function's work before it is done (ADR 012). */
  const native = (name: NativeName, units: number): void => {
    if (!run.meter.charge(nativeSteps(name, units))) throw new StepsSpent();
  };
  const countWrite = (): void => {
    if (++run.writes > limits.writesMax) throw new HostRefusal(`more than ${limits.writesMax} writes and events`);
  };
  const methods: Record<HostFunction, (args: string[]) => string | undefined> = {
    get: ([keyJson]) => overlay.get(contract, key(keyJson)),
    put: ([keyJson, valueJson]) => {
      const k = key(keyJson);
      const value = checked('value', valueJson ?? 'null');
      if (!overlay.has(contract, k)) countWrite();
      overlay.set(contract, k, value);
      return undefined;
    },
    del: ([keyJson]) => {
      const k = key(keyJson);
      if (!overlay.has(contract, k)) countWrite();
      overlay.set(contract, k, null);
      return undefined;
    },
    range: ([queryJson]) => {
      const query = parseRangeQuery(queryJson ?? '{}', limits.rangeEntriesMax);
      // Stored values are JSON text already: one parse in the contract builds the whole answer.
      return `[${overlay.range(contract, query.range, query.limit).map(([k, value]) => `{"key":${JSON.stringify(k)},"value":${value}}`).join(',')}]`;
    },
    history: ([keyJson, limitJson]) => {
      const k = key(keyJson);
      const limit = limitJson === undefined || limitJson === 'null' ? 100 : Number(JSON.parse(limitJson));
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > limits.rangeEntriesMax) throw new HostRefusal(`history limit must be 1..${limits.rangeEntriesMax}`);
      const changes = run.host.history(contract, k, limit);
      return `[${changes.map((c) => `{"height":${c.height},"txId":${JSON.stringify(c.txId)},"value":${c.value ?? 'null'}}`).join(',')}]`;
    },
    emit: ([typeJson, attributesJson]) => {
      countWrite();
      const parsed = JSON.parse(checked('event', attributesJson ?? '{}')) as unknown;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new HostRefusal('event attributes must be an object');
      const attributes = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
      run.events.push({ contract, type: checked('event type', JSON.parse(typeJson ?? '""') as string), attributes });
      return undefined;
    },
    call: ([nameJson, opJson, argsJson]) => {
      const name = JSON.parse(nameJson ?? '""') as string;
      const op = JSON.parse(opJson ?? '""') as string;
      if (run.stack.length >= limits.callDepthMax) throw new HostRefusal(`calls nested deeper than ${limits.callDepthMax}`);
      if (run.stack.includes(name)) throw new HostRefusal(`re-entrant call of ${name} (call stack ${run.stack.join(' → ')})`);
      const callee = run.host.code(name);
      if (callee === undefined) throw new HostRefusal(`no contract "${name}" is deployed`);
      // The operation's access rule holds however it is reached, so a contract cannot lend its
      // callers rights they do not have.
      const denied = run.host.authorize?.(name, op);
      if (denied !== undefined) throw new GuestError('TX_FORBIDDEN', denied);
      const out = options.callNested(name, callee, op, checked('arguments', argsJson ?? 'null'));
      if (out.ok) return out.resultJson;
      if (out.code === 'CONTRACT_REJECTED') throw new GuestError('ContractError', out.message.slice((out.reason ?? '').length + 2), out.reason ?? '');
      throw new GuestError(out.code, out.message);
    },
    hash: ([dataJson]) => {
      const data = JSON.parse(dataJson ?? '""') as string;
      native('hash', data.length);
      return JSON.stringify(run.host.hash(data));
    },
    depthOk: ([text]) => (jsonDepthWithin(text ?? '', VALUE_DEPTH_MAX) ? '1' : undefined),
    validate: ([nameJson, valueJson, refJson]) => {
      const value = checked('value', valueJson ?? 'null');
      native('validate', value.length);
      const name = JSON.parse(nameJson ?? '""') as string;
      const ref = refJson === undefined || refJson === 'null' ? undefined : JSON.parse(refJson) as string;
      if (options.schemas === undefined) throw new NativeRefusal(`no schema "${name}": the contract declares no schemas`);
      return errorsJson(options.schemas.validate(name, JSON.parse(value), ref), limits.valueCharsMax);
    },
    canonicalJson: ([valueJson]) => {
      const value = checked('value', valueJson ?? 'null');
      native('canonicalJson', value.length);
      return JSON.stringify(canonicalJson(JSON.parse(value)));
    },
    hashJson: ([valueJson]) => {
      const value = checked('value', valueJson ?? 'null');
      native('hashJson', value.length);
      return JSON.stringify(run.host.hash(canonicalJson(JSON.parse(value))));
    },
  };
  return (functionId, args) => {
    // Spent: the interpreter stops at its next tick, and the frame reports CONTRACT_OUT_OF_STEPS.
    if (!run.meter.charge(HOST_CALL_STEPS)) return refusal('InternalError', 'interrupted');
    try {
      return methods[HOST_FUNCTIONS[functionId]!](args);
    } catch (error) {
      if (error instanceof GuestError) return refusal(error.guestName, error.message, error.code);
      if (error instanceof HostRefusal) return refusal('Error', error.message);
      if (error instanceof NativeRefusal) return refusal('NativeRefusal', error.message);
      if (error instanceof StepsSpent) return refusal('InternalError', 'interrupted');
      // The host's own stack ran out inside a nested call (a C recursion QuickJS does not count):
      // this frame gets an error like any other, the nested instance is replaced by the sandbox.
      if (error instanceof RangeError) return refusal('InternalError', `host: ${error.message}`);
      throw error;
    }
  };
}

/** A validation's errors as JSON text within the value limit: the last errors go first. */
function errorsJson(errors: SchemaError[], charsMax: number): string {
  let shown = errors.slice(0, SCHEMA_ERRORS_MAX).map(({ path, keyword, message }) => ({ path, keyword, message }));
  let text = JSON.stringify(shown);
  while (text.length > charsMax && shown.length > 1) text = JSON.stringify((shown = shown.slice(0, -1)));
  return text.length > charsMax ? JSON.stringify([{ path: '', keyword: 'schema', message: 'invalid (the error is too long to report)' }]) : text;
}

function refusal(name: string, message: string, code?: string): string {
  return HOST_REFUSAL + JSON.stringify(code === undefined ? { name, message } : { name, message, code });
}

function parseRangeQuery(json: string, entriesMax: number): { range: KeyRange; limit: number } {
  const query = (JSON.parse(json) ?? {}) as { prefix?: unknown; start?: unknown; end?: unknown; limit?: unknown };
  const text = (what: string, value: unknown): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new HostRefusal(`range ${what} must be a string`);
    return value;
  };
  const prefix = text('prefix', query.prefix) ?? '';
  const start = text('start', query.start);
  const end = text('end', query.end);
  const limit = query.limit ?? entriesMax;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > entriesMax) throw new HostRefusal(`range limit must be 1..${entriesMax}`);
  let lower = prefix;
  if (start !== undefined && compareKeys(start, lower) > 0) lower = start;
  let upper = prefixEnd(prefix);
  if (end !== undefined && (upper === undefined || compareKeys(end, upper) < 0)) upper = end;
  return { range: { start: lower, end: upper }, limit };
}

/** The first string after every string starting with `prefix` (undefined: none; all keys qualify). */
function prefixEnd(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogate block, which no well-formed key contains.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}
