import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { CONTRACT_BYTES_MAX, toHex, XinlianError } from '@xinlian/protocol';
import { jsonDepthWithin } from './jsonDepth.js';
import { VALUE_DEPTH_MAX } from './sandboxScripts.js';

export interface ContractPackage {
  /** The one JS file every node runs (CommonJS, no imports left). */
  code: string;
  /** Hex of the chain suite's hash of the code's UTF-8 bytes: the contract's identity (ADR 009). */
  hash: string;
  bytes: number;
}

const CONTRACT_API_PATH = fileURLToPath(new URL('./contractApi.js', import.meta.url));


/**
 * JSON a contract imports becomes `JSON.parse("…")` rather than an object literal: QuickJS parses
 * a contract on every call, and its C JSON parser reads text several times faster than its
 * JavaScript parser compiles a literal (the EPCIS schema: 1.3 ms instead of 3.4 ms). The text is
 * checked here to nest no deeper than the sandbox allows. Only the default import is available.
 */
const jsonAsParsedText: Plugin = {
  name: 'xinlian-json-as-parsed-text',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return { errors: [{ text: `${args.path} is not JSON: ${(error as Error).message}` }] };
      }
      const compact = JSON.stringify(value);
      if (!jsonDepthWithin(compact, VALUE_DEPTH_MAX)) return { errors: [{ text: `${args.path} nests deeper than ${VALUE_DEPTH_MAX} levels` }] };
      return { contents: `module.exports = JSON.parse(${JSON.stringify(compact)});`, loader: 'js' };
    });
  },
};

/**
 * Bundles a TypeScript (or JS) entry into one deterministic file: the same sources and esbuild
 * version give the same bytes, hence the same hash on every member's machine. Platform neutral:
 * importing node built-ins or anything unresolvable is an error, so nothing outside the sandbox
 * API can be reached.
 */
export async function packageContract(entry: string, hash: (data: Uint8Array) => Uint8Array): Promise<ContractPackage> {
  let text: string;
  try {
    const result = await build({
      entryPoints: [entry], bundle: true, write: false, format: 'cjs', platform: 'neutral', target: 'es2020',
      minify: false, sourcemap: false, legalComments: 'none', charset: 'utf8', logLevel: 'silent', treeShaking: true,
      mainFields: ['module', 'main'],
      // The contract API comes from this installation, wherever the contract's sources are.
      alias: { '@xinlian/contracts/api': CONTRACT_API_PATH },
      plugins: [jsonAsParsedText],
    });
    text = result.outputFiles[0]!.text;
  } catch (error) {
    const errors = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }).errors ?? [];
    const reason = errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`).join('; ') || (error as Error).message;
    throw new XinlianError('CONTRACT_INVALID', `cannot package ${entry}: ${reason}`);
  }
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > CONTRACT_BYTES_MAX) throw new XinlianError('CONTRACT_INVALID', `packaged contract of ${bytes.length} bytes exceeds ${CONTRACT_BYTES_MAX}`);
  return { code: text, hash: toHex(hash(bytes)), bytes: bytes.length };
}
