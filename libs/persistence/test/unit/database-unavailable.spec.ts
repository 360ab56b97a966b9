import { DatabaseUnavailableError, isUnreachable } from '../../src/database-unavailable.js';

/** What counts as "the database is not there" (retry, 503) rather than "the statement is wrong" (a bug or bad data). */
describe('isUnreachable', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27110'), { code: 'ECONNREFUSED' })],
    ['a server shutting down', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a write that reached a standby', Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' })],
    ['a connection that died mid-query', new Error('Connection terminated unexpectedly')],
    ['a transaction whose connection died under it', new Error('Database connection provided by a query runner was already released, cannot continue to use its querying methods anymore.')],
    ['a commit on a connection that died', new Error('Query runner already released. Cannot run queries anymore.')],
    ['a pooled client whose connection failed', new Error('Client has encountered a connection error and is not queryable')],
    ['the same, wrapped by TypeORM', Object.assign(new Error('query failed'), { driverError: Object.assign(new Error('x'), { code: '08006' }) })],
    ['the same, as a cause', new Error('saga step failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) })],
    ['our own refusal', new DatabaseUnavailableError(1, 'no primary')],
  ])('%s is unreachable', (_, error) => expect(isUnreachable(error)).toBe(true));

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' })],
    ['a syntax error', Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' })],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['not an error at all', undefined],
  ])('%s is not', (_, error) => expect(isUnreachable(error)).toBe(false));
});
