export * from './types.js';
export { ConsensusMachine, type ConsensusStatus } from './consensusMachine.js';
export { ProposerSchedule } from './proposerSchedule.js';
export { timeoutMs } from './timeoutMs.js';
export { encodeWalRecord, decodeWalRecord } from './walRecord.js';
