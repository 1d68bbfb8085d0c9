import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { SandboxError } from '../../errors/index.js';
import { buildBubblewrapArgs, sandboxEnvironment } from './bubblewrap-args.js';
import { encodeFrame, FrameDecoder } from './frame.js';
import {
  emptyResult,
  type SandboxResult,
  type WorkerRequest,
  workerReadySchema,
  workerReplySchema,
} from './protocol.js';
import type { SandboxHost } from './sandbox-host.js';
import { workerBootstrap, workerSource } from './worker-source.js';

/**
 * The compiled worker per Python (path and extra bound paths), as the first worker that compiled
 * it sent it back in its ready frame, before it ran any candidate: later workers skip the compile.
 * The bootstrap checks that it was made by the same Python version and compiles the source
 * otherwise.
 */
const compiledWorkers = new Map<string, Buffer>();

function rawFrame(body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

const sourceFrame = rawFrame(Buffer.from(workerSource, 'utf8'));

/** How to start one sandboxed worker process. */
export interface WorkerLaunch {
  readonly host: SandboxHost;
  /** Python inside the sandbox; must lie under a bound directory (/usr by default). */
  readonly pythonPath: string;
  readonly tmpBytes: number;
  readonly readOnlyPaths?: readonly string[];
  /** Answer one request, then exit (the process-per-candidate mode). */
  readonly once?: boolean;
  /** Extra milliseconds the Node side waits past a candidate's wall limit before killing the box. */
  readonly graceMs?: number;
  /** Milliseconds to wait for the worker's ready frame. @default 10000 */
  readonly startTimeoutMs?: number;
}

interface Pending {
  readonly id: number;
  readonly resolve: (result: SandboxResult) => void;
  readonly timer: NodeJS.Timeout;
}

const maxFrameBytes = 64 * 1024 * 1024;

/**
 * One long-lived Python worker inside its own bubblewrap sandbox, running one candidate at a time.
 * `run` never rejects: a worker that dies, overruns or breaks the protocol (a candidate can kill it)
 * yields a `crash` or `timeout` result and is marked dead; the pool replaces it.
 */
export class SandboxWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly decoder = new FrameDecoder(maxFrameBytes);
  private pending: Pending | undefined;
  private readyWaiter: ((error?: Error) => void) | undefined;
  private stderrTail = '';
  private dead = false;
  private startedAt = 0;
  private readonly exited: Promise<void>;

  private constructor(private readonly launch: WorkerLaunch) {
    const command = [launch.pythonPath, '-I', '-c', workerBootstrap, ...(launch.once ? ['--once'] : [])];
    const args = buildBubblewrapArgs({ ...launch.host, ...launch, env: sandboxEnvironment, command });
    // detached: the box gets its own process group, so one kill(-pgid) ends all of it.
    this.child = spawn(launch.host.bwrapPath, args, {
      env: {},
      detached: true,
      stdio: 'pipe',
      ...launch.host.runAs,
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    // EPIPE when the box died under us; the exit handler reports it.
    this.child.stdin.on('error', () => {});
    this.child.on('error', (error) => this.onExit(error.message));
    this.child.on('close', (code, signal) => this.onExit(`exit ${signal ?? code}`));
    this.exited = new Promise((resolve) => this.child.on('close', () => resolve()));
    this.child.stdin.write(rawFrame(compiledWorkers.get(this.cacheKey) ?? Buffer.alloc(0)));
    this.child.stdin.write(sourceFrame);
  }

  private get cacheKey(): string {
    return JSON.stringify([this.launch.pythonPath, this.launch.readOnlyPaths ?? []]);
  }

  /**
   * Start a worker and wait until it is ready.
   * @throws SandboxError when the sandbox or Python in it cannot start.
   */
  static async start(launch: WorkerLaunch): Promise<SandboxWorker> {
    const worker = new SandboxWorker(launch);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => worker.readyWaiter?.(new Error('no ready frame in time')),
        launch.startTimeoutMs ?? 10_000,
      );
      worker.readyWaiter = (error) => {
        clearTimeout(timer);
        worker.readyWaiter = undefined;
        if (!error) return resolve();
        void worker.close();
        const detail = worker.stderrTail.trim().split('\n').pop() ?? '';
        reject(
          new SandboxError(`sandbox worker failed to start: ${error.message}${detail ? ` (${detail})` : ''}`),
        );
      };
    });
    return worker;
  }

  /** Whether the worker can take another request. */
  get alive(): boolean {
    return !this.dead;
  }

  /** Run one request; resolves with its result, whatever the candidate did. */
  run(request: WorkerRequest): Promise<SandboxResult> {
    if (this.dead || this.pending) return Promise.resolve(emptyResult('crash', 'sandbox worker unavailable'));
    return new Promise((resolve) => {
      const waitMs = request.limits.wallMs + (this.launch.graceMs ?? 1_000);
      this.startedAt = performance.now();
      const timer = setTimeout(() => {
        this.settle(emptyResult('timeout', `no answer within ${waitMs} ms; sandbox killed`, waitMs));
        void this.close();
      }, waitMs);
      this.pending = { id: request.id, resolve, timer };
      this.child.stdin.write(encodeFrame(request));
    });
  }

  /**
   * Kill the whole sandbox (bubblewrap, the worker and anything a candidate left). Safe to call
   * twice. The promise resolves once the bubblewrap process has exited (at most about a second).
   */
  close(): Promise<void> {
    this.dead = true;
    try {
      if (this.child.pid !== undefined && this.child.exitCode === null)
        process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // Already gone: nothing left to kill.
    }
    let timer: NodeJS.Timeout | undefined;
    // Bound the wait: a process stuck in the kernel must not hang the caller's shutdown.
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 1_000);
    });
    return Promise.race([this.exited, bound]).finally(() => clearTimeout(timer));
  }

  private settle(result: SandboxResult): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(result);
  }

  private onData(chunk: Buffer): void {
    let frames: unknown[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.violate(`bad frame: ${(error as Error).message}`);
      return;
    }
    for (const frame of frames) {
      if (this.readyWaiter) {
        const ready = workerReadySchema.safeParse(frame);
        if (!ready.success) this.readyWaiter(new Error('unexpected first frame'));
        else if (ready.data.ready) {
          if (ready.data.compiled)
            compiledWorkers.set(this.cacheKey, Buffer.from(ready.data.compiled, 'base64'));
          this.readyWaiter();
        } else this.readyWaiter(new Error(ready.data.error));
        continue;
      }
      const reply = workerReplySchema.safeParse(frame);
      if (!reply.success || reply.data.id !== this.pending?.id) {
        this.violate('unexpected reply');
        return;
      }
      this.settle(reply.data);
    }
  }

  private violate(reason: string): void {
    this.settle(
      emptyResult('crash', `sandbox protocol violated (${reason}); worker replaced`, this.elapsed()),
    );
    void this.close();
  }

  private onExit(how: string): void {
    this.dead = true;
    this.readyWaiter?.(new Error(`worker exited (${how})`));
    // A --once worker exits right after its reply; a pending request here means the box died under it.
    this.settle(
      emptyResult('crash', `sandbox worker died during the run (${how}); worker replaced`, this.elapsed()),
    );
  }

  private elapsed(): number {
    return Math.round((performance.now() - this.startedAt) * 1000) / 1000;
  }
}
