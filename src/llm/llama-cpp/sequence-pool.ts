import type { LlamaContext, LlamaContextSequence } from 'node-llama-cpp';

/** Hands out a context's sequences one at a time and makes callers wait when all are busy. */
export function createSequencePool(context: LlamaContext, size: number) {
  const free: LlamaContextSequence[] = Array.from({ length: size }, () => context.getSequence());
  const waiters: ((sequence: LlamaContextSequence) => void)[] = [];
  const release = (sequence: LlamaContextSequence) => {
    const next = waiters.shift();
    if (next) next(sequence);
    else free.push(sequence);
  };
  return {
    /** Runs `work` with a free sequence, cleared before use so samples do not see each other. */
    async use<T>(
      signal: AbortSignal | undefined,
      work: (sequence: LlamaContextSequence) => Promise<T>,
    ): Promise<T> {
      signal?.throwIfAborted();
      const sequence =
        free.pop() ?? (await new Promise<LlamaContextSequence>((resolve) => waiters.push(resolve)));
      try {
        await sequence.clearHistory();
        return await work(sequence);
      } finally {
        release(sequence);
      }
    },
  };
}
