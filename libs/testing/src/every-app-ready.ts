import { eventually } from './eventually.js';
import { HttpClient } from './http-client.js';
import type { RunningStackInfo } from './running-stack.js';

/** After a fault test: waits until every app instance answers 200 on /health/ready again, so the next test starts whole. */
export async function everyAppReady(stack: RunningStackInfo, timeoutMs = 60000): Promise<void> {
  const instances = Object.values(stack.apps).flat();
  await eventually(
    async () => {
      for (const instance of instances) {
        const ready = await new HttpClient(instance.url).get('/health/ready');
        if (ready.status !== 200) throw new Error(`${instance.instance} not ready: ${JSON.stringify(ready.body)}`);
      }
    },
    { timeoutMs },
  );
}
