export { startNode, NODE_VERSION, type RunningNode, type StartOptions } from './xinlianNode.js';
export { initChain, type InitChainOptions, type InitChainResult } from './init/initChain.js';
export { issueIdentity, type Identity, type IssueOptions } from './init/issueIdentity.js';
export { createLogger, type Logger } from './log/logger.js';
export type { PeerTransport } from './consensus/consensusDriver.js';
export {
  initOrganisation, ORG_ID_PATTERN, ORG_NAME_CHARS_MAX, type InitOrganisationOptions, type InitOrganisationResult, type InitOrganisationNode,
} from './init/initOrganisation.js';
export { isProcessAlive } from './nodeHomeLock.js';
