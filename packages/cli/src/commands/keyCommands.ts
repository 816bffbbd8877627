import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fromHexOrUndefined, isSuiteName, toHex, type SuiteName } from '@xinlian/protocol';
import { generateKeyPair, loadPublicKeyPem, loadSigningKey, nodeSuite } from '@xinlian/crypto-node';
import { parse, passphraseFrom, required, UsageError } from '../cliError.js';
import type { Command } from './command.js';

export function suiteOption(value: string | boolean | undefined): SuiteName {
  const suite = required(value, '--suite gm|intl');
  if (!isSuiteName(suite)) throw new UsageError(`--suite must be gm or intl, got "${suite}"`);
  return suite;
}

export const keygen: Command = {
  summary: 'generate a key pair (PKCS#8 + SPKI PEM)',
  usage: 'xinlian keygen --suite gm|intl --out key.pem [--passphrase-file F] [--force]',
  async run(argv) {
    const { values } = parse(argv, { suite: { type: 'string' }, out: { type: 'string' }, 'passphrase-file': { type: 'string' }, force: { type: 'boolean' } }, 0);
    const suite = suiteOption(values.suite);
    const out = required(values.out, '--out');
    const publicOut = out.replace(/\.pem$/, '') + '.pub.pem';
    if (!values.force && (existsSync(out) || existsSync(publicOut))) {
      throw new UsageError(`${out} or ${publicOut} exists; pass --force to overwrite`);
    }
    const pair = generateKeyPair(suite, passphraseFrom(values['passphrase-file']));
    writeFileSync(out, pair.privateKeyPem, { mode: 0o600 });
    writeFileSync(publicOut, pair.publicKeyPem);
    process.stdout.write(`${out}\n${publicOut}\n`);
    return 0;
  },
};

export const hash: Command = {
  summary: "print a file's hex digest (gm: SM3, intl: SHA-256)",
  usage: 'xinlian hash --suite gm|intl FILE',
  async run(argv) {
    const { values, positionals } = parse(argv, { suite: { type: 'string' } }, 1);
    const suite = suiteOption(values.suite);
    const file = required(positionals[0], 'FILE');
    process.stdout.write(`${toHex(nodeSuite(suite).hash(readFileSync(file)))}\n`);
    return 0;
  },
};

export const sign: Command = {
  summary: "sign a file's bytes (gm: DER SM2 with the default ID; intl: Ed25519)",
  usage: 'xinlian sign --key key.pem [--passphrase-file F] FILE',
  async run(argv) {
    const { values, positionals } = parse(argv, { key: { type: 'string' }, 'passphrase-file': { type: 'string' } }, 1);
    const key = loadSigningKey(readFileSync(required(values.key, '--key'), 'utf8'), passphraseFrom(values['passphrase-file']));
    const file = required(positionals[0], 'FILE');
    process.stdout.write(`${toHex(key.sign(readFileSync(file)))}\n`);
    return 0;
  },
};

export const verify: Command = {
  summary: 'verify a hex signature over a file (exit 0 valid, 1 invalid)',
  usage: 'xinlian verify --pub key.pub.pem --sig HEX FILE',
  async run(argv) {
    const { values, positionals } = parse(argv, { pub: { type: 'string' }, sig: { type: 'string' } }, 1);
    const { suite, publicKey } = loadPublicKeyPem(readFileSync(required(values.pub, '--pub'), 'utf8'));
    const signature = fromHexOrUndefined(required(values.sig, '--sig').trim());
    if (signature === undefined) throw new UsageError('--sig must be a hex string');
    const file = required(positionals[0], 'FILE');
    const ok = nodeSuite(suite).verify(publicKey, readFileSync(file), signature);
    process.stdout.write(ok ? 'valid\n' : 'INVALID signature\n');
    return ok ? 0 : 1;
  },
};


