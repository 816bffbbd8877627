// A module of the traceability contract (contracts/traceability), bundled with esbuild as the
// contract bundles it, so that tests here can compare the natives with the code they replace:
// those sources are outside this package, which tsc compiles on its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** The repository's root, from packages/contracts/dist/test/helpers. */
export const REPO = new URL('../../../../../', import.meta.url);
export const TRACEABILITY = new URL('contracts/traceability/', REPO);

/** Imports contracts/traceability/<file> (TypeScript, JSON imports included). */
export async function traceabilityModule<T>(file: string): Promise<T> {
  const entry = fileURLToPath(new URL(file, TRACEABILITY));
  const dir = mkdtempSync(join(tmpdir(), 'xinlian-traceability-'));
  try {
    const outfile = join(dir, file.replace(/\.ts$/, '.mjs'));
    await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', logLevel: 'silent' });
    return (await import(pathToFileURL(outfile).href)) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
