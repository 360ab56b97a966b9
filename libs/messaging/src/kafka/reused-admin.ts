import { Kafka, type Admin } from 'kafkajs';
import { kafkaClientConfig, type KafkaSettings } from './kafka-settings.js';

/**
 * One Kafka admin connection kept for repeated questions (readiness checks,
 * catch-up marks): connected on first use, dropped after a failed question
 * so the next one connects afresh. One attempt per question: the caller
 * asks again on its next round, and a broker that is away must not hold it.
 */
export class ReusedAdmin {
  private readonly admin: Admin;
  private connected = false;

  constructor(settings: KafkaSettings) {
    this.admin = new Kafka({ ...kafkaClientConfig(settings), retry: { retries: 0 } }).admin();
  }

  async ask<T>(question: (admin: Admin) => Promise<T>): Promise<T> {
    try {
      if (!this.connected) {
        await this.admin.connect();
        this.connected = true;
      }
      return await question(this.admin);
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
