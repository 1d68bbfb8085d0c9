import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from './run-store.js';

const prompt = (index: number) => ({
  id: `db/q${index}`,
  dbId: 'db',
  index,
  round: 0,
  messages: [{ role: 'user' as const, content: `prompt ${index}` }],
  promptHash: 'h',
  demonstrationIds: ['d1'],
  condition: { hardness: 'easy' },
  seed: index,
});

describe('RunStore', () => {
  it('keeps questions unique per database and within the quota, in one transaction per prompt', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'symgen-store-')), 'run');
    const store = RunStore.open(dir, { create: true });
    store.addPrompts([prompt(0), prompt(1)]);
    store.addPrompts([prompt(0)]);
    expect(store.prompts({ state: 'pending' })).toHaveLength(2);
    const kept = store.completePrompt(
      'db/q0',
      'db',
      [
        { id: 'a', question: 'Q one', key: 'q one' },
        { id: 'b', question: 'q one', key: 'q one' },
        { id: 'c', question: 'q two', key: 'q two' },
        { id: 'd', question: 'q three', key: 'q three' },
      ],
      2,
      { samples: 4 },
    );
    expect(kept).toBe(2);
    expect(store.prompts({ state: 'done' })[0]!.counts).toEqual({
      samples: 4,
      kept: 2,
      'duplicate-normalised': 1,
      'over-quota': 1,
    });
    expect(store.examples('question').map((example) => example.id)).toEqual(['a', 'c']);
    store.decide('a', { status: 'accepted', record: { id: 'a' }, features: { hardness: 'easy' } });
    store.decide('a', { status: 'rejected', record: { id: 'a' } });
    expect(store.countByState()).toEqual({ question: 1, accepted: 1, rejected: 0 });
    expect(store.nextPromptIndex('db')).toBe(2);
    store.close();
    // reopened after a close (or a kill), the state is all there
    const again = RunStore.open(dir, { create: false });
    expect(again.examples().map((example) => [example.id, example.state])).toEqual([
      ['a', 'accepted'],
      ['c', 'question'],
    ]);
    expect(again.acceptedFeatures()).toEqual([{ hardness: 'easy' }]);
    again.close();
    expect(() => RunStore.open(join(dir, 'nothing'), { create: false })).toThrow(/no run in/);
  });
});
