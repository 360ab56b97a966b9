import type { Envelope } from '../../../../../../libs/contracts/src/envelope.js';

export type Received = Envelope;
