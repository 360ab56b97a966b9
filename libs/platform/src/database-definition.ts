import type { EntitySchema, MixedList } from 'typeorm';

/** A context's persistence: its entities and its ordered migrations. */
export interface DatabaseDefinition {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  /**
   * AP: the context boots and reads (from replicas) while a primary is down,
   * and is ready as long as it can read. CP (the default): it needs its primaries.
   * See docs/cap.md.
   */
  cap?: 'AP' | 'CP';
}
