import * as fs from 'fs';
import * as path from 'path';
import { REPLICATION_ROLE } from './postgres-roles.js';

/**
 * Postgres configuration as files in each data dir. Our settings live in
 * boxoffice.conf, rewritten at every start (ports follow the port base, the
 * standby list follows the replica count); postgresql.conf only includes it.
 */
export interface PgNodePlan {
  id: string;
  label: string;
  shard: number;
  /** Position in the shard; node 0 is the primary until a failover promotes another. */
  node: number;
  role: 'primary' | 'standby';
  port: number;
  dataDir: string;
  logFile: string;
  /** Its application_name and replication slot name while it is a standby, e.g. shard0_node1. */
  standbyName: string;
}

export interface PgShardPlan {
  shard: number;
  primary: PgNodePlan;
  replicas: PgNodePlan[];
}

const CONF_FILE = 'boxoffice.conf';

/**
 * Passwords (scram-sha-256) for every role, on loopback only (listen_addresses
 * is 127.0.0.1 too): a trust line would let any local process log in as any
 * role, and one context's role could not be kept out of another's database
 * (ADR 0046). Standbys stream as the replication role; nothing else may.
 * Rewritten at every start.
 */
export function writeHba(dataDir: string): void {
  fs.writeFileSync(
    path.join(dataDir, 'pg_hba.conf'),
    [
      '# Written by tools/stack at every start: local stack only, loopback, passwords (ADR 0046).',
      'host all all 127.0.0.1/32 scram-sha-256',
      `host replication ${REPLICATION_ROLE} 127.0.0.1/32 scram-sha-256`,
      '',
    ].join('\n'),
  );
}

export function includeOurConfig(dataDir: string): void {
  const main = path.join(dataDir, 'postgresql.conf');
  const line = `include_if_exists = '${CONF_FILE}'`;
  if (!fs.readFileSync(main, 'utf8').includes(line)) fs.appendFileSync(main, `\n# Settings of the boxoffice stack launcher:\n${line}\n`);
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Shared by primaries and standbys, so a promoted standby runs like a primary. */
function commonSettings(node: PgNodePlan): Record<string, string | number> {
  return {
    listen_addresses: quote('127.0.0.1'),
    port: node.port,
    // No unix socket: clients use TCP on 127.0.0.1, and no socket path can clash.
    unix_socket_directories: quote(''),
    max_connections: 200,
    // Small memory: up to a dozen nodes share a 2-core dev machine.
    shared_buffers: quote('32MB'),
    work_mem: quote('2MB'),
    maintenance_work_mem: quote('32MB'),
    // max_worker_processes keeps its default (8): a standby needs at least the primary's value,
    // and one seeded right after initdb starts from initdb's pg_control.
    max_parallel_workers: 2,
    max_parallel_workers_per_gather: 1,
    wal_level: 'replica',
    max_wal_senders: 10,
    max_replication_slots: 10,
    // A standby seeded from a copy asks for WAL written before its slot existed.
    wal_keep_size: quote('64MB'),
    hot_standby: 'on',
    // AP contexts read from standbys; feedback keeps their queries from being cancelled.
    hot_standby_feedback: 'on',
    logging_collector: 'off',
    log_line_prefix: quote('%m [%p] %q%a '),
    log_timezone: quote('UTC'),
    timezone: quote('UTC'),
  };
}

/** How a standby reaches its primary; its name is its application_name there (synchronous_standby_names). */
export function primaryConninfo(primaryPort: number, standbyName: string, replicationPassword: string): string {
  return `host=127.0.0.1 port=${primaryPort} user=${REPLICATION_ROLE} password=${replicationPassword} application_name=${standbyName}`;
}

export function writeNodeConfig(node: PgNodePlan, shard: PgShardPlan, replicationPassword: string): void {
  const settings = commonSettings(node);
  if (node.role === 'standby') {
    settings.primary_conninfo = quote(primaryConninfo(shard.primary.port, node.standbyName, replicationPassword));
    settings.primary_slot_name = quote(node.standbyName);
    // Reconnect within a second after the primary restarts (default 5 s), which fault tests do a lot.
    settings.wal_retrieve_retry_interval = quote('1s');
    // Only the primary waits for standbys; a promoted standby must be given its own list.
    settings.synchronous_standby_names = quote('');
  } else {
    // Every standby may confirm a synchronous commit; one is enough. Without
    // standbys (replicasPerShard=0) commits are local.
    const names = shard.replicas.map((r) => r.standbyName).join(', ');
    settings.synchronous_standby_names = quote(names ? `ANY 1 (${names})` : '');
  }
  const text = Object.entries(settings)
    .map(([key, value]) => `${key} = ${value}`)
    .join('\n');
  fs.writeFileSync(path.join(node.dataDir, CONF_FILE), `# Rewritten by tools/stack at every start; edit tools/stack/postgres-config.ts instead.\n${text}\n`);
  // A failover changes settings with ALTER SYSTEM (postgresql.auto.conf, read last); at a start the plan decides again.
  fs.writeFileSync(path.join(node.dataDir, 'postgresql.auto.conf'), '# Emptied by tools/stack at every start: a failover writes here with ALTER SYSTEM.\n');
  if (node.role === 'standby') fs.writeFileSync(path.join(node.dataDir, 'standby.signal'), '');
  else fs.rmSync(path.join(node.dataDir, 'standby.signal'), { force: true });
}
