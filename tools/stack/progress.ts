/**
 * The launcher's one progress printer: a line sink plus phase timing, so
 * every phase ends with its duration and the durations land in stack.json.
 */
export interface Progress {
  line(text: string): void;
  /** Runs one phase, printing its start and its duration; records the duration. */
  phase<T>(name: string, run: (say: (text: string) => void) => Promise<T>): Promise<T>;
  readonly durations: Record<string, number>;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function createProgress(sink: (line: string) => void): Progress {
  const durations: Record<string, number> = {};
  return {
    durations,
    line: sink,
    async phase(name, run) {
      const started = Date.now();
      sink(`${name} …`);
      const result = await run((text) => sink(`${name}: ${text}`));
      durations[name] = Date.now() - started;
      sink(`${name} done in ${seconds(durations[name])}`);
      return result;
    },
  };
}
