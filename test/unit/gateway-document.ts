import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { generateCallerTokenKeys } from '@boxoffice/platform';

/** The gateway's published document, built from its controllers as main.ts builds it (no upstream is called). */
export async function gatewayDocument(): Promise<OpenAPIObject> {
  const keys = generateCallerTokenKeys('docs-check');
  const unreachable = 'http://127.0.0.1:9';
  Object.assign(process.env, {
    PORT: '9',
    JWT_SECRET: 'a-secret-only-for-building-the-api-document',
    CALLER_TOKEN_SIGNING_KEY: keys.signingKey,
    CALLER_TOKEN_PUBLIC_KEYS: keys.publicKey,
    CATALOG_URLS: unreachable,
    INVENTORY_URLS: unreachable,
    ORDERING_URLS: unreachable,
    TICKETING_URLS: unreachable,
    PAYMENTS_URLS: unreachable,
    NOTIFICATIONS_URLS: unreachable,
    // Named, never reached: nothing connects before the app listens.
    KAFKA_BROKERS: '127.0.0.1:9',
  });
  const { GatewayModule } = await import('../../apps/gateway/src/gateway.module.js');
  const { gatewaySettingsFromEnv } = await import('../../apps/gateway/src/gateway.settings.js');
  const { openApiDocument } = await import('../../apps/gateway/src/interface/http/openapi-document.js');
  const app = await NestFactory.create(GatewayModule.withSettings(gatewaySettingsFromEnv(process.env)), { logger: false, bodyParser: false });
  try {
    return openApiDocument(app);
  } finally {
    await app.close();
  }
}

