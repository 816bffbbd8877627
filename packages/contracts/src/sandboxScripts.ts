// The JavaScript the sandbox runs around a contract (ADR 009, ADR 010, ADR 013). Plain ES2020 text:
// it is evaluated inside QuickJS, never by the host, once per compiled contract.

/** Deepest value that may cross the boundary or go through JSON. */
export const VALUE_DEPTH_MAX = 64;

/**
 * The host functions, by their id in the engine's function table. Each takes and returns strings:
 * JSON text (keys and other strings are JSON-quoted, so no NUL or lone surrogate is lost on the
 * way), undefined for "nothing", or a refusal (HOST_REFUSAL + JSON {name, message, code?}) that the
 * prelude throws as an error in the contract.
 */
export const HOST_FUNCTIONS = ['get', 'put', 'del', 'range', 'history', 'emit', 'call', 'hash', 'depthOk', 'validate', 'canonicalJson', 'hashJson'] as const;
export type HostFunction = (typeof HOST_FUNCTIONS)[number];

/**
 * Marks a host function's answer as an error to throw: JSON text never starts with '!' (and a
 * string crosses into QuickJS as a C string, so it could not carry a NUL).
 */
export const HOST_REFUSAL = '!';

/**
 * Runs once, before the contract's code: removes what could differ between nodes or reach the
 * host, puts a depth check in front of JSON, builds the frozen `api` over the host functions (taken
 * from the global scope and removed before any contract code runs), and completes with the invoke
 * function that the host keeps. QuickJS's own stack check does not see C recursion (it measures
 * WebAssembly's shadow stack, which those frames do not use), so a deeply nested value would
 * overflow the host's stack instead, at a depth that depends on the host: values are refused at
 * VALUE_DEPTH_MAX levels, a value by a walk in interpreted code (whose depth QuickJS does check)
 * and JSON text by the host's scan (depthOk), which is much faster than scanning it in the
 * interpreter.
 *
 * invoke(op, argsJson, ctxJson) runs the operation; a ContractError (any error whose name is
 * 'ContractError' and whose code is UPPER_SNAKE_CASE) comes back as a refusal rather than a failure,
 * so that the caller can tell the contract's own "no" from a crash.
 */
export const PRELUDE = compact(`
delete globalThis.Date;
Math.random = function () { throw new Error('Math.random is not available in contracts: derive values from ctx.txId'); };
delete globalThis.Atomics; delete globalThis.SharedArrayBuffer; delete globalThis.WeakRef; delete globalThis.FinalizationRegistry;
var exports = {}; var module = { exports: exports };
(function () {
  var g = globalThis, host = {};
  ${JSON.stringify(HOST_FUNCTIONS)}.forEach(function (name) { host[name] = g['__host_' + name]; delete g['__host_' + name]; });
  var stringify = JSON.stringify, parse = JSON.parse;
  function depth(value, level) {
    if (value === null || typeof value !== 'object') return;
    if (level >= ${VALUE_DEPTH_MAX}) throw new RangeError('value nested deeper than ${VALUE_DEPTH_MAX} levels');
    for (var key in value) if (Object.prototype.hasOwnProperty.call(value, key)) depth(value[key], level + 1);
  }
  JSON.stringify = function (value, replacer, space) { depth(value, 0); return stringify(value, replacer, space); };
  JSON.parse = function (text, reviver) {
    text = String(text);
    if (host.depthOk(text) === undefined) throw new RangeError('JSON nested deeper than ${VALUE_DEPTH_MAX} levels');
    return parse(text, reviver);
  };
  function json(value) { depth(value, 0); var text = stringify(value); return text === undefined ? 'null' : text; }
  function quoted(value) { return stringify(String(value)); }
  function answer(reply) {
    if (typeof reply === 'string' && reply.charCodeAt(0) === 33) {
      var refusal = parse(reply.slice(1)), error = new Error(refusal.message);
      error.name = refusal.name;
      if (refusal.code !== undefined) error.code = refusal.code;
      throw error;
    }
    return reply;
  }
  function value(reply) { reply = answer(reply); return reply === undefined ? undefined : parse(reply); }
  var api = Object.freeze({
    get: function (key) { return value(host.get(quoted(key))); },
    put: function (key, v) {
      if (v === undefined) throw new TypeError('put needs a value: use del to delete');
      answer(host.put(quoted(key), json(v)));
    },
    del: function (key) { answer(host.del(quoted(key))); },
    range: function (query) { return value(host.range(query === undefined ? '{}' : json(query))); },
    history: function (key, limit) { return value(host.history(quoted(key), limit === undefined ? 'null' : json(limit))); },
    emit: function (type, attributes) { answer(host.emit(quoted(type), attributes === undefined ? '{}' : json(attributes))); },
    call: function (contract, op, args) { return value(host.call(quoted(contract), op === undefined ? '""' : quoted(op), args === undefined ? 'null' : json(args))); },
    hash: function (data) { return value(host.hash(quoted(data))); },
    validate: function (schema, v, ref) { return value(host.validate(quoted(schema), json(v), ref === undefined ? 'null' : quoted(ref))); },
    canonicalJson: function (v) { return value(host.canonicalJson(json(v))); },
    hashJson: function (v) { return value(host.hashJson(json(v))); }
  });
  var codePattern = /^[A-Z][A-Z0-9_]{0,63}$/;
  return function invoke(op, argsJson, ctxJson) {
    var contract = module.exports && module.exports.default ? module.exports.default : module.exports;
    var fn = contract[op];
    if (typeof fn !== 'function' || !Object.prototype.hasOwnProperty.call(contract, op)) throw new Error('no operation "' + op + '"');
    try {
      var result = fn.call(contract, api, parse(argsJson), Object.freeze(parse(ctxJson)));
      return stringify({ result: result === undefined ? 'null' : json(result) });
    } catch (e) {
      if (e && e.name === 'ContractError' && typeof e.code === 'string' && codePattern.test(e.code)) {
        return stringify({ rejected: { code: e.code, message: String(e.message) } });
      }
      throw e;
    }
  };
})();
`);

/**
 * Evaluated once after the contract's code: its named JSON Schemas (the module's `schemas` export)
 * as JSON text, which the host compiles with the image (ADR 012). Only the contract's own answer
 * can be wrong here, and then only its own validations fail.
 */
export const SCHEMAS_SCRIPT = `(function () { var s = module.exports && module.exports.schemas; return s === undefined || s === null ? 'null' : JSON.stringify(s); })()`;

/**
 * The script without its indentation (smaller in every compiled image); every statement in it
 * ends in `;` or a brace.
 */
function compact(script: string): string {
  if (/\/\/ /.test(script)) throw new Error('sandbox scripts use /* */ comments: a line comment would swallow the rest once compacted');
  return script.replace(/\n\s*/g, '');
}
