import * as path from 'path';
import { appUrl } from './app-env.js';
import { readyWhenAnswers200 } from './http-ready.js';
import { type ResolvedOptions } from './options.js';
import { REPO_ROOT, type StatePaths } from './paths.js';
import { webhookReceiverPort } from './port-layout.js';
import { type ProcessSpec } from './supervisor.js';

export const WEBHOOK_RECEIVER_ID = 'webhook-receiver';

export interface WebhookReceiverPlan {
  port: number;
  /** Where clients list what arrived: `<url>/webhooks`. */
  url: string;
  logFile: string;
}

export function planWebhookReceiver(o: ResolvedOptions, paths: StatePaths): WebhookReceiverPlan {
  const port = webhookReceiverPort(o.portBase);
  return { port, url: appUrl(port), logFile: path.join(paths.logsDir, 'webhook-receiver.log') };
}

/** Supervised like the apps; stopped after them, so a webhook in flight at shutdown still lands. */
export function webhookReceiverSpec(plan: WebhookReceiverPlan, o: ResolvedOptions, signingSecret: string): ProcessSpec {
  return {
    id: WEBHOOK_RECEIVER_ID,
    kind: 'app',
    label: 'webhook receiver',
    command: 'node',
    args: ['--enable-source-maps', path.join(REPO_ROOT, 'dist', 'tools', 'stack', 'webhook-receiver.js')],
    env: { ...process.env, PORT: String(plan.port), HOST: '127.0.0.1', WEBHOOK_SIGNING_SECRET: signingSecret },
    cwd: REPO_ROOT,
    logFile: plan.logFile,
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 5_000,
    stopOrder: 1,
    ready: readyWhenAnswers200(`${plan.url}/health/ready`, 'the webhook receiver', o.appReadyTimeoutMs),
  };
}
