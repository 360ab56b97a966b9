import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DATA_CONTEXTS } from '../../contexts.js';
import { writeHba } from '../../postgres-config.js';
import { localPostgresPasswords, passwordsFile } from '../../postgres-roles.js';

/** The local stack's database roles: who may log in, with what (ADR 0046). */
describe('postgres roles', () => {
  let postgresDir: string;
  beforeEach(() => {
    postgresDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'boxoffice-roles-')), 'postgres');
  });
  afterEach(() => fs.rmSync(path.dirname(postgresDir), { recursive: true, force: true }));

  it('generates a password per role once per state dir, readable by its owner only, and keeps it', () => {
    const passwords = localPostgresPasswords(postgresDir);
    expect(Object.keys(passwords).sort()).toEqual(['boxoffice', 'replicator', ...DATA_CONTEXTS.map((c) => c.name)].sort());
    expect(new Set(Object.values(passwords)).size).toBe(Object.keys(passwords).length);
    // URL-safe: they go into postgres:// URLs and conninfo strings as they are.
    for (const password of Object.values(passwords)) expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(fs.statSync(passwordsFile(postgresDir)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(passwordsFile(postgresDir), 'utf8'))).toEqual(passwords);
  });

  it('refuses Postgres data from before the roles existed, and says to reset', () => {
    fs.mkdirSync(path.join(postgresDir, 'shard0-node0'), { recursive: true });
    fs.writeFileSync(path.join(postgresDir, 'shard0-node0', 'PG_VERSION'), '18\n');
    expect(() => localPostgresPasswords(postgresDir)).toThrow(/predates per-context database roles .*npm run reset/);
    expect(fs.existsSync(passwordsFile(postgresDir))).toBe(false);
  });

  it('lets nobody in without a password, and only the replication role replicate', () => {
    fs.mkdirSync(postgresDir, { recursive: true });
    writeHba(postgresDir);
    const rules = fs
      .readFileSync(path.join(postgresDir, 'pg_hba.conf'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(rules).toEqual(['host all all 127.0.0.1/32 scram-sha-256', 'host replication replicator 127.0.0.1/32 scram-sha-256']);
  });
});
