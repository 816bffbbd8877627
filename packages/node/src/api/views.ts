import { decodeTxResult, type Commit, type Header, type TxResult } from '@xinlian/protocol';
import { hexKey } from '../hexKey.js';

/** JSON views of protocol objects for the API: bytes as hex, names as in the spec. */
export function headerView(header: Header, hash: Uint8Array) {
  return {
    hash: hexKey(hash),
    height: header.height,
    timeMs: header.timeMs,
    time: new Date(header.timeMs).toISOString(),
    chainId: header.chainId,
    prevHash: hexKey(header.prevHash),
    txRoot: hexKey(header.txRoot),
    resultsRoot: hexKey(header.resultsRoot),
    stateRoot: hexKey(header.stateRoot),
    validatorsHash: hexKey(header.validatorsHash),
    proposer: hexKey(header.proposer),
    txCount: header.txCount,
  };
}

export function commitView(commit: Commit) {
  return {
    height: commit.height,
    round: commit.round,
    blockHash: hexKey(commit.blockHash),
    signatures: commit.signatures.map((s) => ({ validatorIndex: s.validatorIndex, signature: hexKey(s.signature) })),
  };
}

export function resultView(result: TxResult) {
  return {
    txId: hexKey(result.txId),
    code: result.code,
    message: result.message,
    events: result.events.map((e) => ({ type: e.type, attributes: Object.fromEntries(e.attributes) })),
  };
}

export function resultViewFromBytes(bytes: Uint8Array) {
  return resultView(decodeTxResult(bytes));
}
