export * from './aggregate-root.js';
export * from './domain-event.js';
export * from './result.js';
