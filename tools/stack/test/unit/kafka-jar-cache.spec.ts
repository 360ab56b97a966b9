import * as fs from 'fs';
import { KAFKA_JAR_CACHE, KAFKA_POM, KAFKA_VERSION, kafkaJarCacheName, kafkaVersionOf } from '../../paths.js';

/** The launcher never runs jars cached for another pom than the one in the checkout. */
describe('the Kafka jar cache', () => {
  const pom = fs.readFileSync(KAFKA_POM, 'utf8');

  it("is named after the pom's Kafka version", () => {
    expect(KAFKA_VERSION).toBe(kafkaVersionOf(pom));
    expect(KAFKA_JAR_CACHE.endsWith(kafkaJarCacheName(pom))).toBe(true);
    expect(kafkaJarCacheName(pom)).toMatch(new RegExp(`^kafka-${KAFKA_VERSION.replaceAll('.', '\\.')}-[0-9a-f]{12}$`));
  });

  it('changes with any change to the pom, a version or a dependency', () => {
    const otherKafka = pom.replace(/<kafka\.version>[^<]+</, '<kafka.version>4.2.1<');
    const otherLogging = pom.replace(/<log4j\.version>[^<]+</, '<log4j.version>2.24.3<');
    expect(new Set([pom, otherKafka, otherLogging].map(kafkaJarCacheName)).size).toBe(3);
    expect(kafkaJarCacheName(otherKafka)).toMatch(/^kafka-4\.2\.1-/);
  });

  it('refuses a pom without a Kafka version', () => {
    expect(() => kafkaVersionOf('<project/>')).toThrow(/kafka\.version/);
  });
});
