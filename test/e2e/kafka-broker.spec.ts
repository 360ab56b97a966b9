import { readFileSync } from 'node:fs';
import { runningStack } from '@boxoffice/testing';
import { KAFKA_VERSION } from '../../tools/stack/paths.js';

/**
 * The broker the whole suite runs against is the project's one Kafka
 * version (ADR 0023), and it writes its own log: Kafka 4 logs through
 * Log4j 2, which the launcher configures (infra/kafka/log4j2.properties).
 */
interface BrokerInfo {
  id: string;
  log: string;
}
const stack = runningStack() as ReturnType<typeof runningStack> & { kafka: { nodes: BrokerInfo[] } };

describe('the Kafka brokers of the test stack', () => {
  it.each(stack.kafka.nodes.map((n) => [n.id, n] as const))('%s runs the Kafka version of infra/kafka/pom.xml and logs what it does', (_, broker) => {
    const log = readFileSync(broker.log, 'utf8');
    expect(log).toContain(`INFO Kafka version: ${KAFKA_VERSION} (org.apache.kafka.common.utils.AppInfoParser)`);
    expect(log).toMatch(/INFO \[BrokerServer id=\d+\] Transition from STARTING to STARTED/);
  });
});
