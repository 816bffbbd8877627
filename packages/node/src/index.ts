export { startNode, NODE_VERSION, type RunningNode, type StartOptions } from './xinlianNode.js';
export { createLogger, type Logger } from './log/logger.js';
export { initChain, type InitChainOptions, type InitChainResult, type NodeConfig } from './init/initChain.js';
export { issueIdentity, type Identity, type IssueOptions } from './init/issueIdentity.js';
