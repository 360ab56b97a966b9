import { Injectable, Logger } from '@nestjs/common';
import { traceIdOfTraceparent } from '@boxoffice/contracts';
import { RetryPolicy } from '../../domain/delivery/retry-policy.js';
import { WebhookAllowList } from '../../domain/webhook/webhook-allow-list.value-object.js';
import { DeliveryQueue, type DueDelivery } from '../ports/delivery-queue.port.js';
import { MailSender } from '../ports/mail-sender.port.js';
import type { SendOutcome } from '../ports/send-outcome.js';
import { WebhookSender } from '../ports/webhook-sender.port.js';

const BATCH = 20;

/**
 * One round of the dispatcher: claim what is due, attempt each delivery,
 * record the result. At-least-once: a crash between sending and recording
 * sends again once the claim's lease runs out; receivers drop repeats by
 * delivery id.
 */
@Injectable()
export class DispatchDeliveriesHandler {
  private readonly logger = new Logger('DeliveryDispatcher');

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly mail: MailSender,
    private readonly webhooks: WebhookSender,
    private readonly allowList: WebhookAllowList,
    private readonly retryPolicy: RetryPolicy,
  ) {}

  /** Returns how many deliveries it attempted. */
  async dispatchDue(): Promise<number> {
    const due = await this.queue.claimDue(BATCH);
    await Promise.all(due.map((delivery) => this.attempt(delivery)));
    return due.length;
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    if (delivery.channel === 'webhook') {
      // Checked again at every attempt: a host taken off the list is not called any more.
      // The sender then checks the address it connects to against the denied addresses.
      const allowed = this.allowList.check(delivery.target);
      if (!allowed.ok) {
        await this.queue.markRejected(delivery.id, delivery.attempt, allowed.error.message);
        return;
      }
    }
    const outcome = await this.send(delivery);
    // Written after the send's span ended: each line names the order's trace itself, as every line within it does.
    const traceId = traceIdOfTraceparent(delivery.traceparent);
    const trace = traceId ? { traceId } : {};
    if (outcome.sent) {
      await this.queue.markSent(delivery.id);
      this.logger.log({ msg: 'delivered', ...trace, deliveryId: delivery.id, orderId: delivery.orderId, channel: delivery.channel, attempt: delivery.attempt });
      return;
    }
    if (outcome.refused) {
      // Resolved to an address of our own: never retried, whatever a later DNS answer would say.
      this.logger.warn({ msg: 'delivery refused', ...trace, deliveryId: delivery.id, orderId: delivery.orderId, channel: delivery.channel, reason: outcome.reason });
      await this.queue.markRejected(delivery.id, delivery.attempt, outcome.reason);
      return;
    }
    const next = this.retryPolicy.afterFailure(delivery.attempt);
    this.logger.warn({ msg: 'delivery attempt failed', ...trace, deliveryId: delivery.id, orderId: delivery.orderId, channel: delivery.channel, attempt: delivery.attempt, reason: outcome.reason, next });
    if (next === 'give-up') await this.queue.markFailed(delivery.id, delivery.attempt, outcome.reason);
    else await this.queue.scheduleRetry(delivery.id, delivery.attempt, next.retryInMs, outcome.reason);
  }

  private async send(delivery: DueDelivery): Promise<SendOutcome> {
    try {
      if (delivery.channel === 'mail') {
        return await this.mail.send({ deliveryId: delivery.id, orderId: delivery.orderId, attempt: delivery.attempt, to: delivery.target, traceparent: delivery.traceparent, ...delivery.payload });
      }
      return await this.webhooks.post({ deliveryId: delivery.id, url: new URL(delivery.target), body: delivery.payload, traceparent: delivery.traceparent });
    } catch (error) {
      // A sender that throws is a failed attempt too: retried like any other.
      return { sent: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
