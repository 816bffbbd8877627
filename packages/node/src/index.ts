export { initChain, type InitChainOptions, type InitChainResult } from './init/initChain.js';
export { issueIdentity, type Identity, type IssueOptions } from './init/issueIdentity.js';
