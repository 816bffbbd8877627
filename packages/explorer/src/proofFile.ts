// A verified proof bundle as a file to keep: what a court or a consumer files away as evidence
// and re-checks later, offline and without any node, with `xinlian proof verify`. Pure, so the
// name and the text are unit-tested under node.

/** The command that re-checks a kept bundle, shown next to every download link. */
export const OFFLINE_CHECK_COMMAND = 'xinlian proof verify FILE --genesis genesis.json';

/**
 * "<txId or key>.proof.json". A state key may hold "/" and other characters that file systems
 * refuse or browsers rewrite differently, so each becomes "_": the name stays predictable and
 * the key itself is inside the file.
 */
export function proofFileName(subject: string): string {
  const safe = subject.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return `${safe === '' ? 'proof' : safe}.proof.json`;
}

/**
 * The bundle exactly as the node sent it, pretty-printed: JSON.stringify keeps every field and
 * value as parsed (bundles hold only strings, numbers within 2^53, arrays and objects), so the
 * file verifies exactly as the page's copy did.
 */
export function proofFileText(json: unknown): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}
