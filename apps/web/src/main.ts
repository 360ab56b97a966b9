import type { Server } from 'node:http';
import { collectDefaultMetrics } from 'prom-client';
import { JsonLogger } from '@boxoffice/observability';
import { webApp } from './web-app.js';
import { webSettingsFromEnv } from './web.settings.js';

/** The storefront's server (./web-app.ts), listening where its settings say. */
const logger = new JsonLogger({ service: 'web', instance: process.env.INSTANCE_ID ?? `web-${process.pid}` });

function start(): Server {
  const settings = webSettingsFromEnv(process.env);
  const app = webApp(settings, logger);
  collectDefaultMetrics();
  return app.listen(settings.port, settings.host, () => logger.log({ msg: 'listening', url: `http://${settings.host}:${settings.port}`, apiUrl: settings.apiUrl }));
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
