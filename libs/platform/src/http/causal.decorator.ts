import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { v7 as uuidv7 } from 'uuid';
import type { CausalContext } from '@boxoffice/messaging';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * The causal context of an HTTP command: the caller's correlation id (the
 * gateway always sends one) or a fresh one. Messages the command produces
 * carry it, so one business flow can be followed across every context.
 */
export const Causal = createParamDecorator((_: unknown, context: ExecutionContext): CausalContext => {
  const request = context.switchToHttp().getRequest<Request>();
  const header = request.headers[CORRELATION_HEADER];
  const correlationId = typeof header === 'string' && /^[\w-]{1,100}$/.test(header) ? header : uuidv7();
  return { correlationId, causationId: null };
});
