import { decodeAll } from '../codec/reader.js';
import { Writer } from '../codec/writer.js';
import { XinlianError } from '../errors.js';
import { LIMITS } from '../limits.js';
import type { Genesis } from '../genesis.js';
import { fromHex } from '../bytes.js';

export interface Validator {
  publicKey: Uint8Array;
  power: number;
}

/** Ordered: a validator's index in this list is what commit signatures refer to. */
export type ValidatorSet = Validator[];

export function encodeValidatorSet(set: ValidatorSet): Uint8Array {
  return new Writer().list(set, (w, v) => w.bytes(v.publicKey).u64(v.power)).finish();
}

export function decodeValidatorSet(bytes: Uint8Array): ValidatorSet {
  return decodeAll(
    bytes,
    (r) => {
      const set = r.list(LIMITS.validatorsMax, (x) => ({
        publicKey: x.bytes(LIMITS.publicKeyBytesMax, 'publicKey'),
        power: x.u64('power'),
      }), 'validators');
      if (set.length === 0) throw new XinlianError('DECODE_ERROR', 'empty validator set');
      return set;
    },
    'validator set',
  );
}

export function validatorsHashOf(hash: (data: Uint8Array) => Uint8Array, set: ValidatorSet): Uint8Array {
  return hash(encodeValidatorSet(set));
}

export function validatorSetFromGenesis(genesis: Genesis): ValidatorSet {
  return genesis.validators.map((v) => ({ publicKey: fromHex(v.publicKey), power: v.power }));
}

export function totalPower(set: ValidatorSet): number {
  return set.reduce((sum, v) => sum + v.power, 0);
}
