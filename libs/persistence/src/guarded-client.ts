import pg from 'pg';

/**
 * A pg Client that always has an `error` listener. A connection can report an
 * error after everyone stopped listening: TypeORM removes its listener when it
 * hands a broken connection back, and the pool then ends it, so a server that
 * goes away just then (a primary killed during a failover sends "terminating
 * connection due to unexpected postmaster exit" to every session) emitted an
 * `error` nobody handled, and Node ends the process for that. The connection
 * is useless either way: queries on it fail on their own, and the pool drops it.
 */
export class GuardedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', ignoreLateError);
  }

  /**
   * Also refuses a COMMIT that Postgres answered with ROLLBACK. A transaction
   * in which a statement failed can only roll back, and Postgres says so by
   * answering COMMIT with the tag ROLLBACK, not with an error: code that
   * caught the statement's error and went on would believe its writes (an
   * inbox row, an effect) committed, and the message would count as handled.
   */
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (args[0] === 'COMMIT' && result instanceof Promise) return result.then(refuseSilentRollback) as never;
    return result as never;
  }
}

/** COMMIT found the transaction already failed and rolled it back: nothing of it was written. */
export class CommitRolledBackError extends Error {
  constructor() {
    super('COMMIT rolled the transaction back: a statement in it had failed, and its error was caught and not rethrown');
    this.name = 'CommitRolledBackError';
  }
}

function refuseSilentRollback(result: pg.QueryResult): pg.QueryResult {
  if (result.command === 'ROLLBACK') throw new CommitRolledBackError();
  return result;
}

function ignoreLateError(): void {
  // Deliberately empty: the error reaches whoever was using the connection through their query.
}

/**
 * A GuardedClient that runs every statement with parameters as a named
 * prepared statement, so Postgres parses and plans each SQL text once per
 * connection instead of on every call (ADR 0016). Our statements are few and
 * fixed, written by hand or by TypeORM's query builder, so the names stay
 * few; past `MAX_PREPARED_TEXTS` distinct texts, new ones run unnamed, as
 * before, so a query built with ever-changing text cannot grow the cache.
 */
export class PreparingClient extends GuardedClient {
  override query(...args: unknown[]): never {
    const [text, values] = args;
    const name = typeof text === 'string' && Array.isArray(values) && values.length > 0 && args.length === 2 ? statementName(text) : undefined;
    if (name === undefined) return super.query(...args);
    // A Query built from the text and then named: given a config object instead, pg copies it property by
    // property on every call (what that cost: BENCHMARKS.md).
    return new Promise((resolve, reject) => {
      const query = new pg.Query(text as string, values as unknown[], (error: Error | undefined, result: unknown) => (error ? reject(error) : resolve(result)));
      (query as unknown as { name: string }).name = name;
      super.query(query);
    }) as never;
  }
}

export const MAX_PREPARED_TEXTS = 1000;

/** One name per SQL text for the whole process, so every connection prepares a text under the same name. */
const names = new Map<string, string>();

export function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_PREPARED_TEXTS) {
    name = `boxoffice_${names.size}`;
    names.set(text, name);
  }
  return name;
}
