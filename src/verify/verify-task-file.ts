import type { ExecutionEnvironment, Executor, TaskPlugin } from '../tasks/spec.js';
import { parseVerifyOptions, type VerifyOptions, type VerifyOptionsInput } from './options.js';
import {
  emptyVerifySummary,
  type VerifySummary,
  verifierProvenance,
  writeVerifiedFile,
} from './verify-file.js';
import type { VerifiedRecord, VerifyContext } from './verify-stream.js';

export interface VerifyTaskFileOptions<Options> extends VerifyOptionsInput {
  /** The task plugin (from the registry or a user module). */
  readonly task: TaskPlugin<Options>;
  /** Options for the task's executor (`execute`, `fixture`, `timeoutMs`, `workers`, ...). */
  readonly taskOptions?: Options;
  readonly input: string;
  readonly output: string;
  /** Called after each example, for progress displays. */
  readonly onRecord?: (record: VerifiedRecord, summary: VerifySummary) => void;
  /** Called after each example with the running counts. */
  readonly onProgress?: (summary: VerifySummary) => void;
  /**
   * The caller leaves this thread to the verifier until it returns (the CLI does): a task's own
   * verifier may verify on it too (SQL: the main thread takes chunks beside the worker threads).
   */
  readonly ownsThread?: boolean;
}

/** What a task's own file verifier (`TaskExtras.verifyFile`) is asked to do: the generic path's inputs, checked. */
export interface TaskVerifyFileRequest {
  readonly input: string;
  readonly output: string;
  readonly options: VerifyOptions;
  /** The task's options as given (from the CLI: `--db`, `--execute`, `--fixture`, `--timeout-ms`, `--workers`). */
  readonly taskOptions: unknown;
  readonly onRecord?: (record: VerifiedRecord, summary: VerifySummary) => void;
  readonly onProgress?: (summary: VerifySummary) => void;
  readonly ownsThread?: boolean;
}

/**
 * Verify a JSONL file of candidates of any task: each example's environment comes from its line
 * through `task.environment` (tests, inputs, a fixture), each distinct program runs once, candidates
 * are grouped by result key and voted on. Writes the verified JSONL whole or not at all; bad lines
 * become `invalid-input` rejections. A task with its own `verifyFile` (SQL) is handed the checked
 * request instead; it writes the same bytes, faster.
 */
export async function verifyTaskFile<Options>(
  options: VerifyTaskFileOptions<Options>,
): Promise<VerifySummary> {
  const { task, taskOptions, input, output, onRecord, onProgress, ownsThread, ...rest } = options;
  const verifyOptions = parseVerifyOptions(rest);
  if (task.verifyFile) {
    return task.verifyFile({
      input,
      output,
      options: verifyOptions,
      taskOptions,
      ...(onRecord ? { onRecord } : {}),
      ...(onProgress ? { onProgress } : {}),
      ...(ownsThread ? { ownsThread } : {}),
    });
  }
  const executor = task.createExecutor(taskOptions);
  const started = performance.now();
  const summary = emptyVerifySummary();
  const counted: Executor = {
    execute(program, environment, executeOptions) {
      summary.executed++;
      return executor.execute(program, environment, executeOptions);
    },
    close: () => executor.close(),
  };
  const environment = (_dbId: string | undefined, example: Record<string, unknown>): ExecutionEnvironment =>
    task.environment ? task.environment(example) : { id: example.id === undefined ? '' : String(example.id) };
  const context: VerifyContext = {
    task: task as TaskPlugin<never>,
    executor: counted,
    environment,
    options: verifyOptions,
    provenance: verifierProvenance(
      task.id,
      verifyOptions,
      taskOptions && typeof taskOptions === 'object' ? { taskOptions: describeOptions(taskOptions) } : {},
    ),
  };
  try {
    await writeVerifiedFile(input, output, context, summary, (record, running) => {
      onRecord?.(record, running);
      onProgress?.(running);
    });
  } finally {
    summary.durationMs = performance.now() - started;
    await executor.close();
  }
  return summary;
}

/** The JSON-safe settings of a task's options, for provenance (a caller's sandbox object is left out). */
function describeOptions(options: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).filter(
      ([, value]) => value === null || ['string', 'number', 'boolean'].includes(typeof value),
    ),
  );
}
