import type { DomainEvent } from './domain-event.js';

/**
 * Base for aggregates: an identity, a version that grows by one per change
 * (optimistic concurrency and event order), and the events raised since load.
 */
export abstract class AggregateRoot<TId extends string = string> {
  private pendingEvents: DomainEvent[] = [];

  protected constructor(
    readonly id: TId,
    private currentVersion: number,
  ) {}

  get version(): number {
    return this.currentVersion;
  }

  /** Records a change: bumps the version and queues the event for the outbox. */
  protected raise<TPayload>(type: string, payload: TPayload): void {
    this.currentVersion += 1;
    this.pendingEvents.push({ type, aggregateId: this.id, aggregateVersion: this.currentVersion, payload });
  }

  /** Records a change that announces nothing to other contexts (still a new version). */
  protected touch(): void {
    this.currentVersion += 1;
  }

  /** Hands the queued events to the caller exactly once. */
  pullEvents(): DomainEvent[] {
    const events = this.pendingEvents;
    this.pendingEvents = [];
    return events;
  }
}
