import { JsonLogger } from '../../src/json-logger.js';

function capture(levels?: ConstructorParameters<typeof JsonLogger>[1]) {
  const lines: Record<string, unknown>[] = [];
  const logger = new JsonLogger({ service: 'ordering', instance: 'ordering-1' }, levels, (line) => lines.push(JSON.parse(line)));
  return { logger, lines };
}

describe('JsonLogger', () => {
  it('puts structured fields and the origin at the top level', () => {
    const { logger, lines } = capture();
    logger.warn({ msg: 'saga step timed out', orderId: 'o-1', correlationId: 'c-1' }, 'StepTimeoutScheduler');
    expect(lines).toEqual([
      { time: expect.any(String), level: 'warn', service: 'ordering', instance: 'ordering-1', context: 'StepTimeoutScheduler', msg: 'saga step timed out', orderId: 'o-1', correlationId: 'c-1' },
    ]);
  });

  it('writes plain messages as msg and keeps error stacks', () => {
    const { logger, lines } = capture();
    logger.log('listening');
    logger.error('request failed', 'Error: boom\n    at x', 'ProblemDetails');
    expect(lines[0]).toMatchObject({ level: 'log', msg: 'listening' });
    expect(lines[1]).toMatchObject({ level: 'error', msg: 'request failed', stack: 'Error: boom\n    at x', context: 'ProblemDetails' });
    logger.fatal('cannot start', 'Error: no DB\n    at y');
    expect(lines[2]).toEqual({ time: expect.any(String), level: 'fatal', service: 'ordering', instance: 'ordering-1', msg: 'cannot start', stack: 'Error: no DB\n    at y' });
  });

  it('drops levels that are not enabled', () => {
    const { logger, lines } = capture(['error']);
    logger.log('chatty');
    logger.debug('chattier');
    logger.error('kept');
    expect(lines.map((l) => l.msg)).toEqual(['kept']);
  });
});
