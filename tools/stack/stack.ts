import * as fs from 'fs';
import * as path from 'path';
import { appEnv, contextDatabases, type EnvInputs, planApps } from './app-env.js';
import { startApps } from './app-processes.js';
import { BucketMap } from '../../libs/persistence/src/bucket-map.js';
import { planKafka, startKafka } from './kafka-cluster.js';
import { runMigrations } from './migrations.js';
import { type ResolvedOptions, resolveOptions, type StackOptions } from './options.js';
import { postgresRunAs } from './os-user.js';
import { statePaths } from './paths.js';
import { writeJsonAtomic } from './pid-registry.js';
import { allSettledOrThrow } from './poll.js';
import { runsWebhookReceiver } from './port-layout.js';
import { planPostgres, startPostgres } from './postgres-cluster.js';
import { adminLogin, localPostgresPasswords } from './postgres-roles.js';
import { failover, type FailoverResult } from './postgres-failover.js';
import { checkPrerequisites } from './prerequisites.js';
import { createProgress, seconds } from './progress.js';
import { describeStack, refreshPids, type StackDescription, summaryLines } from './stack-description.js';
import { DEFAULT_RESTART_POLICY, NO_RESTARTS, Supervisor } from './supervisor.js';
import { planStorefront, storefrontSpec } from './web-process.js';
import { planWebhookReceiver, webhookReceiverSpec } from './webhook-receiver-process.js';
import { ensureJaeger, jaegerSpec, planJaeger } from './jaeger.js';

export type { StackOptions } from './options.js';
export type { StackDescription } from './stack-description.js';
export type { FailoverResult } from './postgres-failover.js';

export interface RunningStack {
  readonly description: StackDescription;
  /** Apps (SIGTERM), then Kafka, then Postgres standbys and primaries (SIGINT); SIGKILL after a timeout. */
  stop(): Promise<void>;
  /** Clean stop of one process, e.g. app:inventory-1, pg:shard0-node1, kafka:0; it stays down (no restart) until startProcess. */
  stopProcess(id: string): Promise<void>;
  /** SIGKILL to one process and whatever it forked, like a crash; as a deliberate act it stays down until startProcess. */
  killProcess(id: string): Promise<void>;
  /**
   * Starts a stopped, killed or given-up process again with the same settings, waits until it is ready, and supervises it again;
   * `env` is added to its environment for this start only (fault tests: CLOCK_OFFSET_MS, FAULT_RELAY_CRASH).
   */
  startProcess(id: string, env?: Record<string, string>): Promise<void>;
  /** Every id that stopProcess/killProcess/startProcess accept. */
  processIds(): string[];
  /**
   * Loses a shard's primary for good: kills (fences) it, promotes the most
   * advanced standby and re-points the others at it (postgres-failover.ts).
   * The fenced node cannot be started again in this run.
   */
  failover(shard: number): Promise<FailoverResult>;
}

/**
 * Starts the local stack: prerequisites, Postgres shard clusters and Kafka
 * (side by side), migrations, apps. Existing data in the state dir is reused.
 * On failure or abort, whatever started is stopped before the promise rejects.
 */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const startedAt = Date.now();
  const o = resolveOptions(options);
  const paths = statePaths(o.stateDir);
  for (const dir of [paths.stateDir, paths.logsDir, paths.postgresDir, paths.kafkaDir]) fs.mkdirSync(dir, { recursive: true });
  const progress = createProgress(o.log);

  // Set once the stack is up; from then on, starts and stops (fault tests) refresh its pids in stack.json.
  const up: { description?: StackDescription } = {};
  const supervisor = new Supervisor(
    paths.pidsFile,
    o.log,
    () => {
      if (!up.description) return;
      refreshPids(up.description, (id) => supervisor.pidOf(id));
      writeJsonAtomic(paths.stackJson, up.description, STACK_JSON_MODE);
    },
    o.restart === 'unless-stopped' ? DEFAULT_RESTART_POLICY : NO_RESTARTS,
  );

  await progress.phase('prerequisites', (say) => checkPrerequisites(o, paths, say));
  // Ours from here on: `stop` signals this process, which stops the children in order.
  fs.writeFileSync(paths.launcherPidFile, `${process.pid}\n`);

  const postgres = planPostgres(o, paths);
  const kafka = planKafka(o, paths);
  const apps = planApps(o, paths);
  const receiver = runsWebhookReceiver(o) ? planWebhookReceiver(o, paths) : undefined;
  const jaeger = o.tracing ? planJaeger(o, paths) : undefined;
  const storefront = planStorefront(o, paths);
  // Generated with the state dir's first Postgres; refuses data from before per-context roles.
  const passwords = localPostgresPasswords(paths.postgresDir);
  const freshState = !fs.existsSync(path.join(postgres[0].primary.dataDir, 'PG_VERSION'));
  const inputs: EnvInputs = {
    options: o,
    databases: contextDatabases(postgres, passwords),
    bucketMap: BucketMap.even(o.shards).definition,
    kafkaBrokers: kafka.map((b) => `127.0.0.1:${b.port}`),
  };

  try {
    // Independent, and both mostly wait on process start-up: run them side by side.
    await allSettledOrThrow([
      progress.phase('postgres', (say) => startPostgres(postgres, { options: o, paths, supervisor, runAs: postgresRunAs(), say })),
      progress.phase('kafka', (say) => startKafka(kafka, { options: o, paths, supervisor, say })),
      ...(jaeger
        ? [
            progress.phase('jaeger', async (say) => {
              await supervisor.start(jaegerSpec(jaeger, await ensureJaeger(say, o.signal), o), o.signal);
              say(`ready on ${jaeger.url}`);
            }),
          ]
        : []),
    ]);
    await progress.phase('migrations', (say) => runMigrations(inputs, paths, say));
    await progress.phase('apps', async (say) => {
      if (receiver) {
        // The client that notifications calls: up before it, checking signatures with the secret notifications signs with.
        const secret = appEnv('notifications', 'notifications-0', receiver.port, inputs).WEBHOOK_SIGNING_SECRET ?? '';
        await supervisor.start(webhookReceiverSpec(receiver, o, secret), o.signal);
        say(`webhook receiver ready on ${receiver.url}`);
      }
      if (apps.length === 0) return say('none requested');
      await startApps(apps, inputs, supervisor, say);
      if (storefront) {
        await supervisor.start(storefrontSpec(storefront, o), o.signal);
        say(`storefront ready on ${storefront.url}`);
      }
    });
  } catch (err) {
    o.log(`start ${o.signal?.aborted ? 'interrupted' : 'failed'}; stopping what had started`);
    await supervisor.stopAll();
    fs.rmSync(paths.launcherPidFile, { force: true });
    throw err;
  }

  const describe = () =>
    describeStack(
      { ...paths, portBase: o.portBase, postgres, kafka, apps, receiver, jaeger, storefront, databases: inputs.databases, postgresAdmin: adminLogin(passwords), bucketMap: inputs.bucketMap, freshState, pidOf: (id) => supervisor.pidOf(id) },
      startedAt,
      progress.durations,
    );
  const description = describe();
  up.description = description;
  writeJsonAtomic(paths.stackJson, description, STACK_JSON_MODE);
  recordStartupTime(paths.startupTimes, description, o);
  for (const line of summaryLines(description)) o.log(line);
  const afterFailover = () => {
    // Tests and `status` read stack.json: name the new primaries there.
    inputs.databases = contextDatabases(postgres, passwords);
    Object.assign(description, describe(), { startupMs: description.startupMs });
    writeJsonAtomic(paths.stackJson, description, STACK_JSON_MODE);
  };
  return runningStack(description, supervisor, o, paths.launcherPidFile, async (shard) => {
    const plan = postgres.at(shard);
    if (!plan || shard < 0) throw new Error(`No shard ${shard}; the stack has ${postgres.length}.`);
    const result = await failover(plan, supervisor, paths.postgresDir, o.log);
    afterFailover();
    return result;
  });
}

/** stack.json names every database role's password: its owner alone reads it. */
const STACK_JSON_MODE = 0o600;

function recordStartupTime(file: string, d: StackDescription, o: ResolvedOptions): void {
  const entry = {
    at: d.startedAt,
    startupMs: d.startupMs,
    phases: d.phases,
    freshState: d.freshState,
    shards: o.shards,
    replicasPerShard: o.replicasPerShard,
    brokers: o.brokers,
    apps: Object.fromEntries(o.apps.map((app) => [app, o.appReplicas[app]])),
  };
  fs.appendFileSync(file, JSON.stringify(entry) + '\n');
}

function runningStack(
  description: StackDescription,
  supervisor: Supervisor,
  o: ResolvedOptions,
  launcherPidFile: string,
  promote: (shard: number) => Promise<FailoverResult>,
): RunningStack {
  let stopping: Promise<void> | undefined;
  return {
    description,
    stop() {
      stopping ??= (async () => {
        const started = Date.now();
        o.log('stopping: apps, then Kafka, then Postgres …');
        await supervisor.stopAll();
        fs.rmSync(launcherPidFile, { force: true });
        o.log(`stopped in ${seconds(Date.now() - started)}`);
      })();
      return stopping;
    },
    stopProcess: (id) => supervisor.stop(checkId(supervisor, id)),
    killProcess: (id) => supervisor.kill(checkId(supervisor, id)),
    startProcess: async (id, env) => {
      await supervisor.restart(checkId(supervisor, id), o.signal, env);
    },
    processIds: () => supervisor.knownIds(),
    failover: promote,
  };
}

function checkId(supervisor: Supervisor, id: string): string {
  if (!supervisor.knownIds().includes(id)) throw new Error(`Unknown process "${id}"; known: ${supervisor.knownIds().join(', ')}.`);
  return id;
}
