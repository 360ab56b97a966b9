import { processOnce } from '../../../../../../libs/messaging/src/inbox/inbox.js';

export const once = processOnce;
