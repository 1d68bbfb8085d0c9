import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SandboxError } from '../../../errors/index.js';
import { profileArguments } from './profile-arguments.js';
import type { ChildMessage, SqliteJob, SqliteJobResult, SqliteLimits } from './protocol.js';

/** Jobs sent ahead to a healthy process; after a kill, jobs go one at a time until the suspects are cleared. */
const WINDOW = 64;
const START_TIMEOUT_MS = 30_000;

interface PendingJob {
  readonly job: SqliteJob;
  readonly resolve: (result: SqliteJobResult) => void;
  readonly reject: (error: unknown) => void;
  /** Set once this job was the oldest unanswered job when its process was killed. */
  suspect: boolean;
}

function childEntry(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  // Under vitest or tsx the sources run as TypeScript; the built package runs JavaScript.
  if (here.endsWith('.ts')) {
    return {
      path: here.replace(/executor-process\.ts$/, 'executor-child.ts'),
      execArgv: ['--import', 'tsx'],
    };
  }
  return { path: here.replace(/executor-process\.js$/, 'executor-child.js'), execArgv: [] };
}

/**
 * One SQLite executor process and its queue. The time budget is enforced here: when the oldest
 * running statement passes it, the process is killed (interrupting the statement wherever it is)
 * and a fresh one takes the rest of the queue. A statement is reported as timed out (or crashed)
 * only after it failed alone, so a neighbour in the same batch is never blamed.
 */
export class ExecutorProcess {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private readonly queue: PendingJob[] = [];
  private readonly inFlight: PendingJob[] = [];
  private watchdog: NodeJS.Timeout | undefined;
  private closed = false;
  /** Number of processes started, restarts included. */
  starts = 0;
  sqliteVersion = '';

  constructor(private readonly limits: SqliteLimits) {}

  get load(): number {
    return this.queue.length + this.inFlight.length;
  }

  run(job: SqliteJob): Promise<SqliteJobResult> {
    if (this.closed) return Promise.reject(new SandboxError('the SQLite executor is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject, suspect: false });
      this.pump();
    });
  }

  /** Start the process now if it is not running, without waiting for it. */
  warmUp(): void {
    if (this.closed || this.child) return;
    this.start().catch(() => {
      // A failed start is reported to the first job, which retries it.
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.watchdog);
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        if (process.env.SYMGEN_PROFILE_EXECUTOR && this.inFlight.length === 0) {
          // A profiled process must exit on its own to write its profile.
          child.disconnect();
          setTimeout(() => child.kill('SIGKILL'), 2000).unref();
        } else {
          child.kill('SIGKILL');
        }
      });
    }
  }

  private start(): Promise<void> {
    this.starts++;
    const { path, execArgv } = childEntry();
    const child = fork(path, [], {
      execArgv: [...execArgv, '--max-old-space-size=512', ...profileArguments()],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new SandboxError('the SQLite executor process did not start in time')),
        START_TIMEOUT_MS,
      );
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          this.sqliteVersion = message.sqliteVersion;
          resolve();
        } else if (message.type === 'results') {
          this.onResults(message.results);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) this.onExit();
        reject(
          new SandboxError(
            `the SQLite executor process exited (${signal ?? code}) before it was ready: ${stderr.trim().split('\n').pop() ?? ''}`,
          ),
        );
      });
    });
    child.send({ type: 'init', limits: this.limits });
    this.ready = ready;
    ready.catch(() => {
      // The failure is reported to every waiting job by pump().
    });
    return ready;
  }

  private pump(): void {
    if (this.closed || this.queue.length === 0) return;
    if (!this.child) {
      this.start().then(
        () => this.pump(),
        (error: unknown) => this.failAll(error),
      );
      return;
    }
    void this.ready?.then(() => this.send());
  }

  private send(): void {
    const child = this.child;
    if (!child || this.closed) return;
    const careful = this.inFlight.some((pending) => pending.suspect) || this.queue[0]?.suspect === true;
    const room = (careful ? 1 : WINDOW) - this.inFlight.length;
    // Refill in chunks: topping up one job per result would cost a message per job.
    if (room <= 0 || this.queue.length === 0 || (!careful && this.inFlight.length > WINDOW / 2)) return;
    const batch = this.queue.splice(0, room);
    const idle = this.inFlight.length === 0;
    this.inFlight.push(...batch);
    child.send({ type: 'run', jobs: batch.map((pending) => pending.job) });
    // The budget runs from when the oldest statement started: a new batch must not extend it.
    if (idle) this.armWatchdog();
  }

  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    if (this.inFlight.length === 0) return;
    this.watchdog = setTimeout(() => this.onTimeout(), this.limits.timeoutMs);
    this.watchdog.unref();
  }

  private onResults(results: readonly SqliteJobResult[]): void {
    for (const result of results) {
      const index = this.inFlight.findIndex((pending) => pending.job.id === result.id);
      if (index === -1) continue;
      const [pending] = this.inFlight.splice(index, 1);
      pending!.resolve(result);
    }
    this.armWatchdog();
    this.send();
  }

  private onTimeout(): void {
    this.restartBlaming(
      'timeout',
      `statement ran longer than ${this.limits.timeoutMs} ms and was interrupted`,
    );
  }

  private onExit(): void {
    this.restartBlaming('crash', 'the executor process died while running this statement');
  }

  /** Kill the process; the oldest unanswered job fails if it was already suspect, else it is retried alone. */
  private restartBlaming(status: 'timeout' | 'crash', error: string): void {
    clearTimeout(this.watchdog);
    const child = this.child;
    this.child = undefined;
    child?.removeAllListeners('exit');
    child?.kill('SIGKILL');
    const [oldest, ...rest] = this.inFlight.splice(0);
    if (oldest?.suspect) {
      oldest.resolve({ id: oldest.job.id, status, error, durationMs: this.limits.timeoutMs });
      this.queue.unshift(...rest);
    } else if (oldest) {
      oldest.suspect = true;
      this.queue.unshift(oldest, ...rest);
    }
    this.pump();
  }

  /** The process cannot start at all: the executor is unusable, so every waiting job rejects. */
  private failAll(error: unknown): void {
    for (const pending of [...this.inFlight.splice(0), ...this.queue.splice(0)]) pending.reject(error);
  }
}
