export {
  ContractSandbox, DEFAULT_CONTRACT_LIMITS, STEPS_PER_INTERRUPT,
  type ContractEvent, type ContractFailureCode, type ContractHost, type ContractLimits, type ContractOutcome,
} from './contractSandbox.js';
