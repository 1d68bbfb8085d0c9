import { ConfigError } from '../../errors/index.js';
import { checkOutputFile } from '../../io/index.js';
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
  checkOutputFile(String(flags.out), '--out');
  const result = await exportRun({
    source: run,
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
