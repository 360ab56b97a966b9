import * as fs from 'fs';
import { BROKER_COMPRESSION_TYPE, BROKER_MAX_MESSAGE_BYTES } from '../../libs/contracts/src/topics.js';

/** One KRaft node of the local cluster. */
export interface KafkaBrokerPlan {
  id: string;
  label: string;
  index: number;
  /** KRaft node ids start at 1. */
  nodeId: number;
  port: number;
  controllerPort: number;
  dataDir: string;
  propertiesFile: string;
  logFile: string;
}

/**
 * server.properties for one combined broker+controller, rewritten at every
 * start so ports follow the port base. Settings per NOTES-infra.md: static
 * voters, no auto-created topics, replication that matches the broker count,
 * and small thread counts and buffers for a 2-core machine.
 */
export function writeBrokerProperties(broker: KafkaBrokerPlan, all: KafkaBrokerPlan[]): void {
  const replication = Math.min(3, all.length);
  const minIsr = replication >= 3 ? 2 : 1;
  const settings: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': broker.nodeId,
    'controller.quorum.voters': all.map((b) => `${b.nodeId}@127.0.0.1:${b.controllerPort}`).join(','),
    listeners: `PLAINTEXT://127.0.0.1:${broker.port},CONTROLLER://127.0.0.1:${broker.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${broker.port}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': broker.dataDir,
    // Topics come from allTopics() only: a missing one is a boot error, not a silent 1-partition topic.
    'auto.create.topics.enable': 'false',
    'num.partitions': 1,
    'default.replication.factor': replication,
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': replication,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': minIsr,
    'transaction.state.log.num.partitions': 10,
    // Consumers join at once in tests; the 3 s default delay only slows every first rebalance.
    'group.initial.rebalance.delay.ms': 0,
    'num.network.threads': 2,
    'num.io.threads': 2,
    'num.replica.fetchers': 1,
    'background.threads': 2,
    'num.recovery.threads.per.data.dir': 1,
    'log.cleaner.threads': 1,
    // The 128 MiB default is allocated on a 384 MiB heap.
    'log.cleaner.dedupe.buffer.size': 8 * 1024 * 1024,
    'log.segment.bytes': 64 * 1024 * 1024,
    // Kafka's default, stated: dead-letter topics are sized above it (ADR 0019).
    'message.max.bytes': BROKER_MAX_MESSAGE_BYTES,
    // Batches a foreign producer compressed with a codec kafkajs cannot read are stored plain (ADR 0041).
    'compression.type': BROKER_COMPRESSION_TYPE,
    'log.retention.hours': 168,
  };
  const text = Object.entries(settings)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
  fs.writeFileSync(broker.propertiesFile, `# Rewritten by tools/stack at every start; edit tools/stack/kafka-config.ts instead.\n${text}\n`);
}
