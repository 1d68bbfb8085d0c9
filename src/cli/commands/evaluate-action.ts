import { evaluateSql, formatEvaluationTable } from '../../evaluate/index.js';
import { writeLinesAtomically } from '../../io/index.js';
import { integerFlag, requireTask } from './flags.js';

/** Run `symgen evaluate` with parsed flags; returns the exit code. */
export async function runEvaluate(flags: Record<string, string | undefined>): Promise<number> {
  requireTask(flags.task, ['sql']);
  const evaluation = await evaluateSql({
    db: String(flags.db),
    gold: String(flags.gold),
    predictions: String(flags.pred),
    timeoutMs: integerFlag('--timeout-ms', flags.timeoutMs),
  });
  const { examples, ...metrics } = evaluation;
  if (flags.json) {
    await writeLinesAtomically(
      flags.json,
      (async function* () {
        yield JSON.stringify({ ...metrics, examples }, null, 2);
      })(),
    );
  }
  process.stdout.write(
    flags.format === 'json'
      ? `${JSON.stringify(metrics, null, 2)}\n`
      : `${formatEvaluationTable(evaluation)}\n`,
  );
  return 0;
}
