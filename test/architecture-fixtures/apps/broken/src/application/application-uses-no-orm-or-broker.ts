import type { EntityManager } from 'typeorm';

export type Transaction = EntityManager;
