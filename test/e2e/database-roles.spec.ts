import pg from 'pg';
import { queryDatabase, runningStack } from '@boxoffice/testing';

/**
 * Each context logs in as its own role, which owns its database and reaches
 * no other context's (docs/adr/0046-a-database-role-per-context.md): proved
 * on the running stack with the very URLs each app is given (stack.json holds
 * each context's DB_SHARDS), on every node of every shard.
 */
const stack = runningStack();
const contexts = Object.keys(stack.databases).sort();

interface Node {
  context: string;
  url: string;
  where: string;
}

/** Every node of every shard of a context's database, primaries and standbys. */
function nodesOf(context: string): Node[] {
  return stack.databases[context].flatMap((shard, s) => [
    { context, url: shard.primary, where: `shard ${s} primary` },
    ...shard.replicas.map((url, r) => ({ context, url, where: `shard ${s} standby ${r + 1}` })),
  ]);
}

/** `url` with another role's user and password in it: that role trying this database. */
function as(url: string, loginOf: string): string {
  const target = new URL(url);
  const login = new URL(stack.databases[loginOf][0].primary);
  target.username = login.username;
  target.password = login.password;
  return target.toString();
}

/** The SQLSTATE a connection and query end in, or 'ok'. */
async function outcome(url: string, sql = 'SELECT 1'): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query(sql);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

it('gives each context a role of its own, and no context another one', () => {
  expect(contexts).toEqual(['catalog', 'inventory', 'notifications', 'ordering', 'payments', 'ticketing']);
  for (const context of contexts) {
    for (const node of nodesOf(context)) expect({ context, where: node.where, user: decodeURIComponent(new URL(node.url).username) }).toEqual({ context, where: node.where, user: context });
  }
});

describe.each(contexts)('%s', (context) => {
  it('logs in to its own database on every node, as its own role, which owns it and every table its migrations made', async () => {
    for (const node of nodesOf(context)) {
      const [row] = await queryDatabase<{ user: string; database: string; owner: string }>(
        node.url,
        'SELECT current_user AS user, current_database() AS database, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()',
      );
      expect({ where: node.where, ...row }).toEqual({ where: node.where, user: context, database: context, owner: context });
      const tables = await queryDatabase<{ tablename: string; tableowner: string }>(node.url, "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'");
      expect(tables.length).toBeGreaterThan(0);
      expect(tables.filter((t) => t.tableowner !== context)).toEqual([]);
    }
  });

  it("is refused by every other context's database, on every node (42501: no CONNECT privilege)", async () => {
    const others = contexts.filter((c) => c !== context).flatMap(nodesOf);
    const answers = await Promise.all(others.map(async (node) => ({ database: node.context, where: node.where, answer: await outcome(as(node.url, context)) })));
    expect(answers).toEqual(others.map((node) => ({ database: node.context, where: node.where, answer: '42501' })));
  });

  it('can create no database and no role, and is no superuser', async () => {
    const [primary] = nodesOf(context);
    const [role] = await queryDatabase<Record<string, boolean>>(
      primary.url,
      'SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    expect(role).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolreplication: false, rolbypassrls: false });
    expect(await outcome(primary.url, `CREATE DATABASE "${context}_copy"`)).toBe('42501');
    expect(await outcome(primary.url, `CREATE ROLE "${context}_friend" LOGIN`)).toBe('42501');
    // Not even by taking over a database another role owns.
    const other = contexts.find((c) => c !== context)!;
    expect(await outcome(primary.url, `ALTER DATABASE "${other}" OWNER TO "${context}"`)).toBe('42501');
  });

  it('needs its password: a wrong one is refused (28P01)', async () => {
    const [primary] = nodesOf(context);
    const wrong = new URL(primary.url);
    wrong.password = 'not-the-password';
    expect(await outcome(wrong.toString())).toBe('28P01');
  });
});
