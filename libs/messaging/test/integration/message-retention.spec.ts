import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { runningStack, scratchDatabase } from '@boxoffice/testing';
import { CreateOutboxAndInbox1764000000000 } from '../../src/outbox/outbox-inbox.migration.js';
import { MessageRetentionIndexes1764000000100, pruneMessages } from '../../src/outbox/message-retention.js';

/** Pruning against a real Postgres: what is old and done goes; what is recent, or not yet published, stays. */
const serverUrl = runningStack().databases.catalog[0].primary;
let dataSource: DataSource;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ dataSource, drop } = await scratchDatabase(serverUrl, [CreateOutboxAndInbox1764000000000, MessageRetentionIndexes1764000000100]));
});
afterAll(() => drop());

async function outboxRow(label: string, createdAgo: string, publishedAgo: string | null): Promise<void> {
  await dataSource.query(
    `INSERT INTO outbox (message_id, topic, message_key, envelope, created_at, published_at)
     VALUES ($1, 'it.topic', $2, '{}', now() - $3::interval, now() - $4::interval)`,
    [uuidv7(), label, createdAgo, publishedAgo],
  );
}

async function inboxRow(label: string, processedAgo: string): Promise<void> {
  await dataSource.query(`INSERT INTO inbox (consumer, message_id, message_type, processed_at) VALUES ('it', $1, $2, now() - $3::interval)`, [uuidv7(), label, processedAgo]);
}

it('deletes published outbox rows and inbox rows past their retention, in batches, and nothing else', async () => {
  for (let i = 0; i < 3; i++) await outboxRow('published long ago', '3 hours', '2 hours');
  await outboxRow('published just now', '1 minute', '1 minute');
  await outboxRow('never published', '5 hours', null);
  for (let i = 0; i < 3; i++) await inboxRow('processed long ago', '9 days');
  await inboxRow('processed yesterday', '1 day');
  const retention = { publishedOutboxSeconds: 3600, inboxSeconds: 8 * 86_400 };

  expect(await pruneMessages(dataSource, retention, 2)).toBe(4); // 2 + 2: one batch each
  expect(await pruneMessages(dataSource, retention, 2)).toBe(2);
  expect(await pruneMessages(dataSource, retention, 2)).toBe(0);

  const outbox: { message_key: string }[] = await dataSource.query(`SELECT message_key FROM outbox ORDER BY message_key`);
  expect(outbox.map((r) => r.message_key)).toEqual(['never published', 'published just now']);
  const inbox: { message_type: string }[] = await dataSource.query(`SELECT message_type FROM inbox`);
  expect(inbox.map((r) => r.message_type)).toEqual(['processed yesterday']);
});
