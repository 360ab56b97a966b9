export * from './envelope.js';
export * from './event-contract.js';
export * from './topics.js';
export * from './catalog/show-published.v1.js';
export * from './api/catalog-api.js';
export * from './api/inventory-api.js';
