import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DATA_CONTEXTS } from './contexts.js';
import { StackError } from './options.js';
import { type PgLogin, type PgQuery } from './pg-client.js';

/**
 * Who logs in to the local stack's Postgres, and with what (ADR 0046):
 * - one role per context, named after it, owning its database(s) and nothing
 *   else: no superuser, no CREATEDB or CREATEROLE, and no CONNECT on another
 *   context's database (CONNECT is revoked from PUBLIC on every one);
 * - `replicator`, which standbys stream as (REPLICATION, nothing more);
 * - `boxoffice`, the superuser initdb creates, which only the launcher uses
 *   (databases, roles, slots, a failover) and tests that need an admin.
 * Every one has a password (scram-sha-256; pg_hba accepts nothing else), so a
 * process holding one context's URL cannot log in as another context.
 */
export const ADMIN_ROLE = 'boxoffice';
export const REPLICATION_ROLE = 'replicator';

/**
 * Health details, /metrics and the operations console read the standbys'
 * state and lag from pg_stat_replication, whose details only members of
 * pg_read_all_stats (or superusers) see: the least of the predefined roles
 * that shows them. It reads statistics, never a table's rows.
 */
export const CONTEXT_ROLE_GRANTS = ['pg_read_all_stats'];

/** Passwords of every role, one file per state dir (readable by its owner only). */
export type PostgresPasswords = Record<string, string>;

export function passwordsFile(postgresDir: string): string {
  return path.join(postgresDir, 'passwords.json');
}

export function roleNames(): string[] {
  return [ADMIN_ROLE, REPLICATION_ROLE, ...DATA_CONTEXTS.map((c) => c.name)];
}

const known = new Map<string, PostgresPasswords>();

/**
 * Development passwords, generated when a state dir's Postgres is first
 * created and kept beside its data (so a restart, the tests and `status` use
 * the same ones); `npm run reset` makes new ones. Random rather than fixed in
 * the source: a role check is only real when a process cannot read the
 * other roles' passwords from the code it runs.
 */
export function localPostgresPasswords(postgresDir: string): PostgresPasswords {
  const cached = known.get(postgresDir);
  if (cached) return cached;
  const file = passwordsFile(postgresDir);
  let passwords: PostgresPasswords = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as PostgresPasswords) : {};
  const missing = roleNames().filter((role) => !passwords[role]);
  if (missing.length > 0) {
    if (missing.includes(ADMIN_ROLE) && fs.existsSync(path.join(postgresDir, 'shard0-node0', 'PG_VERSION'))) {
      // Its superuser has no password and every object belongs to it: the roles cannot be split from here.
      throw new StackError(
        `The Postgres data in ${postgresDir} predates per-context database roles (ADR 0046): run \`npm run reset\` (it deletes the stack's data) and start again.`,
      );
    }
    // URL-safe characters only: the passwords go into postgres:// URLs and conninfo strings as they are.
    passwords = { ...passwords, ...Object.fromEntries(missing.map((role) => [role, randomBytes(18).toString('base64url')])) };
    fs.mkdirSync(postgresDir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  }
  known.set(postgresDir, passwords);
  return passwords;
}

export function loginOf(passwords: PostgresPasswords, role: string): PgLogin {
  const password = passwords[role];
  if (!password) throw new Error(`No password for the Postgres role ${role}`);
  return { user: role, password };
}

export function adminLogin(passwords: PostgresPasswords): PgLogin {
  return loginOf(passwords, ADMIN_ROLE);
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Creates the replication role and every context's role on a primary, or
 * brings them back to what they should be (attributes, password, grants):
 * run at every start, so a changed password file or a role altered by hand
 * is put right. Roles are cluster-wide and replicate to the standbys.
 */
export async function ensureRoles(q: PgQuery, passwords: PostgresPasswords): Promise<void> {
  const existing = new Set((await q<{ rolname: string }>('select rolname from pg_roles')).map((r) => r.rolname));
  const want: { role: string; attributes: string; grants: string[] }[] = [
    { role: REPLICATION_ROLE, attributes: 'LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', grants: [] },
    ...DATA_CONTEXTS.map((c) => ({ role: c.name, attributes: 'LOGIN NOREPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', grants: CONTEXT_ROLE_GRANTS })),
  ];
  for (const { role, attributes, grants } of want) {
    const verb = existing.has(role) ? 'ALTER' : 'CREATE';
    await q(`${verb} ROLE ${quoteIdent(role)} ${attributes} PASSWORD ${quoteLiteral(loginOf(passwords, role).password)}`);
    for (const grant of grants) await q(`GRANT ${quoteIdent(grant)} TO ${quoteIdent(role)}`);
  }
}

/**
 * A context's database belongs to its role, and no other role may connect
 * to it: PUBLIC's default CONNECT and TEMPORARY are revoked (the owner keeps
 * them, and superusers need none).
 */
export async function restrictDatabase(q: PgQuery, database: string, owner: string): Promise<void> {
  await q(`ALTER DATABASE ${quoteIdent(database)} OWNER TO ${quoteIdent(owner)}`);
  await q(`REVOKE ALL ON DATABASE ${quoteIdent(database)} FROM PUBLIC`);
}
