// The sandbox alone, for the node: '@xinlian/contracts/sandbox' (no packager, no esbuild).
export * from './contractSandbox.js';
export { compareKeys, type KeyRange, type RangeEntry } from './callOverlay.js';
export { CONTRACT_RESULT_EVENT, txOutcome, type TxOutcome } from './txOutcome.js';
