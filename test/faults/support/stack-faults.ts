import { eventually, everyGroupWhole, type RunningStackInfo, StackControl } from '@boxoffice/testing';

/** The contexts of the saga and around it, each run as two replicas by the fault suite's first stack. */
export const CONTEXTS = ['catalog', 'inventory', 'ordering', 'payments', 'ticketing', 'notifications'] as const;
/** The contexts that consume from Kafka, each as one consumer group named after it. */
export const CONSUMERS = new Set(['inventory', 'ordering', 'payments', 'ticketing', 'notifications']);

export const control = (): StackControl => StackControl.fromEnv();

/** Starts the process unless it runs already: a scenario leaves the stack whole whatever happened. */
export async function ensureStarted(id: string, env?: Record<string, string>): Promise<void> {
  try {
    await control().start(id, env);
  } catch (error) {
    if (!String(error).includes('already running')) throw error;
  }
}

/** Resolves once the app instance no longer answers (it crashed or was stopped). */
export async function untilGone(stack: RunningStackInfo, app: string, replica: number): Promise<void> {
  const url = `${stack.apps[app][replica].url}/health/live`;
  await eventually(
    async () => {
      const alive = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
        () => true,
        () => false,
      );
      if (alive) throw new Error(`${app}-${replica} still answers`);
    },
    { timeoutMs: 120_000, intervalMs: 250 },
  );
}

/** Every consumer group has its full membership again (rebalanced after a start); a restart may take a while here. */
export async function untilGroupsWhole(stack: RunningStackInfo): Promise<void> {
  await everyGroupWhole(stack, 120_000);
}
