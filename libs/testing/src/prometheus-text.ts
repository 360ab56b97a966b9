export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * The samples of a Prometheus text exposition (format 0.0.4), enough for
 * tests to find a series by name and labels: comments are skipped, values
 * read as numbers (NaN and ±Inf included).
 */
export function parsePrometheusText(text: string): PrometheusSample[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = SAMPLE.exec(line);
      if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
      const [, name, rawLabels = '', rawValue] = match;
      const labels = Object.fromEntries([...rawLabels.matchAll(LABEL)].map(([, key, value]) => [key, value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))]));
      return { name, labels, value: Number(rawValue.replace(/^\+?Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity')) };
    });
}

/** The samples of one metric whose labels include all of `labels`. */
export function samplesOf(samples: PrometheusSample[], name: string, labels: Record<string, string> = {}): PrometheusSample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value));
}
