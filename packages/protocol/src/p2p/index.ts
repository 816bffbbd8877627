export * from './p2pFrame.js';
export * from './p2pHello.js';
export * from './p2pGoodbye.js';
