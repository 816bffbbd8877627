export * from './assert.js';
export * from './bytes.js';
export * from './errors.js';
export * from './codec/reader.js';
export * from './codec/writer.js';
export * from './crypto/suite.js';
export * from './genesis.js';
