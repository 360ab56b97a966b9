import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WebSettings {
  host: string;
  port: number;
  /** The gateway's public base URL as a browser reaches it; the pages call the API there. */
  apiUrl: string;
  /** The trace UI (a Jaeger) as browsers reach it, for the order page's "trace" link; unset: no link. */
  tracesUrl?: string;
  /** The built pages (`vite build`): dist/web beside the compiled server. */
  root: string;
}

/** The built pages' folder when WEB_ROOT does not say: dist/apps/web/src/main.js → dist/web. */
const BUILT_PAGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web');

/**
 * Every setting the storefront's server reads, checked before it listens
 * (test/deploy runs it on what Compose and Kubernetes give the container).
 */
export function webSettingsFromEnv(env: NodeJS.ProcessEnv) {
  const port = Number(env.PORT ?? '');
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error('Missing or invalid setting PORT (the HTTP port to listen on)');
  const apiUrl = (env.API_URL ?? '').replace(/\/+$/, '');
  let parsed: URL | undefined;
  try {
    parsed = new URL(apiUrl);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol)) throw new Error('Missing or invalid setting API_URL (the gateway as browsers reach it, e.g. https://boxoffice.example.com)');
  const tracesUrl = (env.TRACES_URL ?? '').replace(/\/+$/, '') || undefined;
  if (tracesUrl !== undefined && !isHttpUrl(tracesUrl)) throw new Error('Invalid setting TRACES_URL (the trace UI as browsers reach it, e.g. https://jaeger.example.com; leave it unset for none)');
  const settings: WebSettings = { host: env.HOST ?? '127.0.0.1', port, apiUrl, ...(tracesUrl ? { tracesUrl } : {}), root: env.WEB_ROOT ?? BUILT_PAGES };
  return settings;
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}
