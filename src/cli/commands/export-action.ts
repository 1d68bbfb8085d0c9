import { ConfigError } from '../../errors/index.js';
import { type ExportFormat, exportRun } from '../../store/export/index.js';
import { integerFlag } from './flags.js';

const FORMATS: readonly ExportFormat[] = ['parquet', 'chat', 'jsonl'];

/** Run `symgen export`; returns the exit code. */
export async function runExportCommand(
  run: string,
  flags: Record<string, string | undefined>,
): Promise<number> {
  const format = flags.format as ExportFormat;
  if (!FORMATS.includes(format)) {
    throw new ConfigError('--format', [
      { path: '', message: `expected one of ${FORMATS.join(', ')}, got ${JSON.stringify(flags.format)}` },
    ]);
  }
  const task =
    flags.task === undefined && flags.taskModule === undefined
      ? undefined
      : await (await import('./task-flags.js')).taskFromFlags(flags);
  const result = await exportRun({
    source: run,
    ...(task ? { task } : {}),
    format,
    out: String(flags.out),
    ...(flags.db ? { db: flags.db } : {}),
    rows: integerFlag('--rows', flags.rows ?? '0'),
  });
  process.stderr.write(
    `exported ${result.written} examples as ${format}${result.skipped ? ` (${result.skipped} lines without question or program skipped)` : ''} -> ${flags.out}\n`,
  );
  return 0;
}
