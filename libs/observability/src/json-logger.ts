import type { LoggerService, LogLevel } from '@nestjs/common';
import { traceFields } from './tracing.js';

export interface LogOrigin {
  service: string;
  instance: string;
}

type Write = (line: string) => void;

/**
 * One JSON object per line, with who wrote it at the top level: `time`,
 * `level`, `service`, `instance`, `context`, then either `msg` or the fields
 * of a structured message (`logger.warn({ msg, orderId, correlationId })`),
 * so a log pipeline can filter by any of them without parsing strings.
 * A line written within a trace carries its `traceId` and `spanId` too
 * (docs/observability.md), so a log search leads to the trace and back.
 */
export class JsonLogger implements LoggerService {
  private readonly levels: Set<LogLevel>;

  constructor(
    private readonly origin: LogOrigin,
    levels: LogLevel[] = ['fatal', 'error', 'warn', 'log'],
    private readonly write: Write = (line) => process.stdout.write(line),
  ) {
    this.levels = new Set(levels);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.print('log', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.print('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.print('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.print('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.print('verbose', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.print('fatal', message, rest);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.levels.clear();
    for (const level of levels) this.levels.add(level);
  }

  private print(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (!this.levels.has(level)) return;
    // Nest passes the context last and, for errors, a stack before it; a lone string that reads like a stack is one.
    const strings = rest.filter((part): part is string => typeof part === 'string');
    const stack = strings.find((part) => STACK.test(part));
    const context = strings.filter((part) => part !== stack).at(-1);
    const body = message instanceof Error ? { msg: message.message, stack: message.stack } : isRecord(message) ? message : { msg: String(message) };
    const entry = { time: new Date().toISOString(), level, ...this.origin, ...traceFields(), ...(context ? { context } : {}), ...body, ...(stack ? { stack } : {}) };
    this.write(`${JSON.stringify(entry)}\n`);
  }
}

const STACK = /\n\s+at /;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
