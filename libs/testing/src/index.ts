export * from './running-stack.js';
export * from './eventually.js';
export * from './http-client.js';
export * from './kafka-probe.js';
export * from './database-probe.js';
export * from './scratch-database.js';
export * from './boxoffice-api.js';
export * from './webhook-receiver.js';
