import { join } from 'node:path';
import { writeLinesAtomically } from '../io/index.js';
import { renderReport } from './render-report.js';
import { type ReportOptions, readRunData } from './run-data.js';

/**
 * `symgen report`: read a run directory, render the HTML report and write it (all or nothing) to
 * `out`, by default `report.html` in the run directory. Returns the path written.
 */
export async function writeReport(
  runDirectory: string,
  options: ReportOptions & { out?: string } = {},
): Promise<string> {
  const data = await readRunData(runDirectory, options);
  const out = options.out ?? join(runDirectory, 'report.html');
  await writeLinesAtomically(
    out,
    (async function* () {
      yield renderReport(data);
    })(),
  );
  return out;
}
