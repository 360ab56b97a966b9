import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { brokerStage, untilBrokerReady } from '../../kafka-broker-ready.js';

/** Lines as a Kafka 4 broker writes them while it starts (infra/kafka/log4j2.properties). */
const LINES = {
  first: '[2026-12-06 13:57:01,001] INFO Registered signal handlers for TERM, INT, HUP (org.apache.kafka.common.utils.LoggingSignalHandler)\n',
  loading: '[2026-12-06 13:57:09,001] INFO Loading logs from log dirs ArrayBuffer(/state/kafka/broker-0) (kafka.log.LogManager)\n',
  recovering: '[2026-12-06 13:57:10,001] INFO [LogLoader partition=inventory.seat-reply.v1-0, dir=/state/kafka/broker-0] Recovering unflushed segment 0 (kafka.log.LogLoader)\n',
  loaded: '[2026-12-06 13:57:30,001] INFO Loaded 101 logs in 21034ms (kafka.log.LogManager)\n',
  started: '[2026-12-06 13:57:31,001] INFO Kafka startTimeMs: 1796565431474 (org.apache.kafka.common.utils.AppInfoParser)\n',
};

describe('brokerStage', () => {
  it('names what a starting broker is doing from the lines it wrote since its start', () => {
    expect(brokerStage('')).toMatch(/JVM/);
    expect(brokerStage(LINES.first)).toMatch(/not yet loading its logs/);
    expect(brokerStage(LINES.first + LINES.loading + LINES.recovering)).toMatch(/recovering its logs/);
    expect(brokerStage(LINES.first + LINES.loading + LINES.loaded)).toMatch(/logs loaded/);
    expect(brokerStage(LINES.first + LINES.loading + LINES.loaded + LINES.started)).toMatch(/unfenced/);
  });
});

describe('untilBrokerReady', () => {
  let dir: string;
  let logFile: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broker-ready-'));
    logFile = path.join(dir, 'kafka-0.log');
    // What an earlier start wrote does not count.
    fs.writeFileSync(logFile, LINES.first + LINES.loading + LINES.loaded + LINES.started);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('waits past the silence limit for as long as the log grows, until the broker is ready', async () => {
    let checks = 0;
    const said: string[] = [];
    await untilBrokerReady({
      label: 'kafka broker 0',
      logFile,
      // Ready on the 30th check; each check before it, the broker writes a line (a long log recovery).
      isReady: async () => {
        checks++;
        fs.appendFileSync(logFile, checks === 1 ? LINES.loading : LINES.recovering);
        return checks >= 30;
      },
      say: (text) => said.push(text),
      intervalMs: 10,
      silentLimitMs: 100,
      readyLimitMs: 60_000,
    });
    expect(checks).toBe(30);
  });

  it('gives up when the log stays silent, naming the stage and the last line', async () => {
    fs.appendFileSync(logFile, LINES.first + LINES.loading + LINES.recovering);
    const fromHere = fs.statSync(logFile).size;
    await expect(
      untilBrokerReady({
        label: 'kafka broker 0',
        logFile,
        isReady: () => Promise.reject(new Error('Connection refused')),
        say: () => undefined,
        intervalMs: 10,
        silentLimitMs: 100,
        readyLimitMs: 60_000,
      }),
    ).rejects.toThrow(/kafka broker 0 is not ready: its log has been silent for .* \(stage: starting its JVM \(no log output yet\); last log line: none; last error: Connection refused\)/);
    expect(fs.statSync(logFile).size).toBe(fromHere);

    // The same, with lines written since the start: the stage comes from them.
    let written = false;
    await expect(
      untilBrokerReady({
        label: 'kafka broker 0',
        logFile,
        isReady: async () => {
          if (!written) fs.appendFileSync(logFile, LINES.first + LINES.loading + LINES.recovering);
          written = true;
          return false;
        },
        say: () => undefined,
        intervalMs: 10,
        silentLimitMs: 100,
        readyLimitMs: 60_000,
      }),
    ).rejects.toThrow(/stage: recovering its logs; last log line: .*Recovering unflushed segment 0/);
  });

  it('gives up after the overall limit however busy the log', async () => {
    await expect(
      untilBrokerReady({
        label: 'kafka broker 0',
        logFile,
        isReady: async () => {
          fs.appendFileSync(logFile, LINES.recovering);
          return false;
        },
        say: () => undefined,
        intervalMs: 10,
        silentLimitMs: 100,
        readyLimitMs: 300,
      }),
    ).rejects.toThrow(/kafka broker 0 is not ready: it is still not ready after \d+ s \(stage: starting, not yet loading its logs/);
  });
});
