export * from './identity.js';
export * from './identityFiles.js';
export * from './buildTx.js';
export * from './client.js';
export * from './session.js';
export * from './governanceViews.js';
export * from './verify.js';
export * from './contractHandle.js';
