import {
  evaluateSql,
  evaluateTask,
  formatEvaluationTable,
  formatTaskEvaluation,
} from '../../evaluate/index.js';
import { writeLinesAtomically } from '../../io/index.js';
import { integerFlag } from './flags.js';
import { requireDb, taskFromFlags, taskOptionsFromFlags } from './task-flags.js';

/** Run `symgen evaluate` with parsed flags; returns the exit code. */
export async function runEvaluate(flags: Record<string, string | boolean | undefined>): Promise<number> {
  const task = await taskFromFlags(flags);
  if (task.id !== 'sql' || flags.taskModule !== undefined) {
    const evaluation = await evaluateTask({
      task,
      taskOptions: taskOptionsFromFlags(flags) as never,
      gold: String(flags.gold),
      predictions: String(flags.pred),
      onlyPredicted: flags.onlyPredicted === true,
    });
    const { examples, ...metrics } = evaluation;
    if (typeof flags.json === 'string') await writeJson(flags.json, { ...metrics, examples });
    process.stdout.write(
      flags.format === 'json'
        ? `${JSON.stringify(metrics, null, 2)}\n`
        : `${formatTaskEvaluation(evaluation)}\n`,
    );
    return 0;
  }
  const evaluation = await evaluateSql({
    db: requireDb(flags),
    gold: String(flags.gold),
    predictions: String(flags.pred),
    timeoutMs: integerFlag('--timeout-ms', flags.timeoutMs),
  });
  const { examples, ...metrics } = evaluation;
  if (typeof flags.json === 'string') await writeJson(flags.json, { ...metrics, examples });
  process.stdout.write(
    flags.format === 'json'
      ? `${JSON.stringify(metrics, null, 2)}\n`
      : `${formatEvaluationTable(evaluation)}\n`,
  );
  return 0;
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeLinesAtomically(
    path,
    (async function* () {
      yield JSON.stringify(value, null, 2);
    })(),
  );
}
