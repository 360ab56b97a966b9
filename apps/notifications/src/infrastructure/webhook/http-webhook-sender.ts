import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { WebhookSender, type OutgoingWebhook } from '../../application/ports/webhook-sender.port.js';
import type { SendOutcome } from '../../application/ports/send-outcome.js';
import type { DeniedAddresses } from '../../domain/webhook/denied-addresses.value-object.js';
import { webhookSignatures } from './webhook-signature.js';

/** Resolves a name to every address it has: `dns.lookup` with `all: true`, or a stand-in. */
export type ResolveAll = (hostname: string, options: dns.LookupOptions) => Promise<dns.LookupAddress[]>;

const systemResolver: ResolveAll = (hostname, options) => dns.promises.lookup(hostname, { ...options, all: true });

/**
 * POSTs a webhook, signed (under two secrets during a rollover), with a timeout per attempt. Only a 2xx answer
 * counts as delivered. Redirects are not followed (node:http never follows
 * one; a 3xx is a failed attempt): following one would call a host the
 * allow-list never saw.
 *
 * The address connected to is checked against the denied addresses on every
 * attempt: an IP literal before connecting; a name through the socket's own
 * `lookup`, so the addresses checked are the very ones the socket connects to
 * (a name that resolves to a public address when checked and to ours when
 * connecting has no window). A name with any denied address is refused as a
 * whole. Nothing is pooled between attempts: each one resolves and checks afresh.
 */
export class HttpWebhookSender extends WebhookSender {
  private readonly agents = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };

  constructor(
    /** The current signing secret, then the one being retired during a rollover: one signature each. */
    private readonly secrets: readonly string[],
    private readonly timeoutMs: number,
    private readonly denied: DeniedAddresses,
    private readonly resolveAll: ResolveAll = systemResolver,
  ) {
    super();
  }

  post(webhook: OutgoingWebhook): Promise<SendOutcome> {
    const { url } = webhook;
    const secure = url.protocol === 'https:';
    const port = Number(url.port) || (secure ? 443 : 80);
    const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(literal)) {
      const refusal = this.denied.refusal(literal, port);
      if (refusal) return Promise.resolve({ sent: false, refused: true, reason: refusal });
    }
    let refusal: string | undefined;
    const lookup: LookupFunction = (hostname, options, callback) => {
      this.resolveAll(hostname, options).then(
        (addresses) => {
          for (const { address } of addresses) {
            const denied = this.denied.refusal(address, port);
            if (denied) {
              refusal = `${hostname} resolves to ${address}: ${denied}`;
              return callback(Object.assign(new Error(refusal), { code: 'EDENIED' }), '', 0);
            }
          }
          if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
          if (options.all) callback(null, addresses);
          else callback(null, addresses[0].address, addresses[0].family);
        },
        (error: NodeJS.ErrnoException) => callback(error, '', 0),
      );
    };

    const body = JSON.stringify(webhook.body);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signal = AbortSignal.timeout(this.timeoutMs);
    return new Promise((resolve) => {
      const request = (secure ? https : http).request(
        url,
        {
          method: 'POST',
          agent: secure ? this.agents.https : this.agents.http,
          lookup,
          signal,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'boxoffice-webhooks/1',
            'x-boxoffice-delivery': webhook.deliveryId,
            'x-boxoffice-timestamp': timestamp,
            'x-boxoffice-signature': webhookSignatures(this.secrets, timestamp, body),
          },
        },
        (response) => {
          // We do not read the answer: close it, so a receiver that streams one cannot hold us.
          response.on('error', () => undefined);
          response.destroy();
          const status = response.statusCode ?? 0;
          resolve(status >= 200 && status < 300 ? { sent: true } : { sent: false, reason: `answered HTTP ${status}` });
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (refusal) resolve({ sent: false, refused: true, reason: refusal });
        else if (signal.aborted) resolve({ sent: false, reason: `no answer within ${this.timeoutMs} ms` });
        else resolve({ sent: false, reason: `could not connect: ${error.code ?? error.message}` });
      });
      request.end(body);
    });
  }
}
