import { Kafka, type Admin } from 'kafkajs';
import { kafkaClientConfig, type KafkaSettings } from './kafka-settings.js';

/** Answers "is the broker reachable?" for readiness checks, reusing one admin connection. */
export class BrokerProbe {
  private readonly admin: Admin;
  private connected = false;

  constructor(settings: KafkaSettings) {
    this.admin = new Kafka({ ...kafkaClientConfig(settings), retry: { retries: 0 } }).admin();
  }

  async check(): Promise<{ brokers: number }> {
    if (!this.connected) {
      await this.admin.connect();
      this.connected = true;
    }
    try {
      const cluster = await this.admin.describeCluster();
      return { brokers: cluster.brokers.length };
    } catch (error) {
      this.connected = false;
      await this.admin.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
    this.connected = false;
  }
}
