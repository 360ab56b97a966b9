#!/usr/bin/env node
// Entry point of `npm start | stop | reset | test`. It needs nothing but Node:
// it installs the Node packages when they are missing or stale, builds the
// TypeScript (stop and reset need neither once built), then runs the stack
// launcher (dist/tools/stack/cli.js) in this same process.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const say = (line) => process.stdout.write(`[boxoffice] ${line}\n`);

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  say(`Node.js ${process.versions.node} is too old: install Node.js 22 or newer (24 is what the image runs).`);
  process.exit(1);
}
if (major < 22) {
  // Still works, but no longer gets fixes (package.json engines: >=22; ADR 0025).
  say(`Node.js ${process.versions.node} is past its end of life: install Node.js 22 or newer (24 is what the image runs).`);
}

const command = process.argv[2] ?? 'up';
// `npm run stop` and `npm run reset` stop the stack with the launcher that
// started it, as it was built: installing or building first would make a stop
// wait minutes, and fail while the sources do not compile (an edit half
// done), leaving the stack running.
const stopsOnly = (command === 'stop' || command === 'reset') && existsSync(join(root, 'dist/tools/stack/cli.js'));
if (!stopsOnly) installAndBuild();

// In this process, not a child: a SIGINT or SIGTERM sent to this pid (by npm,
// which forwards both, or by a process manager) reaches the launcher, which
// stops the stack in order; a wrapper in between would have to forward every
// signal, and one killed on its own would orphan the stack.
process.setSourceMapsEnabled(true);
if (command === 'test-image') {
  // `npm run test:image`: builds and runs the container image (tools/image); it runs as it is imported.
  await import(pathToFileURL(join(root, 'dist/tools/image/cli.js')).href);
} else if (command === 'rehearse-restore') {
  // `npm run rehearse:restore`: a shard backed up and restored to a point in time (tools/restore-rehearsal).
  await import(pathToFileURL(join(root, 'dist/tools/restore-rehearsal/cli.js')).href);
} else {
  const { runCli } = await import(pathToFileURL(join(root, 'dist/tools/stack/cli.js')).href);
  await runCli([command, ...process.argv.slice(3)]);
}

function installAndBuild() {
  // Installed packages are stamped with the hash of the lockfile they came
  // from: reinstall only when the lockfile's content changed (not its date,
  // which every fresh clone or checkout renews).
  const lockHash = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
  const stamp = join(root, 'node_modules', '.boxoffice-installed');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash) {
    say('installing Node packages (npm ci)…');
    run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
    writeFileSync(stamp, lockHash);
  }
  say('building…');
  run('npm', ['run', '--silent', 'build']);
}

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    say(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}
