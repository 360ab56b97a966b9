/**
 * Something that happened to an aggregate, in the past tense. The domain only
 * records it; the application layer turns it into an outbox message.
 */
export interface DomainEvent<TPayload = unknown> {
  /** Contract type, e.g. `catalog.show-published`. */
  readonly type: string;
  readonly aggregateId: string;
  /** The aggregate's version after this event: per-aggregate order without clocks. */
  readonly aggregateVersion: number;
  readonly payload: TPayload;
}
