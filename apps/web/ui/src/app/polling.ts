import { useEffect, type DependencyList } from 'react';

/**
 * Reads now, then again `everyMillis` after each read has finished (never
 * two at once, and a slow answer delays the next rather than piling up),
 * until the returned function stops it. Stopping aborts the signal given to
 * the read in flight: its fetch ends, and it must not change anything once
 * `signal.aborted` (a page that left must not be updated). A read handles its
 * own failures; one that throws anyway is read again all the same.
 */
export function poll(read: (signal: AbortSignal) => Promise<void>, everyMillis: number): () => void {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const next = async () => {
    try {
      await read(controller.signal);
    } catch {
      // The read's own business: the next one comes all the same.
    }
    if (!controller.signal.aborted) timer = setTimeout(() => void next(), everyMillis);
  };
  void next();
  return () => {
    controller.abort();
    clearTimeout(timer);
  };
}

/** {@link poll} for as long as the component is shown, started again when a dependency changes. */
export function usePolling(read: (signal: AbortSignal) => Promise<void>, everyMillis: number, dependencies: DependencyList): void {
  // The caller names what `read` depends on: a new `read` each render must not restart the loop.
  useEffect(() => poll(read, everyMillis), [everyMillis, ...dependencies]);
}
