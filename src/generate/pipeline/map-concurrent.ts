/**
 * Runs `work` over `items` with at most `limit` at once. Rejects with the first error after the
 * running ones settle, and starts no new item after an error or an abort.
 */
export async function mapConcurrent<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const runner = async () => {
    while (!failure && !signal?.aborted && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
  // after an abort, the abort's reason explains the failures it caused
  signal?.throwIfAborted();
  if (failure) throw failure.error;
}
