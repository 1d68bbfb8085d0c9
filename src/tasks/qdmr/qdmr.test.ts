import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vitest from 'vitest';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../../test/shared-data.js';
import { describeTaskContract } from '../../testing/task-contract.js';
import { normaliseQdmr, parseQdmr, printQdmr, qdmrTask } from './index.js';

const toilet = 'return the toilet ;return year invented of #1 ;return who invented #1 ;return #2 , #3';

describeTaskContract(
  qdmrTask,
  {
    environment: { id: 'break' },
    extract: [
      { text: toilet, program: toilet },
      { text: `Decomposition:\n\`\`\`\n${toilet}\n\`\`\``, program: toilet },
      {
        text: 'Steps:\n1. return the toilet\n2. return year invented of #1\n',
        program: 'return the toilet ;return year invented of #1',
      },
    ],
    noProgram: ['No idea.'],
    equalGroups: [
      [
        toilet,
        'return the  toilet ;return who  invented #1 ;return year invented of #1 ;return #3 , #2',
        'Return The toilet; return year invented of #1; return who invented #1; return #2, #3',
      ],
      ['return the toilet ;return who invented #1'],
    ],
    invalid: ['return a ;return #3', 'return a ; ;return #1', ';', 'return #1'],
  },
  vitest,
);

/** Swap two adjacent independent steps and renumber the references: the same decomposition. */
function swapIndependent(decomposition: string): string | null {
  const parsed = parseQdmr(decomposition);
  if (!parsed.ok) return null;
  const steps = parsed.steps;
  for (let index = 0; index + 2 < steps.length; index++) {
    if (steps[index + 1]!.refs.includes(index + 1)) continue;
    const number = (ref: number) => (ref === index + 1 ? index + 2 : ref === index + 2 ? index + 1 : ref);
    const reordered = [...steps.slice(0, index), steps[index + 1]!, steps[index]!, ...steps.slice(index + 2)];
    return printQdmr(
      reordered.map((step) => ({
        text: step.text.replace(/#(\d+)/g, (_, ref: string) => `#${number(Number(ref))}`),
        refs: step.refs.map(number),
      })),
    );
  }
  return null;
}

describe('qdmr on Break dev', () => {
  const rows = readFileSync(join(SHARED_DATA, 'break', 'dev.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { decomposition: string });

  it('parses every gold decomposition', () => {
    const failures = rows.filter((row) => !parseQdmr(row.decomposition).ok);
    expect(failures.slice(0, 3)).toEqual([]);
    expect(rows.length).toBe(1000);
  });

  it('gives decompositions that differ only in the order of independent steps one normal form', () => {
    let swapped = 0;
    for (const row of rows) {
      const other = swapIndependent(row.decomposition);
      const parsed = parseQdmr(row.decomposition);
      if (other === null || !parsed.ok || other === printQdmr(parsed.steps)) continue;
      swapped++;
      expect({ other, form: normaliseQdmr(other) }).toEqual({
        other,
        form: normaliseQdmr(row.decomposition),
      });
    }
    expect(swapped).toBeGreaterThan(100);
  });
});
