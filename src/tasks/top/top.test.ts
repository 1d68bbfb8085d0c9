import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vitest from 'vitest';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../../test/shared-data.js';
import { describeTaskContract } from '../../testing/task-contract.js';
import { verifyTaskFile } from '../../verify/verify-task-file.js';
import { normaliseTop, parseTop, printTop, topTask } from './index.js';

const call = '[IN:CREATE_CALL [SL:CONTACT Nicholas ] [SL:CONTACT Natasha ] ]';
const unlabelled = '[SEND_MESSAGE [SL:RECIPIENT [IN:GET_CONTACT [SL:CONTACT_RELATED mom ] ] ] ]';

describeTaskContract(
  topTask,
  {
    environment: { id: 'mtop' },
    extract: [
      { text: `\`\`\`\n${call}\n\`\`\``, program: call },
      { text: `The parse is ${call}. Hope it helps!`, program: call },
      {
        text: '[IN:GET_WEATHER\n  [SL:LOCATION Paris ]\n]',
        program: '[IN:GET_WEATHER [SL:LOCATION Paris ] ]',
      },
      // A root with no IN: label is kept whole (and is invalid), never cut down to the intent inside it.
      { text: unlabelled, program: unlabelled },
      { text: `Answer:\n${unlabelled}`, program: unlabelled },
      { text: `Sure [see below]: ${call}`, program: call },
      { text: `Prose with a stray [ bracket\n\n${call}`, program: call },
    ],
    noProgram: ['I cannot parse that.', '[SL:CONTACT Bob ]'],
    equalGroups: [
      [
        call,
        '[IN:CREATE_CALL [SL:CONTACT Natasha ] [SL:CONTACT Nicholas ]]',
        '[IN:CREATE_CALL  [SL:CONTACT Nicholas] [SL:CONTACT Natasha] ]',
      ],
      ['[IN:GET_WEATHER [SL:LOCATION Paris ] ]'],
      ['[IN:GET_WEATHER [SL:LOCATION paris ] ]'],
    ],
    invalid: [
      '[IN:X [SL:Y a ]',
      '[SL:Y a ]',
      '[IN:X [IN:Y a ] ]',
      'IN:X a',
      '[IN:X a ] ]',
      '[IN:X [SL:Y ] ]',
      '[XX:Y a ]',
      unlabelled,
      '[SL:RECIPIENT [IN:GET_CONTACT [SL:CONTACT_RELATED mom ] ] ]',
    ],
  },
  vitest,
);

describe('top on MTOP dev', () => {
  const rows = readFileSync(join(SHARED_DATA, 'mtop', 'dev.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { logical_form: string });

  it('parses every gold tree and prints it back as written', () => {
    const failures = rows.filter((row) => {
      const parsed = parseTop(row.logical_form);
      return !parsed.ok || printTop(parsed.tree) !== row.logical_form.replace(/\s+/g, ' ').trim();
    });
    expect(failures.slice(0, 3)).toEqual([]);
    expect(rows.length).toBe(2235);
  });

  it('gives reordered slots the same normal form and other trees other ones', () => {
    const withSlots = rows
      .filter((row) => (row.logical_form.match(/\[SL:/g) ?? []).length >= 2)
      .slice(0, 200);
    for (const row of withSlots) {
      const parsed = parseTop(row.logical_form);
      if (!parsed.ok) throw new Error(parsed.error);
      const reversed = { ...parsed.tree, children: [...parsed.tree.children].reverse() };
      expect(normaliseTop(printTop(reversed))).toBe(normaliseTop(row.logical_form));
    }
    const forms = new Set(rows.map((row) => normaliseTop(row.logical_form)));
    const written = new Set(rows.map((row) => row.logical_form));
    expect(forms.size).toBeGreaterThan(written.size * 0.95);
  });

  it('rejects labels outside a known inventory', async () => {
    const executor = topTask.createExecutor({ labels: ['IN:CREATE_CALL', 'SL:CONTACT'] });
    expect((await executor.execute(call, { id: 'x' })).status).toBe('ok');
    expect(await executor.execute('[IN:GET_WEATHER [SL:LOCATION Paris ] ]', { id: 'x' })).toMatchObject({
      status: 'error',
      error: 'unknown labels: IN:GET_WEATHER, SL:LOCATION',
    });
    await executor.close();
  });
});

describe('top verify', () => {
  it('rejects five samples of a tree whose root has no IN: label instead of accepting the intent inside it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'symgen-top-'));
    const input = join(folder, 'candidates.jsonl');
    const output = join(folder, 'verified.jsonl');
    const example = (id: string, program: string) =>
      JSON.stringify({
        id,
        question: 'message my mom',
        candidates: Array.from({ length: 5 }, () => program),
      });
    writeFileSync(
      input,
      `${example('unlabelled', `\`\`\`\n${unlabelled}\n\`\`\``)}\n${example('labelled', call)}\n`,
    );
    const summary = await verifyTaskFile({ task: topTask, input, output, minVotes: 2 });
    const lines = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { status: string; program?: string });
    expect(lines.map((line) => line.status)).toEqual(['rejected', 'accepted']);
    expect(lines[1]!.program).toBe(call);
    expect(readFileSync(output, 'utf8')).not.toContain('"program":"[IN:GET_CONTACT');
    expect(summary.accepted).toBe(1);
  });
});
