import type { CausalContext } from '@boxoffice/messaging';
import type { Show } from '../../domain/show/show.aggregate.js';

export abstract class ShowRepository {
  abstract nextId(): string;
  /** The latest state, from the primary: what a change is decided on. */
  abstract findById(id: string): Promise<Show | undefined>;
  /** For display: from a replica when one answers, so possibly a moment stale. */
  abstract readById(id: string): Promise<Show | undefined>;
  /** For display, like readById. */
  abstract list(status?: Show['status']): Promise<Show[]>;
  /** Stores a new show and stages its pending events in the outbox, in one transaction. */
  abstract add(show: Show, causal: CausalContext): Promise<void>;
  /**
   * Stores a changed show, optimistically (only if nobody changed it since it
   * was read), and stages its pending events in the same transaction.
   * Returns false on a concurrent change; nothing is written then.
   */
  abstract update(show: Show, causal: CausalContext): Promise<boolean>;
}
