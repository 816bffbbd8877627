import { toHex, decodeTxResult, type Commit, type Header, type TxResult } from '@xinlian/protocol';

/** JSON views of protocol objects for the API: bytes as hex, names as in the spec. */
export function headerView(header: Header, hash: Uint8Array) {
  return {
    hash: toHex(hash),
    height: header.height,
    timeMs: header.timeMs,
    time: new Date(header.timeMs).toISOString(),
    chainId: header.chainId,
    prevHash: toHex(header.prevHash),
    txRoot: toHex(header.txRoot),
    resultsRoot: toHex(header.resultsRoot),
    stateRoot: toHex(header.stateRoot),
    validatorsHash: toHex(header.validatorsHash),
    proposer: toHex(header.proposer),
    txCount: header.txCount,
  };
}

export function commitView(commit: Commit) {
  return {
    height: commit.height,
    round: commit.round,
    blockHash: toHex(commit.blockHash),
    signatures: commit.signatures.map((s) => ({ validatorIndex: s.validatorIndex, signature: toHex(s.signature) })),
  };
}

export function resultView(result: TxResult) {
  return {
    txId: toHex(result.txId),
    code: result.code,
    message: result.message,
    events: result.events.map((e) => ({ type: e.type, attributes: Object.fromEntries(e.attributes) })),
  };
}

export function resultViewFromBytes(bytes: Uint8Array) {
  return resultView(decodeTxResult(bytes));
}
