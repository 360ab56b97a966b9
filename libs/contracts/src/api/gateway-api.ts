import { z } from 'zod';
import { ShowView } from './catalog-api.js';
import { AvailabilityView } from './inventory-api.js';

/**
 * The gateway's own composition: a show from catalog with its live
 * availability from inventory, null until inventory has put the show's seats
 * on sale (eventually consistent).
 */
export const ShowWithAvailability = ShowView.extend({ availability: AvailabilityView.nullable() });
export type ShowWithAvailability = z.infer<typeof ShowWithAvailability>;
