export { runSimulation, Simulation, type SimulationResult } from './simulation.js';
export { optionsFromSeed, type SimulationMutation, type SimulationOptions } from './simulationOptions.js';
export { StateChecker, type Failure, type FailureKind } from './stateChecker.js';
export { formatResult, replayCommand } from './formatResult.js';
export {
  applyChange, changeError, parseChange, ValidatorHistory, type Member, type ValidatorChange,
} from './validatorSets.js';
