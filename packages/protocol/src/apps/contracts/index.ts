export * from './contractNames.js';
export * from './contractRecord.js';
export * from './contractViews.js';
