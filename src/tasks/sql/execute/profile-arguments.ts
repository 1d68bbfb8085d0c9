/** `SYMGEN_PROFILE_EXECUTOR=DIR` writes a V8 CPU profile of each executor process and verify thread into DIR (for benchmarks). */
export function profileArguments(): string[] {
  const directory = process.env.SYMGEN_PROFILE_EXECUTOR;
  return directory ? ['--cpu-prof', `--cpu-prof-dir=${directory}`] : [];
}
