// Where a failing value sits in the validated document, and the error that names it.

/** A path into the instance, innermost token first; built only as deep as the walk goes. */
export type InstancePath = { readonly parent: InstancePath; readonly token: string } | null;

export interface SchemaError {
  /** JSON pointer (RFC 6901) of the failing value; "" is the whole value. */
  path: string;
  keyword: string;
  message: string;
}

export function childPath(path: InstancePath, token: string | number): InstancePath {
  return { parent: path, token: String(token) };
}

/** The JSON pointer (RFC 6901) of a path. */
export function pointer(path: InstancePath): string {
  let out = '';
  for (let at = path; at !== null; at = at.parent) out = '/' + at.token.replace(/~/g, '~0').replace(/\//g, '~1') + out;
  return out;
}

/** Records a failure when errors are collected; always false, so a check can return it. */
export function schemaFail(errors: SchemaError[] | null, path: InstancePath, keyword: string, message: string): false {
  if (errors !== null) errors.push({ path: pointer(path), keyword, message });
  return false;
}
