// For scripts of this repository (the benchmark): local networks of node processes.
export { freePortBases, networkDown, networkUp, nodeHomes, nodeStatus, type NodeStatus } from './localNetwork.js';
export { traceabilityDemo, type TracedProduct } from './commands/demoTraceability.js';
