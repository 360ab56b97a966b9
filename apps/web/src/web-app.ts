import * as fs from 'node:fs';
import * as path from 'node:path';
import express, { type Express } from 'express';
import { register } from 'prom-client';
import type { JsonLogger } from '@boxoffice/observability';
import type { WebSettings } from './web.settings.js';

/** Probes and scrapes: several a second, left out of the request lines as every app leaves them out. */
const UNLOGGED = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * The storefront's server (ADR 0033): the pages `vite build` wrote, and the
 * things that differ per deployment, the API's address and the trace UI's,
 * as /config.json. It keeps no state, so it scales like the gateway.
 *
 * Every answered request is a log line (`msg: "request"`: method, path
 * without the query, status, milliseconds), as in the other apps. The
 * server serves files and calls nothing, so it is not traced: no order's
 * trace passes through it, and its lines carry no trace id
 * (docs/observability.md).
 */
export function webApp(settings: WebSettings, logger: JsonLogger): Express {
  const index = path.join(settings.root, 'index.html');
  if (!fs.existsSync(index)) throw new Error(`No built pages at ${settings.root} (run npm run build, or set WEB_ROOT)`);

  const app = express();
  app.disable('x-powered-by');
  app.use((request, response, next) => {
    const requestPath = request.originalUrl.split('?', 1)[0] ?? '';
    if (UNLOGGED.has(requestPath)) return next();
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.log({ msg: 'request', method: request.method, path: requestPath, status: response.statusCode, ms: Math.round(ms * 10) / 10 }, 'HTTP');
    });
    next();
  });
  app.use((_request, response, next) => {
    // The pages load only their own scripts and talk only to the API.
    response.setHeader('Content-Security-Policy', `default-src 'self'; connect-src 'self' ${settings.apiUrl}; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'`);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  app.get('/health/live', (_request, response) => void response.json({ status: 'ok' }));
  app.get('/health/ready', (_request, response) => void response.json({ status: 'ok' }));
  app.get('/metrics', async (_request, response) => void response.type(register.contentType).send(await register.metrics()));
  app.get('/config.json', (_request, response) => void response.setHeader('Cache-Control', 'no-cache').json({ apiUrl: settings.apiUrl, ...(settings.tracesUrl ? { tracesUrl: settings.tracesUrl } : {}) }));
  // Vite names every built asset by its content hash: cached for good.
  app.use('/assets', express.static(path.join(settings.root, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use(express.static(settings.root, { index: false }));
  // Every other GET is a page of the single-page app: the app reads the path.
  // Read on each request (the OS caches it): a rebuild under a running server serves the new pages at once.
  app.get(/.*/, (_request, response) => response.setHeader('Cache-Control', 'no-cache').sendFile(index));
  return app;
}
