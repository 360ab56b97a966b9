import type { Repository } from '../application/ports/repository.port.js';

export type Stored = Repository;
