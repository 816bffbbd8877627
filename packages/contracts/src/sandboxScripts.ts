// The JavaScript the sandbox runs around a contract (ADR 009, ADR 010). Plain ES2020 text: it is
// evaluated inside QuickJS, never by the host.

/** Deepest value that may cross the boundary or go through JSON. */
export const VALUE_DEPTH_MAX = 64;

/**
 * Runs before the contract: removes what could differ between nodes or reach the host, and puts
 * a depth check in front of JSON. QuickJS's own stack check does not see C recursion (it measures
 * WebAssembly's shadow stack, which those frames do not use), so a deeply nested value would
 * overflow the host's stack instead, at a depth that depends on the host: values are refused at
 * VALUE_DEPTH_MAX levels: a value by a walk in interpreted code, whose depth QuickJS does check, and
 * JSON text by the host's scan (__jsonDepthOk, taken into the prelude's closure and removed), which
 * is much faster than scanning it in the interpreter.
 */
export const PRELUDE = compact(`
delete globalThis.Date;
Math.random = function () { throw new Error('Math.random is not available in contracts: derive values from ctx.txId'); };
delete globalThis.Atomics; delete globalThis.SharedArrayBuffer; delete globalThis.WeakRef; delete globalThis.FinalizationRegistry;
(function () {
  var stringify = JSON.stringify, parse = JSON.parse, depthOk = globalThis.__jsonDepthOk;
  delete globalThis.__jsonDepthOk;
  function depth(value, level) {
    if (value === null || typeof value !== 'object') return;
    if (level >= ${VALUE_DEPTH_MAX}) throw new RangeError('value nested deeper than ${VALUE_DEPTH_MAX} levels');
    for (var key in value) if (Object.prototype.hasOwnProperty.call(value, key)) depth(value[key], level + 1);
  }
  JSON.stringify = function (value, replacer, space) { depth(value, 0); return stringify(value, replacer, space); };
  JSON.parse = function (text, reviver) {
    text = String(text);
    if (!depthOk(text)) throw new RangeError('JSON nested deeper than ${VALUE_DEPTH_MAX} levels');
    return parse(text, reviver);
  };
  /* For the host, which takes them before any contract code runs and removes the global. */
  globalThis.__json = { stringify: JSON.stringify, parseTrusted: parse };
})();
var exports = {}; var module = { exports: exports };
`);

/**
 * Runs the requested operation with the API as the contract sees it. A ContractError (any error
 * whose name is 'ContractError' and whose code is UPPER_SNAKE_CASE) comes back as a refusal
 * rather than a failure, so that the caller can tell the contract's own "no" from a crash.
 */
export const INVOKE = compact(`
(function (op, api, args, ctx, stringify) {
  var contract = module.exports && module.exports.default ? module.exports.default : module.exports;
  var fn = contract[op];
  if (typeof fn !== 'function' || !Object.prototype.hasOwnProperty.call(contract, op)) throw new Error('no operation "' + op + '"');
  try {
    var result = fn.call(contract, Object.freeze(api), args, Object.freeze(ctx));
    return stringify({ result: result === undefined ? 'null' : stringify(result) });
  } catch (e) {
    if (e && e.name === 'ContractError' && typeof e.code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(e.code)) {
      return stringify({ rejected: { code: e.code, message: String(e.message) } });
    }
    throw e;
  }
})
`);

/**
 * The scripts without their indentation: QuickJS parses them on every call (there is no bytecode
 * cache across fresh runtimes), and every statement in them ends in `;` or a brace.
 */
function compact(script: string): string {
  if (/\/\/ /.test(script)) throw new Error('sandbox scripts use /* */ comments: a line comment would swallow the rest once compacted');
  return script.replace(/\n\s*/g, '');
}
