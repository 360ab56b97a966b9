/** Where TypeORM records the applied migrations, in every context's database. */
export const MIGRATIONS_TABLE = 'schema_migrations';
