import { AggregateRoot, ConcurrentChangeError } from '../../src/index.js';

/** A counter that announces only every second step: changes with and without an event. */
class Counter extends AggregateRoot {
  private constructor(
    id: string,
    version: number,
    public count: number,
  ) {
    super(id, version);
  }

  static start(id: string): Counter {
    const counter = new Counter(id, 0, 0);
    counter.recordChange();
    return counter;
  }

  static restore(id: string, version: number, count: number): Counter {
    return new Counter(id, version, count);
  }

  step(): void {
    this.count += 1;
    if (this.count % 2 === 0) this.raise('counter.reached-even', { count: this.count });
    else this.recordChange();
  }
}

describe('AggregateRoot: one optimistic-concurrency idiom', () => {
  it('expects version 0 for an aggregate that was never stored', () => {
    const counter = Counter.start('c-1');
    expect({ version: counter.version, expectedVersion: counter.expectedVersion, hasChanges: counter.hasChanges }).toEqual({
      version: 1,
      expectedVersion: 0,
      hasChanges: true,
    });
  });

  it('expects the version it was loaded with, and has no changes until something changes', () => {
    const counter = Counter.restore('c-1', 7, 3);
    expect({ version: counter.version, expectedVersion: counter.expectedVersion, hasChanges: counter.hasChanges }).toEqual({
      version: 7,
      expectedVersion: 7,
      hasChanges: false,
    });
  });

  it('counts every change, with or without an event, and keeps the loaded version as the expected one', () => {
    const counter = Counter.restore('c-1', 7, 3);
    counter.step(); // 4: an event
    counter.step(); // 5: no event
    counter.step(); // 6: an event
    expect({ version: counter.version, expectedVersion: counter.expectedVersion, hasChanges: counter.hasChanges }).toEqual({
      version: 10,
      expectedVersion: 7,
      hasChanges: true,
    });
    // Events carry the version they made, so the version is never derived from how many events there are.
    expect(counter.pullEvents().map((event) => event.aggregateVersion)).toEqual([8, 10]);
    expect(counter.expectedVersion).toBe(7);
  });

  it('expects the stored version once the store wrote it', () => {
    const counter = Counter.restore('c-1', 7, 3);
    counter.step();
    counter.markStored();
    expect({ expectedVersion: counter.expectedVersion, hasChanges: counter.hasChanges }).toEqual({ expectedVersion: 8, hasChanges: false });
    counter.step();
    expect({ version: counter.version, expectedVersion: counter.expectedVersion }).toEqual({ version: 9, expectedVersion: 8 });
  });

  it('names the aggregate and the version it expected when a store reports a concurrent change', () => {
    const error = new ConcurrentChangeError('c-1', 7);
    expect(error).toBeInstanceOf(Error);
    expect({ name: error.name, aggregateId: error.aggregateId, expectedVersion: error.expectedVersion, message: error.message }).toEqual({
      name: 'ConcurrentChangeError',
      aggregateId: 'c-1',
      expectedVersion: 7,
      message: 'c-1 changed concurrently (expected version 7)',
    });
  });
});
