export * from './bucket-map.js';
export * from './database-config.js';
export * from './shard-router.js';
