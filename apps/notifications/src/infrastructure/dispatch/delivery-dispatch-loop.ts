import { Injectable } from '@nestjs/common';
import { BackgroundLoop } from '@boxoffice/platform';
import { DispatchDeliveriesHandler } from '../../application/dispatch-deliveries/dispatch-deliveries.handler.js';

/**
 * Runs the dispatcher for the life of the process, in every replica: while
 * there is due work it goes on at once; otherwise it polls, and a local
 * commit of new deliveries wakes it early. Replicas share the work through
 * the claim (SKIP LOCKED), not through any coordination of their own.
 */
@Injectable()
export class DeliveryDispatchLoop extends BackgroundLoop {
  constructor(private readonly dispatcher: DispatchDeliveriesHandler) {
    super('DeliveryDispatcher', 500);
  }

  protected runOnce(): Promise<number> {
    return this.dispatcher.dispatchDue();
  }
}
