/**
 * Retries an assertion until it passes or the time is up, then rethrows its
 * last failure. For asynchronous effects (an event crossing the broker), so a
 * test waits exactly as long as needed and fails with a real reason.
 */
export async function eventually<T>(assertion: () => Promise<T> | T, { timeoutMs = 20000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
