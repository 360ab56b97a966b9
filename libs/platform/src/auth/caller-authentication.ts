import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { problem, PROBLEM_CONTENT_TYPE } from '../http/problem.js';
import { CallerTokenRejected, type CallerTokenVerifier, type VerifiedCaller } from './caller-token.js';

/** A request once its caller token is verified. */
export interface CallerRequest extends Request {
  caller?: VerifiedCaller;
}

/** What probes and scrapers reach without a token: they carry none, and these reveal no business data. */
export const PATHS_WITHOUT_CALLER_TOKEN: readonly string[] = ['/health/live', '/health/ready', '/metrics'];

/**
 * Express middleware, ahead of the body parser and of every route: a
 * request without a valid caller token for this service and this request
 * is answered 401 before its body is even read. What the token allows on
 * which route is CallerGuard's to check.
 */
export function callerAuthentication(verifier: CallerTokenVerifier): (request: Request, response: Response, next: NextFunction) => void {
  const logger = new Logger('CallerAuthentication');
  return (request, response, next) => {
    const path = request.originalUrl.split('?', 1)[0];
    if (request.method === 'GET' && PATHS_WITHOUT_CALLER_TOKEN.includes(path ?? '')) return next();
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(request.headers.authorization ?? '')?.[1];
    try {
      if (!token) throw new CallerTokenRejected('a caller token from the gateway is required');
      (request as CallerRequest).caller = verifier.verify(token, { method: request.method, path: request.originalUrl });
    } catch (error) {
      if (!(error instanceof CallerTokenRejected)) return next(error);
      logger.warn({ msg: 'caller refused', method: request.method, path, reason: error.detail, ...error.log });
      const body = { ...problem(401, 'caller-unauthenticated', 'Unauthorized', { detail: error.detail }), instance: request.originalUrl };
      response.status(401).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
      return;
    }
    next();
  };
}
