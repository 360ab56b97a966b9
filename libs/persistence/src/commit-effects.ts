import type { EntityManager } from 'typeorm';

/**
 * Effects outside the database (a metric) that wait for the commit of one
 * transaction: the transaction a ShardWriter runs on its own
 * (boundedTransaction), or a WriteBatch's transaction on one shard. Keyed by
 * the transaction's EntityManager, the one its work writes with.
 */
const waiting = new WeakMap<EntityManager, (() => void)[]>();

export const commitEffects = {
  /** A transaction on `manager` began: effects may now wait for its commit. */
  opened(manager: EntityManager): void {
    waiting.set(manager, []);
  },

  /** Runs `effect` once the transaction on `manager` has committed; never if it does not. */
  add(manager: EntityManager, effect: () => void): void {
    const effects = waiting.get(manager);
    if (!effects) throw new Error('afterCommit: the manager is not that of an open transaction of a ShardWriter or a write batch');
    effects.push(effect);
  },

  /** Its commit was acknowledged: each effect runs, once. One that throws does not stop the others. */
  committed(manager: EntityManager): void {
    const effects = waiting.get(manager) ?? [];
    waiting.delete(manager);
    for (const effect of effects) {
      try {
        effect();
      } catch {
        // An effect outside the database cannot undo the commit; the commit stands.
      }
    }
  },

  /** Rolled back, or its commit failed or was given up: nothing that waited for it runs. */
  abandoned(manager: EntityManager): void {
    waiting.delete(manager);
  },
};
