import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_LOG4J2_CONFIG, KAFKA_POM, KAFKA_VERSION } from '../../tools/stack/paths.js';
import { ROOT, renderOverlay, resolvedCompose } from './deploy-files.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */

/**
 * One Kafka version everywhere (ADR 0023): the local stack's jars
 * (infra/kafka/pom.xml), docker-compose.yml's broker image and the Strimzi
 * Kafka of both overlays name the same release, one that the supported
 * Strimzi runs.
 */
/** The Kafka versions Strimzi 1.2.0 runs (its release notes' image list). */
const STRIMZI_1_2_KAFKA_VERSIONS = ['4.2.0', '4.2.1', '4.3.0', '4.3.1'];

describe('the Kafka version', () => {
  it('of the local stack is one Strimzi 1.2 runs', () => {
    expect(STRIMZI_1_2_KAFKA_VERSIONS).toContain(KAFKA_VERSION);
  });

  it.each(['local', 'production'])('is the one the Strimzi Kafka of k8s/overlays/%s asks for', (overlay) => {
    const kafka = renderOverlay(overlay).filter((o) => o.kind === 'Kafka');
    expect(kafka.map((k) => k.spec.kafka.version)).toEqual([KAFKA_VERSION]);
  });

  it("is docker-compose.yml's broker image, for the broker and the topic creator", () => {
    const services = resolvedCompose().services as Record<string, any>;
    const images = Object.values(services)
      .map((s) => s.image as string | undefined)
      .filter((image) => image?.startsWith('apache/kafka'));
    expect(images).toEqual([`apache/kafka:${KAFKA_VERSION}`, `apache/kafka:${KAFKA_VERSION}`]);
  });

  it('is the one the README and docs/deployment.md name', () => {
    for (const file of ['README.md', 'docs/deployment.md']) {
      const named = [...readFileSync(join(ROOT, file), 'utf8').matchAll(/\bKafka (\d+\.\d+\.\d+)/g)].map((m) => m[1]);
      expect([file, named.length > 0 && named.every((v) => v === KAFKA_VERSION)]).toEqual([file, true]);
    }
  });

  it('logs: the jars include Log4j 2 and its SLF4J 2 binding, and the launcher gives the broker a Log4j 2 configuration', () => {
    const pom = readFileSync(KAFKA_POM, 'utf8');
    for (const artifact of ['log4j-core', 'log4j-slf4j2-impl', 'slf4j-api']) expect(pom).toContain(`<artifactId>${artifact}</artifactId>`);
    expect(readFileSync(KAFKA_LOG4J2_CONFIG, 'utf8')).toMatch(/appender\.file\.fileName = \$\{sys:kafka\.logs\.dir\}/);
    expect(readFileSync(join(ROOT, 'tools/stack/kafka-cluster.ts'), 'utf8')).toContain('-Dlog4j2.configurationFile=');
  });
});
