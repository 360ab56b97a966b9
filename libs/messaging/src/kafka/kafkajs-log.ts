import { Logger, type LoggerService } from '@nestjs/common';
import { logLevel, type logCreator } from 'kafkajs';

/**
 * kafkajs's log lines, written by the service's logger (Nest's `Logger`,
 * which every app points at its JsonLogger): one JSON object per line with
 * the service, the instance and the trace like every other line, context
 * `kafkajs`, kafkajs's message as `msg` and what it adds (`namespace`,
 * `broker`, `clientId`, `groupId`, `error`, `stack`, …) as fields. Without
 * it, a client made outside Nest's Kafka transport writes kafkajs's own
 * console lines, which name no service. Which levels reach it is still
 * kafkajs's `logLevel` (kafkaClientConfig: warnings and errors).
 */
export function kafkajsLogCreator(logger: LoggerService = new Logger('kafkajs')): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      // kafkajs's own stamp and name: the service's logger writes its own time, and the context says kafkajs.
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
      const line = { msg: message, namespace, ...fields };
      try {
        write(logger, level, line);
      } catch {
        // A field the line cannot hold (a cycle, a BigInt) must not break the client that logs: its message alone.
        write(logger, level, { msg: message, namespace });
      }
    };
}

function write(logger: LoggerService, level: logLevel, line: Record<string, unknown>): void {
  switch (level) {
    case logLevel.ERROR:
    case logLevel.NOTHING:
      return logger.error(line);
    case logLevel.WARN:
      return logger.warn(line);
    case logLevel.INFO:
      return logger.log(line);
    default:
      return logger.debug?.(line);
  }
}
