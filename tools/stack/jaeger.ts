import * as fs from 'fs';
import * as path from 'path';
import { appUrl } from './app-env.js';
import { readyWhenAnswers200 } from './http-ready.js';
import { StackError, type ResolvedOptions } from './options.js';
import { KAFKA_JAR_CACHE_ROOT, REPO_ROOT, type StatePaths } from './paths.js';
import { jaegerPorts } from './port-layout.js';
import { lastLines, runCommand } from './run-command.js';
import { type ProcessSpec } from './supervisor.js';

/**
 * The local trace backend: Jaeger v2 (an OpenTelemetry Collector with
 * Jaeger's storage and UI) built from its Go module, keeping traces in
 * memory. It takes OTLP/HTTP from every app and serves the UI and the query
 * API (docs/observability.md, ADR 0034).
 */
export const JAEGER_MODULE = 'github.com/jaegertracing/jaeger';
export const JAEGER_VERSION = 'v1.75.0';
export const JAEGER_ID = 'jaeger';

/** Built once per version into the cache that `reset` keeps, like Kafka's jars. */
export const JAEGER_CACHE = path.join(KAFKA_JAR_CACHE_ROOT, `jaeger-${JAEGER_VERSION}`);
export const JAEGER_BINARY = path.join(JAEGER_CACHE, 'jaeger');

export function jaegerBuilt(): boolean {
  return fs.existsSync(JAEGER_BINARY);
}

/**
 * Builds `cmd/jaeger` with the Go toolchain from the Go module proxy, in a
 * module of its own (`go get -tool`), so Jaeger's module resolves its
 * dependencies as its release pinned them. A few minutes, the first time only.
 */
export async function ensureJaeger(say: (text: string) => void, signal?: AbortSignal): Promise<string> {
  if (jaegerBuilt()) return JAEGER_BINARY;
  const started = Date.now();
  say(`building Jaeger ${JAEGER_VERSION} from its Go module (first run only; a few minutes)`);
  const work = `${JAEGER_CACHE}.build-${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
  const steps: [string, string[]][] = [
    ['go', ['mod', 'init', 'boxoffice.local/jaeger-build']],
    ['go', ['get', '-tool', `${JAEGER_MODULE}/cmd/jaeger@${JAEGER_VERSION}`]],
    ['go', ['build', '-trimpath', '-ldflags=-s -w', '-o', 'jaeger', `${JAEGER_MODULE}/cmd/jaeger`]],
  ];
  for (const [command, args] of steps) {
    const result = await runCommand(command, args, { cwd: work, env, signal }).catch((error: unknown) => {
      fs.rmSync(work, { recursive: true, force: true });
      if ((error as { code?: string }).code === 'ENOENT') throw new StackError('Building Jaeger needs Go 1.24 or later on the PATH (https://go.dev/dl, or your package manager); or set BOXOFFICE_TRACING=off.');
      throw error;
    });
    if (result.code !== 0) {
      fs.rmSync(work, { recursive: true, force: true });
      throw new StackError(`Could not build Jaeger (${command} ${args.join(' ')}; check access to the Go module proxy):\n${lastLines(result.output)}`);
    }
  }
  fs.mkdirSync(JAEGER_CACHE, { recursive: true });
  fs.renameSync(path.join(work, 'jaeger'), `${JAEGER_BINARY}.part`);
  fs.renameSync(`${JAEGER_BINARY}.part`, JAEGER_BINARY);
  fs.rmSync(work, { recursive: true, force: true });
  say(`built Jaeger in ${Math.round((Date.now() - started) / 1000)} s`);
  return JAEGER_BINARY;
}

export interface JaegerPlan {
  /** The UI and the query API (`/api/traces/<trace id>`). */
  url: string;
  /** What the apps get as OTEL_EXPORTER_OTLP_ENDPOINT (OTLP over HTTP). */
  otlpEndpoint: string;
  configFile: string;
  logFile: string;
}

export function planJaeger(o: ResolvedOptions, paths: StatePaths): JaegerPlan {
  const ports = jaegerPorts(o.portBase);
  return {
    url: appUrl(ports.ui),
    otlpEndpoint: appUrl(ports.otlpHttp),
    configFile: path.join(paths.stateDir, 'jaeger.yaml'),
    logFile: path.join(paths.logsDir, 'jaeger.log'),
  };
}

/**
 * The all-in-one's configuration with every port from the stack's layout and
 * on the loopback only: its defaults (4317, 4318, 16686, 8888, …) would clash
 * with another stack on the same machine. In-memory storage: traces go with
 * the process, like a development backend should.
 */
export function jaegerConfig(o: ResolvedOptions): string {
  const p = jaegerPorts(o.portBase);
  return `# Written by the launcher (tools/stack/jaeger.ts) at every start.
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaeger
    metrics:
      level: none
    logs:
      level: info
extensions:
  jaeger_query:
    storage:
      traces: memory
    http:
      endpoint: 127.0.0.1:${p.ui}
    grpc:
      endpoint: 127.0.0.1:${p.queryGrpc}
  jaeger_storage:
    backends:
      memory:
        memory:
          max_traces: 50000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${p.otlpHttp}
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: memory
`;
}

/** Supervised like the apps; stopped after them, so their last spans still arrive. */
export function jaegerSpec(plan: JaegerPlan, binary: string, o: ResolvedOptions): ProcessSpec {
  fs.writeFileSync(plan.configFile, jaegerConfig(o));
  return {
    id: JAEGER_ID,
    kind: 'app',
    label: 'jaeger',
    command: binary,
    args: ['--config', plan.configFile],
    env: { ...process.env },
    cwd: REPO_ROOT,
    logFile: plan.logFile,
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 5_000,
    stopOrder: 1,
    ready: readyWhenAnswers200(`${plan.url}/api/services`, 'Jaeger', o.appReadyTimeoutMs),
  };
}
