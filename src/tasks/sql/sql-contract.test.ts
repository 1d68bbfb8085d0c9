import { beforeAll } from 'vitest';
import { GEOGRAPHY_DB } from '../../../test/shared-data.js';
import { describeTaskContract } from '../../../test/task-contract.js';
import { DatabaseSet, loadSqlParser, sqlTask } from './index.js';

// `features` needs the SQL parser loaded before it is called.
beforeAll(() => loadSqlParser());

describeTaskContract(sqlTask, {
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
});
