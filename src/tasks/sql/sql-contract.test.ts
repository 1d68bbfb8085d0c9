import * as vitest from 'vitest';
import { beforeAll } from 'vitest';
import { GEOGRAPHY_DB } from '../../../test/shared-data.js';
import type { TaskContractCases } from '../../testing/task-contract.js';
import { describeTaskContract } from '../../testing/task-contract.js';
import { guardAvailable } from './execute/guard-extension.js';
import { resolveSqliteLimits } from './execute/protocol.js';
import { SqliteRunner } from './execute/sqlite-runner.js';
import { DatabaseSet, loadSqlParser, sqlTask } from './index.js';
import { SqlThread } from './verify-threads/sql-thread.js';

// `features` needs the SQL parser loaded before it is called.
beforeAll(() => loadSqlParser());

const cases: TaskContractCases<{ workers: number; timeoutMs: number }> = {
  options: { workers: 1, timeoutMs: 2000 },
  environment: DatabaseSet.open(GEOGRAPHY_DB).resolve(undefined),
  extract: [
    { text: '```sql\nSELECT count(*) FROM state\n```', program: 'SELECT count(*) FROM state' },
    { text: 'Here it is: SELECT state_name FROM state;', program: 'SELECT state_name FROM state' },
  ],
  noProgram: ['I cannot answer that.'],
  equalGroups: [
    ['SELECT count(*) FROM state', 'select COUNT(*) from state s', 'SELECT count(state_name) FROM state'],
    ['SELECT count(*) FROM city'],
    ["SELECT capital FROM state WHERE state_name = 'texas'"],
  ],
  invalid: ['SELECT nothing FROM nowhere', 'SELECT count(* FROM state', 'DELETE FROM state'],
};

// The task's own executor: executor processes killed at the budget.
describeTaskContract(sqlTask, { ...cases, label: 'executor processes' }, vitest);

// The executors of the thread verifier, behind the same contract: the guarded runner each verify
// thread runs statements on, and the SQL thread the main thread hands its statements to. Both need
// the symgen_guard extension, which `npm run build` (and so `npm test`) builds.
vitest.it('has the symgen_guard extension built, so the thread executors below are tested', () => {
  vitest.expect(guardAvailable()).toBe(true);
});
describeTaskContract(
  { ...sqlTask, createExecutor: (options) => new SqliteRunner(resolveSqliteLimits(options)) },
  { ...cases, label: 'guarded runner (verify threads)' },
  vitest,
);
describeTaskContract(
  {
    ...sqlTask,
    createExecutor: (options) => {
      const thread = new SqlThread();
      thread.init(resolveSqliteLimits(options));
      return thread;
    },
  },
  { ...cases, label: 'SQL thread' },
  vitest,
);
