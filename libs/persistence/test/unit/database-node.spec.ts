import type { DataSource } from 'typeorm';
import { DatabaseNode } from '../../src/database-node.js';

/** A DataSource that only counts how often it is opened and closed. */
function countingDataSource(): { dataSource: DataSource; opened: () => number; closed: () => number } {
  let opened = 0;
  let closed = 0;
  const fake = {
    isInitialized: false,
    async initialize() {
      opened += 1;
      fake.isInitialized = true;
      return fake;
    },
    async destroy() {
      closed += 1;
      fake.isInitialized = false;
    },
  };
  return { dataSource: fake as unknown as DataSource, opened: () => opened, closed: () => closed };
}

describe('DatabaseNode', () => {
  it('connects on first use, once', async () => {
    const { dataSource, opened } = countingDataSource();
    const node = new DatabaseNode(dataSource, 'shard0-node0');
    await Promise.all([node.connected(), node.connected()]);
    expect(await node.connected()).toBe(dataSource);
    expect(opened()).toBe(1);
  });

  it('never opens its pool again once closed', async () => {
    const { dataSource, opened, closed } = countingDataSource();
    const node = new DatabaseNode(dataSource, 'shard0-node0');
    await node.connected();
    await node.close();
    await expect(node.connected()).rejects.toThrow('database node shard0-node0 is closed');
    expect({ opened: opened(), closed: closed() }).toEqual({ opened: 1, closed: 1 });
  });

  it('closes a pool that was still connecting, and does not open it again', async () => {
    const { dataSource, opened, closed } = countingDataSource();
    const node = new DatabaseNode(dataSource, 'shard0-node0');
    const connecting = node.connected();
    await node.close();
    await connecting;
    await expect(node.connected()).rejects.toThrow('is closed');
    expect({ opened: opened(), closed: closed() }).toEqual({ opened: 1, closed: 1 });
  });
});
