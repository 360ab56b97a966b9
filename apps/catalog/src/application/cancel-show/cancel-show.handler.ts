import { Injectable } from '@nestjs/common';
import { fail, ok, violation, type Result } from '@boxoffice/ddd';
import type { CausalContext } from '@boxoffice/messaging';
import type { Show } from '../../domain/show/show.aggregate.js';
import { ShowRepository } from '../ports/show.repository.port.js';

@Injectable()
export class CancelShowHandler {
  constructor(private readonly shows: ShowRepository) {}

  /** Answers the show as it was written, or as it was read when it was already cancelled. */
  async execute(showId: string, causal: CausalContext): Promise<Result<Show>> {
    const show = await this.shows.findById(showId);
    if (!show) return fail(violation('show-not-found', `no show with id ${showId}`));
    const cancelled = show.cancel();
    if (!cancelled.ok) return cancelled;
    if (cancelled.value === 'cancelled' && !(await this.shows.update(show, causal))) {
      return fail(violation('concurrent-change', 'the show changed meanwhile; read it again'));
    }
    return ok(show);
  }
}
