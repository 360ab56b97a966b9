import type { BatchingServerKafka } from '../../../../../../libs/platform/src/kafka/batching-server-kafka.js';

export type Server = BatchingServerKafka;
