import type { DomainEvent } from './domain-event.js';

/**
 * Base for aggregates: an identity, a version that grows by one per change,
 * and the events raised since load.
 *
 * Optimistic concurrency, the one way this code base does it: the aggregate
 * remembers the version it was loaded with (`expectedVersion`; 0 for one that
 * was never stored). Every change bumps the version, with an event
 * (`raise`) or without (`recordChange`), so `hasChanges` tells whether there
 * is anything to store. A store writes a changed aggregate only where the
 * stored row still has `expectedVersion`
 * (`UPDATE … SET version = :version WHERE id = :id AND version = :expectedVersion`),
 * inserts it when `expectedVersion` is 0, and reports a concurrent change when
 * no row matched; once written, `markStored()` makes the new version the
 * expected one.
 */
export abstract class AggregateRoot<TId extends string = string> {
  private pendingEvents: DomainEvent[] = [];
  private storedVersion: number;

  /** `version`: as loaded from the store, or 0 for an aggregate being created. */
  protected constructor(
    readonly id: TId,
    private currentVersion: number,
  ) {
    this.storedVersion = currentVersion;
  }

  get version(): number {
    return this.currentVersion;
  }

  /** The version the store holds, which a write of this aggregate must find there; 0: never stored. */
  get expectedVersion(): number {
    return this.storedVersion;
  }

  /** Something changed since the aggregate was loaded (or created): it needs storing. */
  get hasChanges(): boolean {
    return this.currentVersion !== this.storedVersion;
  }

  /** The store wrote this version: a later write expects it. */
  markStored(): void {
    this.storedVersion = this.currentVersion;
  }

  /** Records a change that other parts hear about: bumps the version and queues the event for the outbox. */
  protected raise<TPayload>(type: string, payload: TPayload): void {
    this.recordChange();
    this.pendingEvents.push({ type, aggregateId: this.id, aggregateVersion: this.currentVersion, payload });
  }

  /** Records a change that raises no event (still a new version, so it is stored and checked like any other). */
  protected recordChange(): void {
    this.currentVersion += 1;
  }

  /** Hands the queued events to the caller exactly once. */
  pullEvents(): DomainEvent[] {
    const events = this.pendingEvents;
    this.pendingEvents = [];
    return events;
  }
}

/**
 * A store found another version than the aggregate expected: someone else
 * changed it since it was loaded. Nothing was written.
 */
export class ConcurrentChangeError extends Error {
  constructor(
    readonly aggregateId: string,
    readonly expectedVersion: number,
  ) {
    super(`${aggregateId} changed concurrently (expected version ${expectedVersion})`);
    this.name = 'ConcurrentChangeError';
  }
}
