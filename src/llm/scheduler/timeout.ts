import { RequestTimeoutError } from '../../errors/index.js';

/**
 * Runs `call` with a signal that aborts when the parent aborts or after `timeoutMs`; a timeout
 * becomes a {@link RequestTimeoutError} whatever the call threw. Timers are always cleared.
 */
export async function withTimeout<T>(
  call: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number | undefined,
  parent: AbortSignal | undefined,
): Promise<T> {
  if (timeoutMs === undefined || !Number.isFinite(timeoutMs)) {
    return call(parent ?? new AbortController().signal);
  }
  const controller = new AbortController();
  // created only when the timer fires: building an Error captures a stack, which costs on every call
  let timeoutError: RequestTimeoutError | undefined;
  const onParentAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onParentAbort, { once: true });
  if (parent?.aborted) controller.abort(parent.reason);
  const timer = setTimeout(() => {
    timeoutError = new RequestTimeoutError(`The model did not answer within ${timeoutMs} ms`, { timeoutMs });
    controller.abort(timeoutError);
  }, timeoutMs);
  // race the abort too: a call that ignores its signal must not hang the scheduler
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(controller.signal.reason);
    controller.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([call(controller.signal), aborted]);
  } catch (error) {
    if (timeoutError && controller.signal.reason === timeoutError) throw timeoutError;
    throw error;
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
    controller.signal.removeEventListener('abort', onAbort);
  }
}
