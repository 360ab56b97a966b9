import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';

/**
 * CORS_ALLOWED_ORIGINS: the origins whose pages may call this API from a
 * browser (comma-separated, e.g. the storefront's `https://shop.example.com`);
 * none when unset. Each must be an origin alone: scheme, host and port.
 */
export function allowedOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const origins = (env.CORS_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new Error(`Setting CORS_ALLOWED_ORIGINS: "${origin}" is not an origin (scheme://host[:port], nothing after it)`);
    }
  }
  return origins;
}

/** What a browser page from an allowed origin may send and read. */
export function corsOptions(origins: string[]): CorsOptions {
  return {
    origin: origins,
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Prefer'],
    // traceresponse: the order page links a checkout to its trace (docs/observability.md).
    exposedHeaders: ['Location', 'Retry-After', 'Preference-Applied', 'traceresponse'],
    maxAge: 600,
  };
}
