/**
 * Runs `work` over `items` with at most `limit` at once and hands each result to `settle` in item
 * order, never in arrival order: item k settles once it and every item before it are done. So
 * whatever decides state from results (dedup, quotas, ids, adaptive samplers) sees them in one
 * order, whatever the concurrency and however answers are delayed. After an error or an abort, no
 * new item starts and nothing after the first unfinished item settles; the error is rethrown.
 */
export async function settleInOrder<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  settle: (item: T, result: R) => void,
  signal?: AbortSignal,
): Promise<void> {
  const done: ({ value: R } | undefined)[] = new Array(items.length);
  let next = 0;
  let settled = 0;
  let failure: { error: unknown } | undefined;
  const drain = () => {
    while (!failure && settled < items.length && done[settled]) {
      const { value } = done[settled]!;
      done[settled] = undefined;
      try {
        settle(items[settled]!, value);
      } catch (error) {
        failure = { error };
        return;
      }
      settled++;
    }
  };
  const runner = async () => {
    while (!failure && !signal?.aborted && next < items.length) {
      const index = next++;
      try {
        done[index] = { value: await work(items[index]!) };
      } catch (error) {
        failure ??= { error };
        return;
      }
      drain();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
  // after an abort, the abort's reason explains the failures it caused
  signal?.throwIfAborted();
  if (failure) throw failure.error;
}
