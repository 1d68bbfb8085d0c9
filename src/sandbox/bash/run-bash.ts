import type { SandboxLimits } from '../process/limits.js';
import type { ProcessSandbox } from '../process/open-process-sandbox.js';
import type { FileEntry, FixtureFile, SandboxResult } from '../process/protocol.js';

/** One Bash candidate: a script run with `bash -c` in a private copy of a fixture directory. */
export interface BashCandidate {
  readonly script: string;
  /** Files to place in the working directory first (see `readFixtureDirectory`). */
  readonly fixture?: readonly FixtureFile[];
  readonly stdin?: string;
  readonly limits?: Partial<SandboxLimits>;
}

/** A Bash run: `result` is the exit code, `files` the working directory afterwards. */
export type BashResult = SandboxResult & { readonly files: readonly FileEntry[] };

/**
 * Run a Bash candidate in the sandbox and capture its stdout and the file-system state it leaves:
 * every path with its type, size, mode and content hash, listed by the worker after the script and
 * everything it started are dead.
 * @example
 * const result = await runBash(sandbox, { script: 'sort a.txt > b.txt', fixture });
 * fileStateKey(result.files) // compare with another candidate's
 */
export async function runBash(
  sandbox: ProcessSandbox,
  candidate: BashCandidate,
  signal?: AbortSignal,
): Promise<BashResult> {
  const result = await sandbox.run(
    {
      kind: 'bash',
      code: candidate.script,
      files: candidate.fixture,
      stdin: candidate.stdin,
      limits: candidate.limits,
    },
    signal,
  );
  return { ...result, files: result.files ?? [] };
}

/**
 * A canonical text of a file-system state: equal keys mean equal effects (paths, types, contents,
 * symlink targets and permission bits).
 */
export function fileStateKey(files: readonly FileEntry[]): string {
  return files
    .map((file) => {
      const what = file.type === 'file' ? file.sha256 : file.type === 'symlink' ? `-> ${file.target}` : '';
      return `${file.type} ${file.path} ${file.mode.toString(8)} ${file.size} ${what ?? ''}`.trimEnd();
    })
    .sort()
    .join('\n');
}
