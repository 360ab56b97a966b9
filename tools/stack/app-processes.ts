import { type AppInstancePlan, appEnv, type EnvInputs } from './app-env.js';
import { DATA_CONTEXTS } from './contexts.js';
import { readyWhenAnswers200 } from './http-ready.js';
import { appMainJs, REPO_ROOT } from './paths.js';
import { allSettledOrThrow } from './poll.js';
import { seconds } from './progress.js';
import { type ProcessSpec, type Supervisor } from './supervisor.js';

/**
 * The gateway is ready only when every context it routes to answers; in a
 * stack started without some of them it never is, so there the launcher
 * waits for it to be live instead.
 */
function readinessPath(plan: AppInstancePlan, inputs: EnvInputs): string {
  const partial = DATA_CONTEXTS.some((c) => !(inputs.options.apps as string[]).includes(c.name));
  return plan.app === 'gateway' && partial ? '/health/live' : '/health/ready';
}

function appSpec(plan: AppInstancePlan, inputs: EnvInputs): ProcessSpec {
  const readyUrl = `${plan.url}${readinessPath(plan, inputs)}`;
  return {
    id: plan.id,
    kind: 'app',
    label: plan.instance,
    command: 'node',
    args: ['--enable-source-maps', appMainJs(plan.app)],
    env: appEnv(plan.app, plan.instance, plan.port, inputs),
    cwd: REPO_ROOT,
    logFile: plan.logFile,
    // SIGTERM runs Nest's shutdown hooks: consumers leave their groups, so the rest rebalance at once.
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 10_000,
    stopOrder: 0,
    ready: readyWhenAnswers200(readyUrl, plan.instance, inputs.options.appReadyTimeoutMs, 250),
  };
}

/** Data contexts all at once, then the gateway, whose upstreams are ready by then. */
export async function startApps(plans: AppInstancePlan[], inputs: EnvInputs, supervisor: Supervisor, say: (text: string) => void): Promise<void> {
  const startAll = (group: AppInstancePlan[]) =>
    allSettledOrThrow(
      group.map(async (plan) => {
        const started = Date.now();
        await supervisor.start(appSpec(plan, inputs), inputs.options.signal);
        say(`${plan.instance} ready on ${plan.url} (${seconds(Date.now() - started)})`);
      }),
    );
  await startAll(plans.filter((p) => p.app !== 'gateway'));
  await startAll(plans.filter((p) => p.app === 'gateway'));
}
