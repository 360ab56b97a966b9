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
}

function ignoreLateError(): void {
  // Deliberately empty: the error reaches whoever was using the connection through their query.
}
