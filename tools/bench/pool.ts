/**
 * Bounded concurrency: runs tasks with at most `limit` in flight. The
 * first failure stops new tasks from starting and is rethrown once the
 * running ones settle.
 * @module
 */

/**
 * Runs `task(item)` for each item, at most `limit` at a time, until all
 * ran or `shouldStop()` says to start no more.
 * @returns how many tasks ran
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<number> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (next < items.length && failure === null && !shouldStop()) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return next;
}
