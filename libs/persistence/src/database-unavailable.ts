/**
 * The database needed for this request cannot answer in time: its primary is
 * down, or (CP) a commit could not be confirmed by a synchronous standby
 * within the write bound. HTTP turns it into 503 with Retry-After; the client
 * retries (with the same idempotency key for commands).
 */
export class DatabaseUnavailableError extends Error {
  constructor(
    readonly shard: number,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`database shard ${shard} unavailable: ${detail}`, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * The commit did not come back within the write bound: on a CP database, no
 * synchronous standby confirmed it. It may still land (see boundedTransaction).
 */
export class CommitTimeoutError extends DatabaseUnavailableError {
  constructor(shard: number, timeoutMs: number) {
    super(shard, `the write did not commit within ${timeoutMs} ms (no synchronous standby?)`);
    this.name = 'CommitTimeoutError';
  }
}

/** Error codes of node-postgres and Postgres that mean "this node is not reachable (any more)", not "your query is wrong". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up or shutting down)
  '25006', // read_only_sql_transaction: a write reached a standby (the primary moved); another node takes it
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** True when an error says the database node could not be reached, rather than that a statement failed. */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  const e = error as { code?: unknown; driverError?: unknown; message?: unknown; cause?: unknown } | undefined;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
  // TypeORM releases a transaction's connection when the connection dies under it; the next statement then says so.
  if (typeof e.message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Driver not Connected|is not initialized|query runner (was )?already released|connection provided by a query runner was already released|encountered a connection error and is not queryable/i.test(e.message)) return true;
  return isUnreachable(e.driverError) || (e.cause !== undefined && e.cause !== error && isUnreachable(e.cause));
}
