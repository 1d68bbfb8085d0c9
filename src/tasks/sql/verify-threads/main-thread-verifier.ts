import { EventEmitter } from 'node:events';
import type { ChunkHandler } from './chunk-verifier.js';
import type { VerifyChunk, VerifyInitMessage, VerifyWorkerMessage } from './protocol.js';
import { SqlThread } from './sql-thread.js';

/**
 * The calling thread as one more verify thread, with a worker's interface (`postMessage`, `message`
 * and `error` events, `terminate`). Its modules load on first use, while the workers start; each
 * message is handled in its own macrotask, so reading input and writing output go on between
 * chunks. The CLI uses it: its main thread would otherwise only read and write, and one worker
 * fewer has to start.
 *
 * With `sqlThread`, a second thread ({@link SqlThread}) runs its statements: this thread plans a
 * chunk, sends its statements and plans the next while they run, and votes when they come back, so
 * it takes several chunks ahead as a worker does.
 */
export class MainThreadVerifier extends EventEmitter {
  private readonly handler: Promise<ChunkHandler>;
  private readonly sql: SqlThread | undefined;
  private terminated = false;

  constructor({ sqlThread = false }: { sqlThread?: boolean } = {}) {
    super();
    this.sql = sqlThread ? new SqlThread() : undefined;
    this.handler = import('./chunk-verifier.js').then(({ chunkHandler }) =>
      chunkHandler((message: VerifyWorkerMessage) => {
        if (!this.terminated) queueMicrotask(() => this.emit('message', message));
      }, this.sql),
    );
    // Failing to load is a whole-run failure, reported as a worker reports one.
    this.handler.catch((error: unknown) => this.emit('error', error));
  }

  postMessage(message: VerifyInitMessage | VerifyChunk): void {
    this.handler.then(
      (handler) =>
        setImmediate(() => {
          if (!this.terminated) handler.handle(message);
        }),
      () => undefined,
    );
  }

  async terminate(): Promise<number> {
    this.terminated = true;
    await this.handler.then(
      (handler) => handler.close(),
      () => undefined,
    );
    await this.sql?.close();
    return 0;
  }

  /** Whether its statements run on a SQL thread: it then takes chunks ahead, as a worker does. */
  get batchesSql(): boolean {
    return this.sql !== undefined;
  }

  ref(): void {}
  unref(): void {}
}
