import * as fs from 'fs';
import { StackError } from './options.js';
import * as path from 'path';
import { KAFKA_JAR_CACHE, KAFKA_JAR_CACHE_ROOT, KAFKA_POM } from './paths.js';
import { lastLines, runCommand } from './run-command.js';

/** Written last, so a download cut short is not mistaken for a complete cache. */
const MARKER = '.complete';

export function kafkaJarsCached(): boolean {
  return fs.existsSync(`${KAFKA_JAR_CACHE}/${MARKER}`);
}

/** Kafka's jars come from Maven Central once per version of infra/kafka/pom.xml, into a cache that `reset` keeps. */
export async function ensureKafkaJars(say: (text: string) => void, signal?: AbortSignal): Promise<string> {
  if (kafkaJarsCached()) return KAFKA_JAR_CACHE;
  say('downloading the Kafka jars with Maven (first run only)');
  const download = `${KAFKA_JAR_CACHE}.download-${process.pid}`;
  fs.rmSync(download, { recursive: true, force: true });
  const result = await runCommand(
    'mvn',
    ['-q', '-B', '-f', KAFKA_POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${download}`],
    { signal },
  );
  if (result.code !== 0) {
    fs.rmSync(download, { recursive: true, force: true });
    throw new StackError(`Maven could not download Kafka's jars (check access to Maven Central):\n${lastLines(result.output)}`);
  }
  fs.rmSync(KAFKA_JAR_CACHE, { recursive: true, force: true });
  fs.renameSync(download, KAFKA_JAR_CACHE);
  fs.writeFileSync(`${KAFKA_JAR_CACHE}/${MARKER}`, `${new Date().toISOString()}\n`);
  say(`cached ${fs.readdirSync(KAFKA_JAR_CACHE).filter((f) => f.endsWith('.jar')).length} jars`);
  removeOtherJarCaches();
  return KAFKA_JAR_CACHE;
}

/** Jars cached for an earlier pom are never used again. */
function removeOtherJarCaches(): void {
  const current = path.basename(KAFKA_JAR_CACHE);
  for (const entry of fs.readdirSync(KAFKA_JAR_CACHE_ROOT)) {
    if (/^kafka-[^/]+$/.test(entry) && entry !== current && !entry.includes('.download-')) {
      fs.rmSync(path.join(KAFKA_JAR_CACHE_ROOT, entry), { recursive: true, force: true });
    }
  }
}
