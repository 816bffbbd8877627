export * from './contractNames.js';
export * from './contractRecord.js';
