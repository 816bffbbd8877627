// For contract authors' tests (`xinlian contract test`): '@xinlian/contracts/testing'.
export { contractLedger, type ContractLedger, type TestCaller } from './contractLedger.js';
export type { ContractOutcome } from './contractSandbox.js';
