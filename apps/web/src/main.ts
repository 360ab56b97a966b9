import * as fs from 'node:fs';
import type { Server } from 'node:http';
import * as path from 'node:path';
import express from 'express';
import { collectDefaultMetrics, register } from 'prom-client';
import { JsonLogger } from '@boxoffice/observability';
import { webSettingsFromEnv } from './web.settings.js';

/**
 * The storefront's server (ADR 0033): the pages `vite build` wrote, and the
 * things that differ per deployment, the API's address and the trace UI's,
 * as /config.json. It keeps no state, so it scales like the gateway.
 */
const logger = new JsonLogger({ service: 'web', instance: process.env.INSTANCE_ID ?? `web-${process.pid}` });

function start(): Server {
  const settings = webSettingsFromEnv(process.env);
  const index = path.join(settings.root, 'index.html');
  if (!fs.existsSync(index)) throw new Error(`No built pages at ${settings.root} (run npm run build, or set WEB_ROOT)`);
  collectDefaultMetrics();

  const app = express();
  app.disable('x-powered-by');
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

  const server = app.listen(settings.port, settings.host, () => logger.log({ msg: 'listening', url: `http://${settings.host}:${settings.port}`, apiUrl: settings.apiUrl }));
  return server;
}

try {
  const server = start();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log({ msg: 'stopping', signal });
      server.close(() => process.exit(0));
      server.closeIdleConnections();
    });
  }
} catch (error) {
  logger.fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
