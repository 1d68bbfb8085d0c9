import type { SchedulerClock } from '../llm/scheduler/clock.js';

/** A clock for tests whose time moves only when every pending sleep would have ended. */
export interface VirtualClock extends SchedulerClock {
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[];
}

/**
 * Creates a virtual clock: `sleep` never waits for real. Pending sleeps fire in time order, one per
 * turn of the event loop (after pending I/O and promise callbacks), and `now()` jumps to their end.
 * `random()` returns `random` (a fixed value by default, so jitter is reproducible).
 */
export function createVirtualClock(options: { start?: number; random?: () => number } = {}): VirtualClock {
  let now = options.start ?? 0;
  const timers: { at: number; order: number; resolve: () => void }[] = [];
  const sleeps: number[] = [];
  let order = 0;
  let scheduled = false;
  const fireNext = () => {
    scheduled = false;
    timers.sort((a, b) => a.at - b.at || a.order - b.order);
    const timer = timers.shift();
    if (!timer) return;
    now = Math.max(now, timer.at);
    timer.resolve();
    schedule();
  };
  const schedule = () => {
    if (scheduled || timers.length === 0) return;
    scheduled = true;
    setImmediate(fireNext);
  };
  return {
    sleeps,
    now: () => now,
    random: options.random ?? (() => 0.5),
    sleep(ms, signal) {
      sleeps.push(ms);
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const timer = {
          at: now + Math.max(0, ms),
          order: order++,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const position = timers.indexOf(timer);
          if (position >= 0) timers.splice(position, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        timers.push(timer);
        schedule();
      });
    },
  };
}
