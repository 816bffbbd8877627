export * from './leafHash.js';
export * from './merkleRoot.js';
export * from './merkleTree.js';
export * from './verifyInclusion.js';
export * from './verifyConsistency.js';
