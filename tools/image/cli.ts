#!/usr/bin/env node
/**
 * `npm run test:image`: builds the Dockerfile with podman and runs the whole
 * system from that image, as Kubernetes would run it, against the local
 * stack's Postgres and Kafka:
 *
 *   1. the base image (`ARG NODE_IMAGE`): pulled, or a stand-in assembled from
 *      package registries under the same name (base-image.ts);
 *   2. the image, built from the unchanged Dockerfile;
 *   3. Postgres and Kafka from the launcher, without apps, on a fresh state dir;
 *   4. every context's migrations, run from the image;
 *   5. every app from the image: host network, and the args, user, read-only
 *      root filesystem, capabilities, scratch mounts, memory limit and grace
 *      period of its Deployment in k8s/base/apps (manifest-settings.ts);
 *   6. the storefront's server (apps/web) from the image, run the same way with
 *      its Deployment's env: its pages, their assets, /config.json naming the
 *      containerised gateway, the fallback of client-side routes;
 *   7. a checkout through the containerised gateway: confirmed, ticketed, mailed;
 *   8. SIGTERM to each container: it must exit by itself within its grace period;
 *      the gateway must first answer a long poll that was in flight (the drain).
 *
 * Ends with `N passed, N failed`; exit code 1 when anything failed.
 * BOXOFFICE_IMAGE_PORT_BASE places the stack's ports; unset, BOXOFFICE_TEST_PORT_BASE
 * (as the other test commands take it), else 37000.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { BoxofficeApi } from '../../libs/testing/src/boxoffice-api.js';
import { eventually } from '../../libs/testing/src/eventually.js';
import { CallerTokenSigner } from '../../libs/platform/src/auth/caller-token.js';
import { signingKeyFromEnv } from '../../libs/platform/src/auth/caller-token-keys.js';
import { HttpClient } from '../../libs/testing/src/http-client.js';
import { appSettings, localCallerTokenKeys, type EnvInputs } from '../stack/app-env.js';
import { APPS, type AppName, DATA_CONTEXTS, type Deployable } from '../stack/contexts.js';
import { parseAppName, resolveOptions } from '../stack/options.js';
import { REPO_ROOT } from '../stack/paths.js';
import { appPort, storefrontPort } from '../stack/port-layout.js';
import { seconds } from '../stack/progress.js';
import { type RunningStack, startStack } from '../stack/stack.js';
import { type BaseImage, dockerfileBaseImage, ensureBaseImage } from './base-image.js';
import { testImageName } from './image-name.js';
import { type ContainerSpec, manifestContainer, podmanRunOptions } from './manifest-settings.js';
import { containerUlimits, lastLines, podman, podmanOk } from './podman.js';

const WORK_DIR = path.join(REPO_ROOT, '.boxoffice', 'image');
const READY_TIMEOUT_MS = 120_000;
/** A container's INSTANCE_ID (in its logs and messages) says that it ran from the image. */
const instanceOf = (app: string) => `${app}-image`;

const say = (line: string): void => {
  process.stdout.write(`[image] ${line}\n`);
};

class Results {
  passed = 0;
  failed = 0;
  readonly durations: Record<string, number> = {};

  record(name: string, ok: boolean, detail = ''): boolean {
    if (ok) this.passed++;
    else this.failed++;
    say(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
    return ok;
  }

  /** One check: passes when `run` resolves; its value is the detail. */
  async check(name: string, run: () => Promise<string | void>): Promise<boolean> {
    try {
      return this.record(name, true, (await run()) ?? '');
    } catch (err) {
      return this.record(name, false, err instanceof Error ? err.message : String(err));
    }
  }

  async phase<T>(name: string, run: () => Promise<T>): Promise<T> {
    const started = Date.now();
    say(`${name} …`);
    try {
      return await run();
    } finally {
      this.durations[name] = Date.now() - started;
      say(`${name}: ${seconds(this.durations[name])}`);
    }
  }
}

async function main(): Promise<number> {
  const results = new Results();
  const portBase = Number(process.env.BOXOFFICE_IMAGE_PORT_BASE ?? process.env.BOXOFFICE_TEST_PORT_BASE ?? 37000);
  const image = testImageName(portBase);
  const stateDir = path.join(WORK_DIR, 'stack');
  const containers = new Map<Deployable, string>();
  let stack: RunningStack | undefined;
  let stopping = false;
  const cleanUp = async () => {
    if (stopping) return;
    stopping = true;
    for (const name of containers.values()) await podman(['rm', '--force', '--time', '0', name]);
    await stack?.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      say(`${signal}: removing the containers and stopping the stack`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  try {
    await prerequisites();
    fs.mkdirSync(WORK_DIR, { recursive: true });
    const baseName = dockerfileBaseImage(path.join(REPO_ROOT, 'Dockerfile'));
    const base: BaseImage = await results.phase('base image', () => ensureBaseImage(baseName, WORK_DIR, (line) => say(`base image: ${line}`)));
    say(`base image: ${base.name}, ${base.source}, Node.js ${base.nodeVersion}`);

    const built = await results.phase('build', () => results.check('the Dockerfile builds unchanged', () => build(image)));
    if (!built) return summary(results);

    await results.check('the image runs Node.js 22 or newer as uid 1000, with tini as PID 1', async () => {
      const out = await podmanOk(['run', '--rm', ...containerUlimits(), image, 'node', '-e', 'console.log(process.version, process.getuid(), require("fs").readlinkSync("/proc/1/exe"))']);
      const [version, uid, init] = out.trim().split('\n').at(-1)!.split(' ');
      if (Number(/^v(\d+)/.exec(version)?.[1]) < 22 || uid !== '1000' || !init.endsWith('tini')) throw new Error(out.trim());
      return `${version}, uid ${uid}, PID 1 ${init}`;
    });

    stack = await results.phase('stack', async () => {
      // Fresh every time, so that the migrations from the image are the ones that create the schemas.
      fs.rmSync(stateDir, { recursive: true, force: true });
      return startStack({ stateDir, portBase, apps: [], log: (line) => say(`stack: ${line}`) });
    });
    const inputs: EnvInputs = {
      options: resolveOptions({ stateDir, portBase }),
      databases: stack.description.databases,
      bucketMap: stack.description.bucketMap,
      kafkaBrokers: stack.description.kafka.brokers,
    };
    const containerEnv = (app: AppName, instance: string): string[] =>
      envOptions({
        ...appSettings(app, instance, appPort(portBase, app, 0), inputs),
        // The image's own settings, where the launcher's differ: production, and the mailbox in its emptyDir.
        NODE_ENV: 'production',
        MAILBOX_DIR: '/data/mailbox',
        // Host network: listen on loopback only, as the local stack does.
        HOST: '127.0.0.1',
      });
    const containerName = (app: string, role: string) => `boxoffice-${portBase}-${app}${role === 'migrate' ? '-migrate' : ''}`;

    await results.phase('migrations', async () => {
      for (const context of DATA_CONTEXTS.map((c) => parseAppName(c.name, 'DATA_CONTEXTS'))) {
        await results.check(`${context}: migrations run from the image`, async () => {
          const name = containerName(context, 'migrate');
          await podman(['rm', '--force', '--time', '0', name]); // left over from an interrupted run
          containers.set(context, name);
          const spec = manifestContainer(context, 'migrate');
          const args = ['run', '--rm', '--name', name, '--network', 'host', ...containerUlimits(), ...podmanRunOptions(spec)];
          const out = await podmanOk([...args, ...containerEnv(context, `${context}-migrate`), image, ...spec.args]);
          containers.delete(context);
          const done = out
            .split('\n')
            .map((line) => jsonLine(line) as { msg?: string; applied?: unknown; shards?: number })
            .find((entry) => entry.msg === 'migrations applied');
          if (typeof done?.applied !== 'number' || done.applied === 0) throw new Error(`no migration applied on a fresh database:\n${lastLines(out, 5)}`);
          return `${done.applied} applied on ${done.shards} shard(s)`;
        });
      }
    });

    await results.phase('apps', async () => {
      for (const app of APPS) {
        await results.check(`${app}: serves from the image as its Deployment runs it, and is ready`, async () => {
          const name = containerName(app, 'serve');
          await podman(['rm', '--force', '--time', '0', name]); // left over from an interrupted run
          const spec = manifestContainer(app, 'serve');
          containers.set(app, name);
          return serve(image, name, spec, containerEnv(app, instanceOf(app)), appPort(portBase, app, 0));
        });
      }
    });

    const gatewayUrl = `http://127.0.0.1:${appPort(portBase, 'gateway', 0)}`;
    await results.phase('storefront', async () => {
      const name = containerName('web', 'serve');
      const port = storefrontPort(portBase);
      const served = await results.check('web: serves from the image as its Deployment runs it, and is ready', async () => {
        await podman(['rm', '--force', '--time', '0', name]); // left over from an interrupted run
        const spec = manifestContainer('web', 'serve');
        // Its Deployment's env, with what differs on the host network: where it listens, its
        // name, and the gateway as a browser here reaches it (the overlays name their own).
        const env = { ...spec.env, HOST: '127.0.0.1', PORT: String(port), INSTANCE_ID: instanceOf('web'), API_URL: gatewayUrl };
        const unset = spec.envFromCluster.filter((key) => !(key in env));
        if (unset.length > 0) throw new Error(`k8s/base/apps/web.yaml takes ${unset.join(', ')} from the cluster; the image test gives no value`);
        containers.set('web', name);
        return serve(image, name, spec, envOptions(env), port);
      });
      if (served) await storefront(results, `http://127.0.0.1:${port}`, gatewayUrl);
    });

    if (containers.has('gateway')) {
      const notifications = containers.get('notifications');
      await results.phase('checkout', () =>
        checkout(
          results,
          gatewayUrl,
          notifications ? { url: `http://127.0.0.1:${appPort(portBase, 'notifications', 0)}`, container: notifications } : undefined,
        ),
      );
    }

    await results.phase('stop', async () => {
      const kafka = new Kafka({ clientId: 'boxoffice-image-test', brokers: inputs.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
      await kafka.connect();
      const stopped = new Set<Deployable>();
      const stop = async (app: Deployable): Promise<void> => {
        const name = containers.get(app);
        if (!name || stopped.has(app)) return;
        stopped.add(app);
        const grace = manifestContainer(app, 'serve').terminationGracePeriodSeconds;
        await results.check(`${app}: SIGTERM stops it cleanly within its ${grace} s grace period`, async () => {
          // The storefront's server consumes nothing: no consumer group to leave.
          const detail = await stopCleanly(name, grace, kafka, app === 'web' ? undefined : app);
          containers.delete(app);
          return detail;
        });
      };
      try {
        // Payments first: an order placed without it waits for its payment, so a long poll on that
        // order is still in flight when the gateway gets its SIGTERM, and the drain must answer it.
        const drain = containers.has('gateway') && containers.has('payments') && containers.has('ordering');
        let pending: InFlight | undefined;
        if (drain) {
          await stop('payments');
          await results.check('a long poll is in flight at the gateway on an order that waits for its payment', async () => {
            pending = await longPollInFlight(gatewayUrl);
            return `order ${pending.orderId}, Prefer: wait=${DRAIN_WAIT_SECONDS}`;
          });
        }
        // From the edge inwards: the storefront, the gateway, then the contexts.
        await stop('web');
        const stopping = Date.now();
        await stop('gateway');
        if (pending) {
          const inFlight = pending;
          await results.check('gateway: the request in flight when SIGTERM came was answered before it exited (the drain)', async () => {
            const answer = await inFlight.response;
            if (answer.status !== 200) throw new Error(`GET /orders/${inFlight.orderId}: ${answer.status} ${answer.body.slice(0, 200)}`);
            const order = JSON.parse(answer.body) as { status?: string; settled?: boolean };
            // Answered before the SIGTERM would prove nothing: the order must still have been waiting.
            if (order.settled || answer.at < stopping) throw new Error(`answered before the gateway was stopped, as ${order.status}`);
            return `200 ${seconds(answer.at - stopping)} after SIGTERM, the order ${order.status}`;
          });
        }
        for (const app of [...APPS].reverse()) await stop(app);
      } finally {
        await kafka.disconnect();
      }
    });
  } catch (err) {
    results.record('the image test ran to the end', false, err instanceof Error ? (err.stack ?? err.message) : String(err));
  } finally {
    await cleanUp();
  }
  return summary(results);
}

async function prerequisites(): Promise<void> {
  const missing: string[] = [];
  for (const command of ['podman', 'mmdebstrap']) {
    if (!process.env.PATH?.split(':').some((dir) => fs.existsSync(path.join(dir, command)))) missing.push(command);
  }
  if (missing.length > 0) {
    throw new Error(`${missing.join(' and ')} missing: apt-get install -y podman buildah mmdebstrap (Debian's packages; .ci/run installs them).`);
  }
}

function envOptions(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
}

/** Starts `name` from the image as `spec` says, detached, and waits until it is ready on `port`. */
async function serve(image: string, name: string, spec: ContainerSpec, env: string[], port: number): Promise<string> {
  const args = ['run', '--detach', '--name', name, '--network', 'host', ...containerUlimits(), ...podmanRunOptions(spec)];
  await podmanOk([...args, ...env, image, ...spec.args]);
  const started = Date.now();
  await waitUntilReady(name, port);
  const root = spec.readOnlyRootFilesystem ? `read-only root, ${spec.scratchMounts.map((m) => m.path).join(' and ')} writable` : 'writable root';
  return `${spec.args.join(' ')}, user ${spec.user}, ${root}, ready in ${seconds(Date.now() - started)}`;
}

/** `podman build` of the repository's Dockerfile as `image`, its steps as progress. */
async function build(image: string): Promise<string> {
  const log = path.join(WORK_DIR, 'build.log');
  fs.rmSync(log, { force: true });
  const previous = (await podman(['image', 'inspect', '--format', '{{.Id}}', image])).output.trim();
  const started = Date.now();
  const result = await podman(['build', '--pull=never', ...containerUlimits(), '--tag', image, '--file', 'Dockerfile', '.'], {
    cwd: REPO_ROOT,
    logFile: log,
    onLine: (line) => {
      if (/STEP \d+\/\d+/.test(line)) say(`build: ${seconds(Date.now() - started).padStart(7)}  ${line.length > 110 ? `${line.slice(0, 110)}…` : line}`);
    },
  });
  if (result.code !== 0) throw new Error(`podman build failed (exit ${result.code}; full log in ${path.relative(REPO_ROOT, log)}):\n${lastLines(result.output)}`);
  const [id, size] = (await podmanOk(['image', 'inspect', '--format', '{{.Id}} {{.Size}}', image])).trim().split(' ');
  // The image this one replaces would stay behind untagged, half a gigabyte a run.
  if (previous && previous !== id) await podman(['rmi', previous]);
  return `${image}, ${Math.round(Number(size) / 1e6)} MB, in ${seconds(Date.now() - started)}`;
}

/** Until GET /health/ready answers 200; fails at once, with the container's log, when it exits. */
async function waitUntilReady(name: string, port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const state = (await podmanOk(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', name])).trim();
    if (!state.startsWith('running')) {
      throw new Error(`the container stopped (${state}):\n${lastLines((await podman(['logs', name])).output, 10)}`);
    }
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`not ready within ${READY_TIMEOUT_MS / 1000} s:\n${lastLines((await podman(['logs', name])).output, 10)}`);
}

/**
 * What a browser gets from the containerised storefront: the page, the built
 * assets it names with their content types, /config.json naming the gateway,
 * the page again for a client-side route, and CORS from the gateway for its origin.
 */
async function storefront(results: Results, webUrl: string, gatewayUrl: string): Promise<void> {
  const get = async (route: string, init: RequestInit = {}) => {
    const response = await fetch(`${webUrl}${route}`, { ...init, signal: AbortSignal.timeout(5000) });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
  };
  const page = await get('/', { headers: { accept: 'text/html' } });
  await results.check('web: / is the storefront’s page, and the built assets it names are served with their content types', async () => {
    if (page.status !== 200 || !page.type.startsWith('text/html') || !page.body.includes('<div id="root">')) {
      throw new Error(`GET /: ${page.status} ${page.type}\n${lastLines(page.body, 5)}`);
    }
    // Vite's build names its assets by content hash under /assets; the source index.html names /src/main.tsx.
    const scripts = [...page.body.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
    const styles = [...page.body.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]);
    if (scripts.length === 0 || styles.length === 0) throw new Error(`GET / names ${scripts.length} script(s) and ${styles.length} stylesheet(s):\n${page.body}`);
    const expected = [...scripts.map((src) => ({ src, type: /^(text|application)\/javascript\b/ })), ...styles.map((src) => ({ src, type: /^text\/css\b/ }))];
    for (const { src, type } of expected) {
      if (!/^\/assets\/[\w.-]+$/.test(src)) throw new Error(`GET / names ${src}, not a built asset under /assets`);
      const asset = await get(src);
      if (asset.status !== 200 || !type.test(asset.type) || asset.body.length === 0) throw new Error(`GET ${src}: ${asset.status} ${asset.type}, ${asset.body.length} characters`);
    }
    // A missing asset is a 404, never the page in its place (a browser would run HTML as a script).
    const missing = await get('/assets/missing-0000.js');
    if (missing.status !== 404) throw new Error(`GET /assets/missing-0000.js: ${missing.status} ${missing.type}, not 404`);
    return expected.map((e) => e.src).join(', ');
  });
  await results.check('web: /config.json names the containerised gateway', async () => {
    const config = await get('/config.json');
    const apiUrl = config.status === 200 && config.type.startsWith('application/json') ? (JSON.parse(config.body) as { apiUrl?: unknown }).apiUrl : undefined;
    if (apiUrl !== gatewayUrl) throw new Error(`GET /config.json: ${config.status} ${config.type} ${config.body}, expected apiUrl ${gatewayUrl}`);
    return `apiUrl ${gatewayUrl}`;
  });
  await results.check('web: a client-side route it does not know is index.html', async () => {
    const route = '/orders/00000000-0000-4000-8000-000000000000';
    const fallback = await get(route, { headers: { accept: 'text/html' } });
    if (fallback.status !== 200 || !fallback.type.startsWith('text/html') || fallback.body !== page.body) {
      throw new Error(`GET ${route}: ${fallback.status} ${fallback.type}, ${fallback.body === page.body ? 'the same' : 'not the same'} body as /`);
    }
    return `GET ${route}: 200, the page of /`;
  });
  await results.check('the containerised gateway lets the storefront’s pages call it (CORS)', async () => {
    const origin = new URL(webUrl).origin;
    const response = await fetch(`${gatewayUrl}/orders`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      signal: AbortSignal.timeout(5000),
    });
    const allowed = response.headers.get('access-control-allow-origin');
    if (response.status >= 300 || allowed !== origin) throw new Error(`OPTIONS /orders from ${origin}: ${response.status}, Access-Control-Allow-Origin ${allowed}`);
    return `OPTIONS /orders from ${origin}: ${response.status}`;
  });
}

/** A buyer's checkout, start to end, through the containerised gateway. */
async function checkout(results: Results, gatewayUrl: string, notifications: { url: string; container: string } | undefined): Promise<void> {
  const api = new BoxofficeApi(gatewayUrl);
  let orderId: string | undefined;
  const confirmed = await results.check('a checkout through the containerised gateway is confirmed', async () => {
    const { showId, seatIds } = await api.publishShow('Image night', [{ code: 'A', rows: 1, seatsPerRow: 4, priceTier: 'STD' }], { STD: 2500 });
    await api.waitUntilOnSale(showId);
    const placed = await api.placeOrder('ingrid', { showId, seatIds: seatIds.slice(0, 2) });
    if (placed.status !== 202 && placed.status !== 201 && placed.status !== 200) throw new Error(`POST /orders: ${placed.status} ${JSON.stringify(placed.body)}`);
    const order = await api.settledOrder('ingrid', placed.body.orderId);
    if (order.status !== 'confirmed') throw new Error(`the order settled as ${order.status} (${order.rejectionReason})`);
    orderId = order.orderId;
    return `order ${order.orderId}, ${order.total?.amountMinor} ${order.total?.currency}`;
  });
  if (!confirmed || !orderId) return;
  const id = orderId;
  await results.check('its two tickets are issued', async () => {
    const tickets = await eventually(async () => {
      const response = await api.http.get<{ tickets: { orderId: string; seatId: string }[] }>('/me/tickets', await api.authHeaders('ingrid'));
      const mine = response.body.tickets.filter((t) => t.orderId === id);
      if (mine.length !== 2) throw new Error(`${mine.length} ticket(s) for order ${id}: ${JSON.stringify(response.body)}`);
      return mine;
    });
    return tickets.map((t) => t.seatId).join(', ');
  });
  if (!notifications) return;
  await results.check('its confirmation mail is in the notifications container’s mailbox', async () => {
    // Notifications says which delivery carried the mail; the mail itself is a file in the container's emptyDir.
    // Called as the gateway calls it: with a caller token signed by the stack's key (ADR 0017).
    const signer = new CallerTokenSigner(signingKeyFromEnv({ CALLER_TOKEN_SIGNING_KEY: localCallerTokenKeys(path.join(WORK_DIR, 'stack')).signingKey }));
    const deliveries = new HttpClient(notifications.url, (method, url, body) => ({
      authorization: `Bearer ${signer.sign({ audience: 'notifications', method, path: `${url.pathname}${url.search}`, body, principal: { id: 'operations', email: 'operations@example.test', role: 'admin' } })}`,
    }));
    const mail = await eventually(
      async () => {
        const response = await deliveries.get<{ id: string; channel: string; event: string; status: string }[]>(`/orders/${id}/deliveries`);
        const sent = response.status === 200 ? response.body.find((d) => d.channel === 'mail' && d.event === 'order.confirmed' && d.status === 'sent') : undefined;
        if (!sent) throw new Error(`no mail sent for order ${id}: ${response.status} ${JSON.stringify(response.body)}`);
        return sent;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const files = (await podmanOk(['exec', notifications.container, 'ls', '/data/mailbox'])).split('\n').filter((f) => f.startsWith(`${mail.id}-`));
    if (files.length !== 1) throw new Error(`expected one file ${mail.id}-<attempt>.eml in /data/mailbox, found ${files.length}`);
    const text = await podmanOk(['exec', notifications.container, 'cat', `/data/mailbox/${files[0]}`]);
    if (!/^To: ingrid@example\.test/m.test(text) || !/^Subject: Order confirmed/m.test(text)) throw new Error(`unexpected mail:\n${lastLines(text, 12)}`);
    return `/data/mailbox/${files[0]}`;
  });
}

/** Longer than a stop takes to begin, shorter than the gateway's grace period: the drain waits for it. */
const DRAIN_WAIT_SECONDS = 10;

interface InFlight {
  orderId: string;
  /** The gateway's answer and when it arrived; rejects when the connection closes without one. */
  response: Promise<{ status: number; body: string; at: number }>;
}

/**
 * Places an order (which stays pending: payments is stopped) and sends
 * `GET /orders/<id>` with `Prefer: wait=N` on a connection of its own. It is
 * in flight once its bytes are written and a later request on another
 * connection has had its answer: the gateway has accepted and read it.
 */
async function longPollInFlight(gatewayUrl: string): Promise<InFlight> {
  const api = new BoxofficeApi(gatewayUrl);
  const { showId, seatIds } = await api.publishShow('Drain night', [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }], { STD: 2500 });
  await api.waitUntilOnSale(showId);
  const placed = await api.placeOrder('ingrid', { showId, seatIds });
  if (placed.status !== 202) throw new Error(`POST /orders without payments: ${placed.status} ${JSON.stringify(placed.body)}`);
  const orderId = placed.body.orderId;
  const request = http.request(new URL(`/orders/${orderId}`, gatewayUrl), { agent: false, headers: { ...(await api.authHeaders('ingrid')), prefer: `wait=${DRAIN_WAIT_SECONDS}` } });
  const response = new Promise<{ status: number; body: string; at: number }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (answer) => {
      let body = '';
      answer.setEncoding('utf8');
      answer.on('data', (chunk: string) => (body += chunk));
      answer.on('error', reject);
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body, at: Date.now() }));
    });
  });
  response.catch(() => undefined); // awaited by the check that follows the stop
  await new Promise<void>((resolve) => request.end(resolve));
  const live = await fetch(new URL('/health/live', gatewayUrl));
  if (live.status !== 200) throw new Error(`GET /health/live: ${live.status}`);
  return { orderId, response };
}

/**
 * `podman stop` sends SIGTERM (tini passes it to node) and SIGKILL only
 * after the grace period. Clean: the app exited by itself in time, with 0 or
 * as its re-raised SIGTERM (143), not killed (137), logged no error, and
 * (a consumer) left its consumer group.
 */
async function stopCleanly(name: string, graceSeconds: number, kafka: Admin, groupId: string | undefined): Promise<string> {
  const started = Date.now();
  const since = new Date(started).toISOString();
  await podmanOk(['stop', '--time', String(graceSeconds), name]);
  const took = Date.now() - started;
  const exitCode = Number((await podmanOk(['inspect', '--format', '{{.State.ExitCode}}', name])).trim());
  // What the app logged while it stopped.
  const logs = (await podman(['logs', '--since', since, name])).output;
  await podman(['rm', '--force', name]);
  const errors = logs.split('\n').filter((line) => /"level":"(error|fatal)"/.test(line) || /Unhandled|ECONNREFUSED/.test(line));
  if (exitCode !== 0 && exitCode !== 143) throw new Error(`exit code ${exitCode} after ${seconds(took)}:\n${lastLines(logs, 8)}`);
  if (took >= graceSeconds * 1000) throw new Error(`took ${seconds(took)}, not under the ${graceSeconds} s grace period`);
  if (errors.length > 0) throw new Error(`errors in its log:\n${errors.slice(-5).join('\n')}`);
  if (groupId === undefined) return `exit ${exitCode} after ${seconds(took)}`;
  // A consumer that shut down cleanly has left its group; a killed one stays a member until its session times out.
  const [group] = (await kafka.describeGroups([groupId])).groups;
  if (group && group.state !== 'Dead' && group.members.length > 0) {
    throw new Error(`exit ${exitCode} after ${seconds(took)}, but still ${group.members.length} member(s) of consumer group ${groupId} (${group.state})`);
  }
  const left = group && group.state !== 'Dead' ? `, left consumer group ${groupId} (${group.state})` : '';
  return `exit ${exitCode} after ${seconds(took)}${left}`;
}

/** One line of an app's JSON log, or {} for anything else. */
function jsonLine(line: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function summary(results: Results): number {
  const times = Object.entries(results.durations)
    .map(([name, ms]) => `${name} ${seconds(ms)}`)
    .join(', ');
  say(`times: ${times}`);
  process.stdout.write(`${results.passed} passed, ${results.failed} failed\n`);
  return results.failed === 0 && results.passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  },
);
