import * as path from 'path';
import { appUrl } from './app-env.js';
import { readyWhenAnswers200 } from './http-ready.js';
import { type ResolvedOptions } from './options.js';
import { REPO_ROOT, type StatePaths } from './paths.js';
import { appPort, runsStorefront, storefrontPort } from './port-layout.js';
import { type ProcessSpec } from './supervisor.js';

export const STOREFRONT_ID = 'web-0';

export interface StorefrontPlan {
  port: number;
  url: string;
  /** The gateway the pages call (API_URL): its first replica. */
  apiUrl: string;
  /** A trace UI (TRACES_URL) for the order page's "in Jaeger" link: none, the stack's Jaeger is built without its UI. */
  tracesUrl: string | undefined;
  logFile: string;
}

export function planStorefront(o: ResolvedOptions, paths: StatePaths): StorefrontPlan | undefined {
  if (!runsStorefront(o)) return undefined;
  const port = storefrontPort(o.portBase);
  return { port, url: appUrl(port), apiUrl: appUrl(appPort(o.portBase, 'gateway', 0)), tracesUrl: undefined, logFile: path.join(paths.logsDir, 'web-0.log') };
}

/** The storefront's server (apps/web), supervised like the apps, serving what `npm run build` put in dist/web. */
export function storefrontSpec(plan: StorefrontPlan, o: ResolvedOptions): ProcessSpec {
  return {
    id: STOREFRONT_ID,
    kind: 'app',
    label: 'storefront',
    command: 'node',
    args: ['--enable-source-maps', path.join(REPO_ROOT, 'dist', 'apps', 'web', 'src', 'main.js')],
    env: { ...process.env, PORT: String(plan.port), HOST: '127.0.0.1', INSTANCE_ID: STOREFRONT_ID, API_URL: plan.apiUrl, ...(plan.tracesUrl ? { TRACES_URL: plan.tracesUrl } : {}), NODE_ENV: 'development' },
    cwd: REPO_ROOT,
    logFile: plan.logFile,
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 5_000,
    stopOrder: 0,
    ready: readyWhenAnswers200(`${plan.url}/health/ready`, 'the storefront', o.appReadyTimeoutMs),
  };
}
