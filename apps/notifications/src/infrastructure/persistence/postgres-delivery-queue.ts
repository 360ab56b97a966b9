import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { processOnce, type ConsumedMessage } from '@boxoffice/messaging';
import { currentTraceparent } from '@boxoffice/observability';
import { ShardRouter, writeRow } from '@boxoffice/persistence';
import { DeliveryQueue, type DeliveryView, type DueDelivery } from '../../application/ports/delivery-queue.port.js';
import type { PlannedDelivery } from '../../domain/delivery/delivery.js';
import { DeliveryRecord } from './delivery.record.js';

const CONSUMER = 'notifications';

/**
 * How long a claimed delivery stays hidden from other dispatchers. Longer
 * than any one attempt may take (webhook timeout ≤ 60 s, SMTP socket timeout
 * 30 s), so only a dispatcher that died lets it come back.
 */
const CLAIM_LEASE_MS = 120_000;

interface ClaimedRow {
  id: string;
  order_id: string;
  event: DueDelivery['event'];
  channel: DueDelivery['channel'];
  target: string;
  payload: DueDelivery['payload'];
  attempts: number;
  traceparent: string | null;
}

/** One database on shard 0 (notifications is not sharded). */
@Injectable()
export class PostgresDeliveryQueue extends DeliveryQueue {
  constructor(private readonly router: ShardRouter) {
    super();
  }

  async record(message: ConsumedMessage, deliveries: PlannedDelivery[]): Promise<'recorded' | 'duplicate'> {
    return processOnce(this.router.writer(), CONSUMER, message, async (manager) => {
      for (const delivery of deliveries) {
        const row: DeliveryRow = [
          uuidv7(),
          delivery.orderId,
          delivery.event,
          delivery.channel,
          delivery.target,
          JSON.stringify(delivery.payload),
          delivery.status,
          delivery.status === 'rejected' ? delivery.rejection : null,
          message.correlationId,
          currentTraceparent(),
        ];
        await writeRow(manager, row, insertDeliveries);
      }
    }).then((outcome) => (outcome === 'duplicate' ? 'duplicate' : 'recorded'));
  }

  async claimDue(limit: number): Promise<DueDelivery[]> {
    // One statement: SKIP LOCKED lets every replica's dispatcher take different rows;
    // due-ness and the lease are both measured on the database's clock.
    // TypeORM answers an UPDATE with [returned rows, affected count].
    const [rows]: [ClaimedRow[], number] = await this.router.writer().query(
      `UPDATE deliveries AS d
            SET attempts = d.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
           FROM (SELECT id FROM deliveries
                  WHERE status = 'pending' AND next_attempt_at <= now()
                  ORDER BY next_attempt_at
                  LIMIT $1
                  FOR UPDATE SKIP LOCKED) AS due
          WHERE d.id = due.id
          RETURNING d.id, d.order_id, d.event, d.channel, d.target, d.payload, d.attempts, d.traceparent`,
      [limit, CLAIM_LEASE_MS],
    );
    return rows.map((row) => ({ id: row.id, orderId: row.order_id, event: row.event, target: row.target, attempt: row.attempts, channel: row.channel, payload: row.payload, traceparent: row.traceparent }) as DueDelivery);
  }

  async markSent(id: string): Promise<void> {
    // Whoever sent it, it is sent: no attempt guard here.
    await this.router.writer().query(`UPDATE deliveries SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1 AND status = 'pending'`, [id]);
  }

  async scheduleRetry(id: string, attempt: number, retryInMs: number, error: string): Promise<void> {
    // Guarded by the attempt number: a dispatcher whose lease ran out cannot undo a newer claim.
    await this.router.writer().query(
      `UPDATE deliveries SET next_attempt_at = now() + $3 * interval '1 millisecond', last_error = $4
        WHERE id = $1 AND status = 'pending' AND attempts = $2`,
      [id, attempt, retryInMs, error.slice(0, 1000)],
    );
  }

  async markFailed(id: string, attempt: number, error: string): Promise<void> {
    await this.router.writer().query(`UPDATE deliveries SET status = 'failed', last_error = $3 WHERE id = $1 AND status = 'pending' AND attempts = $2`, [
      id,
      attempt,
      error.slice(0, 1000),
    ]);
  }

  async markRejected(id: string, attempt: number, reason: string): Promise<void> {
    // The claim counted an attempt, but nothing was sent: give it back.
    await this.router.writer().query(
      `UPDATE deliveries SET status = 'rejected', attempts = attempts - 1, last_error = $3 WHERE id = $1 AND status = 'pending' AND attempts = $2`,
      [id, attempt, reason.slice(0, 1000)],
    );
  }

  async forOrder(orderId: string): Promise<DeliveryView[]> {
    // AP: a display for operations, read from a replica so it answers while the primary is lost.
    const records = await this.router.reader().read((replica) => replica.getRepository(DeliveryRecord).find({ where: { orderId }, order: { id: 'ASC' } }));
    return records.map((r) => ({
      id: r.id,
      orderId: r.orderId,
      event: r.event,
      channel: r.channel,
      target: r.target,
      status: r.status,
      attempts: r.attempts,
      lastError: r.lastError,
      nextAttemptAt: r.nextAttemptAt.toISOString(),
      createdAt: r.createdAt.toISOString(),
      sentAt: r.sentAt ? r.sentAt.toISOString() : null,
    }));
  }
}

type DeliveryRow = [
  id: string,
  orderId: string,
  event: string,
  channel: string,
  target: string,
  payload: string,
  status: string,
  lastError: string | null,
  correlationId: string,
  traceparent: string | null,
];

/** A second row for the same (order, event, channel), in this statement or before it, adds nothing. */
async function insertDeliveries(manager: EntityManager, rows: DeliveryRow[]): Promise<void> {
  const column = (i: number) => rows.map((row) => row[i]);
  await manager.query(
    `INSERT INTO deliveries (id, order_id, event, channel, target, payload, status, last_error, correlation_id, traceparent)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[], $9::text[], $10::text[])
     ON CONFLICT (order_id, event, channel) DO NOTHING`,
    [column(0), column(1), column(2), column(3), column(4), column(5), column(6), column(7), column(8), column(9)],
  );
}
