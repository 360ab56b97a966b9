export interface FailoverOutcome {
  shard: number;
  promoted: string;
  port: number;
  fenced: string;
  followers: string[];
}

/**
 * Stops, kills and restarts processes of the stack under test, through the
 * test runner (tools/test-runner/stack-control-server.ts). Process ids look
 * like `app:inventory-1`, `pg:shard0-node0`, `kafka:0`.
 */
export class StackControl {
  constructor(private readonly baseUrl: string) {}

  static fromEnv(): StackControl {
    const url = process.env.BOXOFFICE_STACK_CONTROL_URL;
    if (!url) throw new Error('BOXOFFICE_STACK_CONTROL_URL is not set: fault tests run through `npm test`, which provides it');
    return new StackControl(url);
  }

  async processes(): Promise<string[]> {
    return (await (await fetch(`${this.baseUrl}/processes`)).json()) as string[];
  }

  stop(id: string): Promise<void> {
    return this.act(id, 'stop');
  }

  kill(id: string): Promise<void> {
    return this.act(id, 'kill');
  }

  /** Starts the process again and waits until it is ready; `env` is added to its settings for this start only. */
  start(id: string, env?: Record<string, string>): Promise<void> {
    return this.act(id, 'start', env ? { env } : undefined);
  }

  /** Kills the shard's primary for good and promotes its most advanced standby (tools/stack/postgres-failover.ts). */
  async failover(shard: number): Promise<FailoverOutcome> {
    const response = await fetch(`${this.baseUrl}/shards/${shard}/failover`, { method: 'POST', signal: AbortSignal.timeout(120000) });
    if (response.status !== 200) throw new Error(`failover of shard ${shard}: ${response.status} ${await response.text()}`);
    return (await response.json()) as FailoverOutcome;
  }

  private async act(id: string, action: string, body?: unknown): Promise<void> {
    const response = await fetch(`${this.baseUrl}/processes/${encodeURIComponent(id)}/${action}`, {
      method: 'POST',
      signal: AbortSignal.timeout(120000),
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (response.status !== 200) throw new Error(`${action} ${id}: ${response.status} ${await response.text()}`);
  }
}
