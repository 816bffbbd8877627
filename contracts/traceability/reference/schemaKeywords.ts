// The draft-07 keywords the validator implements, each compiled once into a check. Applicators
// (properties, items, anyOf, ...) recurse through validateNode; assertions are in schemaAssertions.
import { childPath as child, pointer, schemaFail as fail, type InstancePath, type SchemaError } from './instancePath.js';
import { compileAssertion, isObject } from './schemaAssertions.js';

export type { InstancePath, SchemaError } from './instancePath.js';

/** One keyword's test: true if it passes. With `errors` null, only the answer matters. */
export type Check = (value: unknown, path: InstancePath, errors: SchemaError[] | null) => boolean;
export type SchemaNode = boolean | { readonly at: string; readonly checks: Check[] };

export interface KeywordTools {
  compile(schema: unknown, at: string): SchemaNode;
  resolve(ref: string): SchemaNode;
  pattern(source: string): RegExp;
  format(name: string): (text: string) => boolean;
  fail(message: string): Error;
}

export const ERRORS_MAX = 20;

/** Runs every check of `node`; with `errors` null it stops at the first failure. */
export function validateNode(node: SchemaNode, value: unknown, path: InstancePath, errors: SchemaError[] | null): boolean {
  if (node === true) return true;
  if (node === false) return fail(errors, path, 'false', 'is not allowed here');
  let valid = true;
  for (const check of node.checks) {
    if (!check(value, path, errors)) {
      valid = false;
      if (errors === null || errors.length >= ERRORS_MAX) return false;
    }
  }
  return valid;
}

/** The check for `keyword` of `schema`, or undefined if the keyword is not implemented. */
export function compileKeyword(keyword: string, schema: Record<string, unknown>, where: string, tools: KeywordTools): Check | undefined {
  const spec = schema[keyword];
  const sub = (s: unknown, suffix: string): SchemaNode => tools.compile(s, `${where}${suffix}`);
  const subList = (): SchemaNode[] => {
    if (!Array.isArray(spec) || spec.length === 0) throw tools.fail('must be a non-empty array of schemas');
    return spec.map((s, i) => sub(s, `/${i}`));
  };
  switch (keyword) {
    case '$ref': {
      if (typeof spec !== 'string') throw tools.fail('must be a string');
      const target = tools.resolve(spec);
      return (value, path, errors) => validateNode(target, value, path, errors);
    }
    case 'properties':
      return properties(schemaMap(spec, tools, where), null);
    case 'patternProperties': {
      const map = schemaMap(spec, tools, where);
      return properties(null, map.map(([source, node]) => [tools.pattern(source), node]));
    }
    case 'additionalProperties':
      return additionalProperties(schema, sub(spec, ''), tools);
    case 'propertyNames': {
      const node = sub(spec, '');
      return (value, path, errors) => everyMember(value, (key) => {
        if (validateNode(node, key, null, null)) return true;
        if (errors === null) return false;
        const inner: SchemaError[] = [];
        validateNode(node, key, null, inner);
        return fail(errors, child(path, key), 'propertyNames', `property name ${JSON.stringify(key)} is not allowed: ${inner[0]?.message ?? 'invalid'}`);
      }, errors);
    }
    case 'items':
      return Array.isArray(spec) ? tupleItems(spec.map((s, i) => sub(s, `/${i}`)), schema.additionalItems, tools, where) : arrayItems(sub(spec, ''), 0);
    case 'allOf': {
      const nodes = subList();
      return (value, path, errors) => {
        let valid = true;
        for (const node of nodes) if (!validateNode(node, value, path, errors) && ((valid = false), errors === null)) return false;
        return valid;
      };
    }
    case 'anyOf':
      return anyOf(subList());
    case 'oneOf':
      return oneOf(subList());
    case 'not': {
      const node = sub(spec, '');
      return (value, path, errors) => !validateNode(node, value, path, null) || fail(errors, path, 'not', 'must not match the schema in "not"');
    }
    case 'if': {
      const condition = sub(spec, '');
      const then = schema.then === undefined ? true : tools.compile(schema.then, `${where.slice(0, -3)}/then`);
      const otherwise = schema.else === undefined ? true : tools.compile(schema.else, `${where.slice(0, -3)}/else`);
      return (value, path, errors) => validateNode(validateNode(condition, value, path, null) ? then : otherwise, value, path, errors);
    }
    default:
      return compileAssertion(keyword, spec, tools);
  }
}

function schemaMap(spec: unknown, tools: KeywordTools, where: string): Array<[string, SchemaNode]> {
  if (!isObject(spec)) throw tools.fail('must be an object of schemas');
  return Object.keys(spec).map((name) => [name, tools.compile(spec[name], `${where}/${name}`)]);
}

function everyMember(value: unknown, test: (key: string, member: unknown) => boolean, errors: SchemaError[] | null): boolean {
  if (!isObject(value)) return true;
  let valid = true;
  for (const key of Object.keys(value)) if (!test(key, value[key]) && ((valid = false), errors === null)) return false;
  return valid;
}

function properties(named: Array<[string, SchemaNode]> | null, patterned: Array<[RegExp, SchemaNode]> | null): Check {
  return (value, path, errors) => {
    if (!isObject(value)) return true;
    let valid = true;
    if (named !== null) {
      for (const [name, node] of named) {
        if (!Object.prototype.hasOwnProperty.call(value, name)) continue;
        if (!validateNode(node, value[name], child(path, name), errors) && ((valid = false), errors === null)) return false;
      }
    }
    if (patterned !== null) {
      return everyMember(value, (key, member) => {
        let ok = true;
        for (const [pattern, node] of patterned) if (pattern.test(key) && !validateNode(node, member, child(path, key), errors)) ok = false;
        return ok;
      }, errors) && valid;
    }
    return valid;
  };
}

function additionalProperties(schema: Record<string, unknown>, node: SchemaNode, tools: KeywordTools): Check {
  const named = new Set(isObject(schema.properties) ? Object.keys(schema.properties) : []);
  const patterns = isObject(schema.patternProperties) ? Object.keys(schema.patternProperties).map((p) => tools.pattern(p)) : [];
  return (value, path, errors) => everyMember(value, (key, member) => {
    if (named.has(key) || patterns.some((p) => p.test(key))) return true;
    if (node === false) return fail(errors, child(path, key), 'additionalProperties', `property ${JSON.stringify(key)} is not allowed`);
    return validateNode(node, member, child(path, key), errors);
  }, errors);
}

function arrayItems(node: SchemaNode, from: number): Check {
  return (value, path, errors) => {
    if (!Array.isArray(value)) return true;
    let valid = true;
    for (let i = from; i < value.length; i++) if (!validateNode(node, value[i], child(path, i), errors) && ((valid = false), errors === null)) return false;
    return valid;
  };
}

function tupleItems(nodes: SchemaNode[], additional: unknown, tools: KeywordTools, where: string): Check {
  const rest = additional === undefined ? true : tools.compile(additional, `${where.slice(0, -'/items'.length)}/additionalItems`);
  const restCheck = arrayItems(rest, nodes.length);
  return (value, path, errors) => {
    if (!Array.isArray(value)) return true;
    let valid = true;
    for (let i = 0; i < nodes.length && i < value.length; i++) {
      if (!validateNode(nodes[i]!, value[i], child(path, i), errors) && ((valid = false), errors === null)) return false;
    }
    return restCheck(value, path, errors) && valid;
  };
}

/**
 * Why no branch matched: each branch's first error in the message (relative to the value), and
 * the errors of the branch that got deepest into the value, when deeper than the value itself.
 */
function explainBranches(keyword: string, lead: string, nodes: SchemaNode[], value: unknown, path: InstancePath, errors: SchemaError[]): false {
  const here = pointer(path);
  const depthOf = (e: SchemaError) => e.path.split('/').length;
  let deepest: SchemaError[] = [];
  const reasons = new Set<string>();
  for (const node of nodes) {
    const branch: SchemaError[] = [];
    validateNode(node, value, path, branch);
    const first = branch[0];
    if (first !== undefined) reasons.add(first.path === here ? first.message : `${first.path.slice(here.length)} ${first.message}`);
    if (branch.reduce((d, e) => Math.max(d, depthOf(e)), 0) > deepest.reduce((d, e) => Math.max(d, depthOf(e)), here.split('/').length)) deepest = branch;
  }
  fail(errors, path, keyword, `${lead}: ${[...reasons].join(' | ')}`);
  errors.push(...deepest);
  return false;
}

function anyOf(nodes: SchemaNode[]): Check {
  return (value, path, errors) => {
    for (const node of nodes) if (validateNode(node, value, path, null)) return true;
    return errors === null ? false : explainBranches('anyOf', 'must match a schema in anyOf', nodes, value, path, errors);
  };
}

function oneOf(nodes: SchemaNode[]): Check {
  return (value, path, errors) => {
    let matches = 0;
    for (const node of nodes) if (validateNode(node, value, path, null)) matches++;
    if (matches === 1) return true;
    if (errors === null) return false;
    if (matches > 1) return fail(errors, path, 'oneOf', `must match exactly one schema in oneOf, not ${matches}`);
    return explainBranches('oneOf', 'must match exactly one schema in oneOf', nodes, value, path, errors);
  };
}
