import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { HealthCheckResult } from '@nestjs/terminus';
import { Kafka, type Producer } from 'kafkajs';
import { PlatformTopics, type ReplicaStatusReport } from '@boxoffice/contracts';
import { kafkaClientConfig, type KafkaSettings } from '@boxoffice/messaging';
import { HealthController } from '../health/health.controller.js';
import type { ServiceIdentity } from '../service-identity.js';

/** How often a replica reports by default (REPLICA_STATUS_INTERVAL_MS). */
export const DEFAULT_REPLICA_STATUS_INTERVAL_MS = 5000;

/** A report that cannot reach the broker in this time is dropped: the next one is due anyway. */
const SEND_TIMEOUT_MS = 3000;

/**
 * Every replica of every app, the gateway included, tells the others it
 * exists and how ready it is: every `intervalMs` it runs its own readiness
 * check (what `/health/ready` answers) and publishes the outcome on
 * `platform.replica-status.v1`, keyed by its instance id; its last report,
 * on a clean stop, says `stopped`. The operations console lists replicas
 * from these reports, the same way wherever the apps run: no Kubernetes API,
 * no list of addresses (ADR 0035). A report is small and goes out with
 * acks=1: losing one costs nothing, the next is due in a few seconds.
 */
export class ReplicaStatusReporter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReplicaStatusReporter');
  private readonly producer: Producer;
  private readonly startedAt = new Date().toISOString();
  private connected = false;
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private stopping = false;
  private lastFailure?: string;

  constructor(
    private readonly identity: ServiceIdentity,
    private readonly moduleRef: ModuleRef,
    kafka: KafkaSettings,
    private readonly intervalMs = DEFAULT_REPLICA_STATUS_INTERVAL_MS,
  ) {
    this.producer = new Kafka({ ...kafkaClientConfig(kafka), retry: { retries: 2, initialRetryTime: 100 } }).producer({ allowAutoTopicCreation: false });
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.round;
    if (this.connected) await this.send({ ...this.report('stopped', {}) }).catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.round = this.reportOnce().finally(() => {
        this.round = undefined;
        if (!this.stopping) this.schedule(this.intervalMs);
      });
    }, delayMs);
  }

  private async reportOnce(): Promise<void> {
    try {
      const { status, checks } = await this.readiness();
      if (this.stopping) return;
      if (!this.connected) {
        await withTimeout(this.producer.connect(), SEND_TIMEOUT_MS);
        this.connected = true;
      }
      await this.send(this.report(status, checks));
      if (this.lastFailure) this.logger.log({ msg: 'replica status reports reach Kafka again' });
      this.lastFailure = undefined;
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      // Said once per outage, not every few seconds.
      if (this.lastFailure === undefined) this.logger.warn({ msg: 'could not report this replica’s status; will keep trying', error: failure });
      this.lastFailure = failure;
    }
  }

  /** What `/health/ready` answers now, checked in-process. */
  private async readiness(): Promise<Pick<ReplicaStatusReport, 'status' | 'checks'>> {
    const health = this.moduleRef.get(HealthController, { strict: false });
    let result: HealthCheckResult;
    try {
      result = await health.ready();
    } catch (error) {
      // A failed check throws with the same result the 503 carries.
      const response = (error as { getResponse?: () => unknown }).getResponse?.();
      if (!response || typeof response !== 'object') throw error;
      result = response as HealthCheckResult;
    }
    const checks = Object.fromEntries(
      Object.entries(result.details ?? {}).map(([name, detail]) => [name, detail.status === 'up' || detail.status === 'degraded' ? detail.status : 'down'] as const),
    );
    const status = result.status === 'ok' ? 'ready' : (result.status as string) === 'degraded' ? 'degraded' : 'not-ready';
    return { status, checks };
  }

  private report(status: ReplicaStatusReport['status'], checks: ReplicaStatusReport['checks']): ReplicaStatusReport {
    const { service, instance } = this.identity;
    return { service, instance, status, checks, startedAt: this.startedAt, reportedAt: new Date().toISOString(), intervalMs: this.intervalMs };
  }

  private async send(report: ReplicaStatusReport): Promise<void> {
    await withTimeout(
      this.producer.send({ topic: PlatformTopics.replicaStatus, acks: 1, messages: [{ key: report.instance, value: JSON.stringify(report) }] }),
      SEND_TIMEOUT_MS,
    );
  }
}

function withTimeout<T>(promise: Promise<T>, millis: number): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer from Kafka within ${millis} ms`)), millis)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
