import { b } from './no-circular.b.js';

export const a = (): string => `a${b.length}`;
