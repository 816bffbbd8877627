export { runSimulation, Simulation, type SimulationResult } from './simulation.js';
export { optionsFromSeed, type SimulationOptions } from './simulationOptions.js';
export { StateChecker, type Failure, type FailureKind } from './stateChecker.js';
export { formatResult, replayCommand } from './formatResult.js';
