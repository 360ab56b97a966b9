import type { Repository } from '../application/ports/repository.port.js';

export class PostgresRepository implements Repository {
  find(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
}
