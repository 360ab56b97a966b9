import { a } from './no-circular.a.js';

export const b = [a];
