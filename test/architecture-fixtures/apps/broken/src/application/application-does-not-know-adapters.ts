import { PostgresRepository } from '../infrastructure/postgres-repository.js';

export const repository = new PostgresRepository();
