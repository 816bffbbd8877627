export {
  ContractSandbox, DEFAULT_CONTRACT_LIMITS, STEPS_PER_INTERRUPT,
  type ContractEvent, type ContractFailureCode, type ContractHost, type ContractLimits, type ContractOutcome,
} from './contractSandbox.js';
export { packageContract, type ContractPackage } from './packageContract.js';
export type { ContractApi, ContractContext, Json, Operation, SchemaError } from './contractApi.js';
export { defineContract } from './contractApi.js';
