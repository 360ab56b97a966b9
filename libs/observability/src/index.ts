export * from './json-logger.js';
export * from './tracing.js';
