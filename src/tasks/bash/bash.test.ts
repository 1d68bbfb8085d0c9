import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vitest from 'vitest';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../../test/shared-data.js';
import { describeTaskContract } from '../../testing/task-contract.js';
import { bashTask, checkBash, normaliseBash } from './index.js';

const fixture = fileURLToPath(new URL('../../sandbox/bash/__fixtures__/small', import.meta.url));

describeTaskContract(
  bashTask,
  {
    environment: { id: 'nl2bash' },
    extract: [
      { text: '```bash\n$ find . -name "*.txt" | wc -l\n```', program: 'find . -name "*.txt" | wc -l' },
      { text: 'Use `ls -la /tmp` to see hidden files too.', program: 'ls -la /tmp' },
      { text: 'Command: chmod +x rr.sh', program: 'chmod +x rr.sh' },
      { text: 'chmod +x pretty-print', program: 'chmod +x pretty-print' },
    ],
    noProgram: ['I am not able to write that command for you.'],
    equalGroups: [
      ["ls -la 'my dir'", 'ls -a -l "my dir"', 'ls  -al my\\ dir', '# list\nls -l -a "my dir"'],
      ["find . -name '*.txt' -exec rm {} \\;", 'find . -name "*.txt" -exec rm {} ";"'],
      ['find . -name *.txt -exec rm {} \\;'],
      ['find . | wc -l'],
    ],
    invalid: ["echo 'unterminated", 'if then fi', 'cat <(', 'for x in; do'],
  },
  vitest,
);

describe('bash on NL2Bash dev', () => {
  const rows = readFileSync(join(SHARED_DATA, 'nl2bash', 'dev.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { bash: string });

  it('parses nearly every gold command, and normalises idempotently', () => {
    const parsed = rows.filter((row) => checkBash(row.bash).ok);
    expect(parsed.length / rows.length).toBeGreaterThan(0.97);
    // A slice for the round trip: a tree key costs about 2 ms (mvdan/sh's tree is reached through GopherJS).
    for (const row of parsed.slice(0, 150)) {
      const once = normaliseBash(row.bash);
      expect(normaliseBash(once)).toBe(once);
      expect(checkBash(once)).toEqual(checkBash(row.bash));
    }
  });
});

describe('bash --execute', () => {
  it('runs candidates in the sandbox on a fixture and agrees on output and files', async () => {
    const executor = bashTask.createExecutor({ execute: true, fixture, workers: 2, timeoutMs: 3000 });
    const environment = { id: 'fixture' };
    const [sorted, sortedToo, cat, broken, failing] = await Promise.all(
      [
        'sort fruits.txt > out.txt',
        'cat fruits.txt | sort > out.txt',
        'cat fruits.txt > out.txt',
        "echo 'x",
        'ls missing',
      ].map((program) => executor.execute(program, environment)),
    );
    expect(sorted).toMatchObject({ status: 'ok' });
    expect(sortedToo!.key).toBe(sorted!.key);
    expect(cat!.key).not.toBe(sorted!.key);
    expect(broken).toMatchObject({ status: 'error', error: expect.stringContaining('syntax error') });
    expect(failing!.status).toBe('error');
    await executor.close();
    await executor.close();
  });
});
