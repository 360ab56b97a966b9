/**
 * `work`, or `failure()` once `millis` have passed, whichever comes first.
 * The work is not stopped: callers that give up on it decide what becomes of
 * it (a connection still busy with it is discarded, never pooled again).
 */
export async function withDeadline<T>(work: Promise<T>, millis: number, failure: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(failure()), millis);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
