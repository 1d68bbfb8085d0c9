import { ConfigError } from '../../errors/index.js';
import { checkOutputFile } from '../../io/index.js';
import { type ExportFormat, exportRun } from '../../store/export/index.js';
import { integerFlag } from './flags.js';

const FORMATS: readonly ExportFormat[] = ['parquet', 'chat', 'jsonl', 'dpo', 'hf'];

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
    pairs: integerFlag('--pairs', flags.pairs ?? '1'),
    ...(flags.license ? { license: flags.license } : {}),
    shardRows: Math.max(1, integerFlag('--shard-rows', flags.shardRows ?? '100000')),
  });
  const what = format === 'dpo' ? 'preference pairs' : 'examples';
  const notes = [
    result.skipped ? `${result.skipped} lines without question or program skipped` : '',
    result.withoutLoser ? `${result.withoutLoser} accepted examples had no losing program` : '',
  ].filter(Boolean);
  process.stderr.write(
    `exported ${result.written} ${what} as ${format}${notes.length ? ` (${notes.join('; ')})` : ''} -> ${flags.out}\n`,
  );
  return 0;
}
