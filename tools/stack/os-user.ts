import { spawnSync } from 'child_process';
import { StackError } from './options.js';

export interface RunAs {
  uid: number;
  gid: number;
}

function lookup(user: string): RunAs | undefined {
  const uid = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Postgres refuses to run as root. As root, run it as the system user
 * `postgres` (created if missing); as anyone else, run it as ourselves.
 */
export function postgresRunAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = lookup('postgres');
  if (existing) return existing;
  const common = ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin'];
  // --user-group fails when a `postgres` group already exists; then join that group.
  let result = spawnSync('useradd', [...common, '--user-group', 'postgres'], { encoding: 'utf8' });
  if (result.status !== 0) result = spawnSync('useradd', [...common, '-g', 'postgres', 'postgres'], { encoding: 'utf8' });
  const created = lookup('postgres');
  if (!created) {
    throw new StackError(
      'Postgres refuses to run as root and the system user "postgres" could not be created; create it (useradd --system postgres) or run the stack as a normal user.',
    );
  }
  return created;
}
