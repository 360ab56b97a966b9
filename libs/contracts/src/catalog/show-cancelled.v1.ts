import { z } from 'zod';
import { defineEvent, type PayloadOf } from '../event-contract.js';

/** A show was called off: its seats are no longer for sale. */
export const ShowCancelledV1 = defineEvent('catalog.show-cancelled', 1, z.object({ showId: z.uuid(), wasOnSale: z.boolean() }));

export type ShowCancelledPayload = PayloadOf<typeof ShowCancelledV1>;
