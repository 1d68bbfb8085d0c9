import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { programFromRationale } from '../src/tasks/math/index.js';
import { createTaskRegistry } from '../src/tasks/registry/index.js';
import { firstLineQuestion } from '../src/tasks/shared/text.js';
import type { TaskPlugin } from '../src/tasks/spec.js';
import type { ScriptedItem } from '../src/testing/index.js';
import { GEOGRAPHY_DB, GEOQUERY_DEV, GEOQUERY_TRAIN, SHARED_DATA } from './shared-data.js';

/** One task's generation case: its benchmark slice (questions as a model writes them, gold programs) and demonstrations. */
export interface GenerateCase {
  readonly task: TaskPlugin<never>;
  /** The questions the scripted model writes, with their gold programs. */
  readonly items: ScriptedItem[];
  /** A demonstrations file in the benchmark's own format. */
  readonly demos: string;
  /** More `symgen generate` flags (sql: `--db`). */
  readonly flags: string[];
  /** The code fence of answers. */
  readonly fence: string;
}

const read = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/**
 * The generation cases of the built-in tasks, on the slices in test/data: GeoQuery (sql), MBPP
 * (python; problems 11-60, demonstrations 1-10, written as MBPP prompts are), GSM8K (math; gold
 * programs from the rationales' calculator annotations), NL2Bash (bash), MTOP (top), Break (qdmr).
 * `size` items of each (the first ones).
 */
export function generateCases(folder: string, size = 60): GenerateCase[] {
  const tasks = createTaskRegistry();
  const mbpp = read(join(SHARED_DATA, 'mbpp', 'mbpp.jsonl'));
  const mbppDemos = join(folder, 'mbpp-demos.jsonl');
  writeFileSync(
    mbppDemos,
    `${mbpp
      .slice(0, 10)
      .map((line) => JSON.stringify(line))
      .join('\n')}\n`,
  );
  const pick = (path: string, question: string, program: (line: Record<string, unknown>) => unknown) =>
    read(path)
      .flatMap((line) => {
        const gold = program(line);
        return typeof line[question] === 'string' && typeof gold === 'string'
          ? [{ question: line[question] as string, program: gold }]
          : [];
      })
      .slice(0, size);
  return [
    {
      task: tasks.get('sql'),
      items: pick(GEOQUERY_DEV, 'question', (line) => line.query),
      demos: GEOQUERY_TRAIN,
      flags: ['--db', GEOGRAPHY_DB],
      fence: 'sql',
    },
    {
      task: tasks.get('python'),
      items: mbpp.slice(10, 10 + size).map((line) => ({
        question: `${line.text}\nYour code should pass these tests:\n${(line.test_list as string[]).join('\n')}`,
        program: String(line.code).replace(/\r\n/g, '\n'),
      })),
      demos: mbppDemos,
      flags: [],
      fence: 'python',
    },
    {
      task: tasks.get('math'),
      items: pick(join(SHARED_DATA, 'gsm8k', 'test.jsonl'), 'question', (line) =>
        typeof line.answer === 'string' ? programFromRationale(line.answer) : null,
      ),
      demos: join(SHARED_DATA, 'gsm8k', 'train.jsonl'),
      flags: [],
      fence: 'python',
    },
    {
      task: tasks.get('bash'),
      items: pick(join(SHARED_DATA, 'nl2bash', 'dev.jsonl'), 'nl', (line) => line.bash),
      demos: join(SHARED_DATA, 'nl2bash', '10_shot.jsonl'),
      flags: [],
      fence: 'bash',
    },
    {
      task: tasks.get('top'),
      items: pick(join(SHARED_DATA, 'mtop', 'dev.jsonl'), 'question', (line) => line.logical_form),
      demos: join(SHARED_DATA, 'mtop', '10_shot.jsonl'),
      flags: [],
      fence: '',
    },
    {
      task: tasks.get('qdmr'),
      items: pick(join(SHARED_DATA, 'break', 'dev.jsonl'), 'question_text', (line) => line.decomposition),
      demos: join(SHARED_DATA, 'break', '10_shot.jsonl'),
      flags: [],
      fence: '',
    },
  ];
}

/** The question as a run stores it (the task's parse of what the model wrote). */
export function storedQuestion(task: TaskPlugin<never>, text: string): string {
  return (task.generation?.question ?? firstLineQuestion)(text)?.question ?? text.trim();
}
