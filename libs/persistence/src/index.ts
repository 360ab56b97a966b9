export * from './bucket-map.js';
export * from './database-config.js';
export * from './shard-router.js';
export * from './database-node.js';
export * from './database-unavailable.js';
export * from './replica-reader.js';
export * from './bounded-transaction.js';
