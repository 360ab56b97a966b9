import { Kafka, type Admin } from 'kafkajs';
import { kafkaClientConfig, type KafkaSettings } from './kafka-settings.js';

/**
 * One Kafka admin connection kept for repeated questions (readiness checks,
 * catch-up marks): connected on first use, dropped after a failed question
 * so the next one connects afresh. One attempt per question: the caller
 * asks again on its next round, and a broker that is away must not hold it.
 *
 * Afresh means a new admin client: a kafkajs admin disconnected and then
 * connected again keeps its old cluster metadata and finds no broker to ask
 * ("No brokers in the broker pool", "write after end") until the process
 * ends (libs/messaging/test/integration/reused-admin.spec.ts).
 */
export class ReusedAdmin {
  private admin?: Admin;

  constructor(private readonly settings: KafkaSettings) {}

  async ask<T>(question: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.admin ?? (await this.connected());
    try {
      return await question(admin);
    } catch (error) {
      await this.drop(admin);
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.admin) await this.drop(this.admin);
  }

  private async connected(): Promise<Admin> {
    const admin = new Kafka({ ...kafkaClientConfig(this.settings), retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      // A new kafkajs client knows no broker but its seed until it has fetched the cluster's metadata, and a
      // question about a group (its offsets) looks for the coordinator among the brokers it knows: none. kafkajs
      // would refresh and ask again, but with one attempt per question it fails ("No brokers in the broker
      // pool"), on every new admin, for good. So the metadata is fetched first.
      await admin.describeCluster();
    } catch (error) {
      await admin.disconnect().catch(() => undefined);
      throw error;
    }
    this.admin = admin;
    return admin;
  }

  private async drop(admin: Admin): Promise<void> {
    if (this.admin === admin) this.admin = undefined;
    await admin.disconnect().catch(() => undefined);
  }
}
