import { SpanKind } from '@opentelemetry/api';
import { contextOf, inSpan } from '@boxoffice/observability';
import { MailSender, type OutgoingMail } from '../../application/ports/mail-sender.port.js';
import type { SendOutcome } from '../../application/ports/send-outcome.js';
import { WebhookSender, type OutgoingWebhook } from '../../application/ports/webhook-sender.port.js';

/**
 * Each attempt at a mail or a webhook is a span of the order's trace (the
 * delivery keeps the `traceparent` of the message that planned it), so the
 * trace of a checkout ends with its confirmation mail and webhook. A webhook's
 * POST is a child span of it (the http instrumentation).
 */
export class TracedMailSender extends MailSender {
  constructor(private readonly inner: MailSender) {
    super();
  }

  send(mail: OutgoingMail): Promise<SendOutcome> {
    const attributes = { 'boxoffice.delivery.id': mail.deliveryId, 'boxoffice.order.id': mail.orderId, 'boxoffice.delivery.attempt': mail.attempt };
    return inSpan('send mail', { kind: SpanKind.CLIENT, attributes }, contextOf(mail.traceparent), async (span) => {
      const outcome = await this.inner.send(mail);
      span.setAttribute('boxoffice.delivery.sent', outcome.sent);
      return outcome;
    });
  }
}

export class TracedWebhookSender extends WebhookSender {
  constructor(private readonly inner: WebhookSender) {
    super();
  }

  post(webhook: OutgoingWebhook): Promise<SendOutcome> {
    const attributes = { 'boxoffice.delivery.id': webhook.deliveryId, 'url.full': webhook.url.toString() };
    return inSpan('send webhook', { kind: SpanKind.INTERNAL, attributes }, contextOf(webhook.traceparent), async (span) => {
      const outcome = await this.inner.post(webhook);
      span.setAttribute('boxoffice.delivery.sent', outcome.sent);
      return outcome;
    });
  }
}
