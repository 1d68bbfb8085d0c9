import { z } from 'zod';
import { ConfigError, zodIssues } from '../../errors/index.js';

/** Resource limits applied to every candidate (rlimits in the candidate's process, plus timers). */
export const sandboxLimitsSchema = z.strictObject({
  /** CPU seconds (RLIMIT_CPU, rounded up to whole seconds by the kernel). */
  cpuSeconds: z.number().positive().max(3600),
  /** Wall-clock milliseconds before the candidate and everything it started are killed. */
  wallMs: z.number().int().positive().max(3_600_000),
  /** Address-space bytes (RLIMIT_AS): allocation past it fails with MemoryError / ENOMEM. */
  memoryBytes: z
    .number()
    .int()
    .min(32 * 1024 * 1024),
  /**
   * Processes of the candidate (RLIMIT_NPROC, counted in the candidate's own user namespace):
   * this is what stops a fork bomb. Memory is limited per process, so a candidate's total is at
   * most `maxProcesses` x `memoryBytes`, plus System V shared memory capped at
   * min(`memoryBytes`, 256 MiB).
   */
  maxProcesses: z.number().int().min(4).max(4096),
  /** Bytes of stdout and of stderr reported back; the rest is cut and flagged `stdoutTruncated`. */
  maxOutputBytes: z.number().int().positive(),
  /** Largest file the candidate may write, its stdout and stderr included (RLIMIT_FSIZE). */
  maxFileBytes: z.number().int().positive(),
  /** Size of the private /tmp (a tmpfs), shared by everything the worker runs. */
  tmpBytes: z
    .number()
    .int()
    .min(1024 * 1024),
});

/** Resource limits applied to every candidate. */
export type SandboxLimits = z.infer<typeof sandboxLimitsSchema>;

/** The limits used when none are given: small, since candidates are short generated programs. */
export const defaultSandboxLimits: SandboxLimits = {
  cpuSeconds: 2,
  wallMs: 5_000,
  memoryBytes: 512 * 1024 * 1024,
  maxProcesses: 16,
  maxOutputBytes: 64 * 1024,
  maxFileBytes: 8 * 1024 * 1024,
  tmpBytes: 64 * 1024 * 1024,
};

/**
 * Merge partial limits over the defaults and validate them.
 * @throws ConfigError listing every value out of range.
 * @example resolveSandboxLimits({ wallMs: 1_000 })
 */
export function resolveSandboxLimits(limits: Partial<SandboxLimits> = {}): SandboxLimits {
  const parsed = sandboxLimitsSchema.safeParse({ ...defaultSandboxLimits, ...limits });
  if (parsed.success) return parsed.data;
  throw new ConfigError('sandbox limits', zodIssues(parsed.error));
}
