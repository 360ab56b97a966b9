import { WriteBatch } from '@boxoffice/persistence';

export const batch = (): WriteBatch | undefined => WriteBatch.current();
