import { type KafkaSettings } from './kafka-settings.js';
import { ReusedAdmin } from './reused-admin.js';

/** Answers "is the broker reachable?" for readiness checks, reusing one admin connection. */
export class BrokerProbe {
  private readonly admin: ReusedAdmin;

  constructor(settings: KafkaSettings) {
    this.admin = new ReusedAdmin(settings);
  }

  check(): Promise<{ brokers: number }> {
    return this.admin.ask(async (admin) => ({ brokers: (await admin.describeCluster()).brokers.length }));
  }

  close(): Promise<void> {
    return this.admin.close();
  }
}
