import { describe, expect, it } from 'vitest';
import { GEOGRAPHY_DB } from '../../test/shared-data.js';
import { ConfigError } from '../errors/index.js';
import { SqlKnowledge } from '../tasks/sql/knowledge.js';
import { defaultGenATemplate, defaultGenQTemplate } from './default-templates.js';
import { buildBm25Index } from './demonstrations/bm25.js';
import { createDemonstrationSelector } from './demonstrations/select-demonstrations.js';
import { compilePromptTemplate, promptHash } from './prompt-template.js';

const demos = [
  {
    id: 'd1',
    question: 'what is the capital of texas',
    program: "SELECT capital FROM state WHERE state_name = 'texas'",
  },
  { id: 'd2', question: 'how many rivers are in ohio', program: 'SELECT count(*) FROM river' },
  {
    id: 'd3',
    question: 'what is the highest mountain in alaska',
    program: 'SELECT mountain_name FROM mountain',
  },
  { id: 'd4', question: 'which states border texas', program: 'SELECT border FROM border_info' },
  { id: 'd5', question: 'population of boston', program: 'SELECT population FROM city', dbId: 'other' },
];

describe('the informative SQL prompt', () => {
  const knowledge = SqlKnowledge.open(GEOGRAPHY_DB, { rows: 3, rowSelection: 'random', matchedValues: 5 });

  it('shows the schema as CREATE TABLE with k rows per table, the same for the same seed', () => {
    const view = knowledge.view({ seed: 3 });
    expect(view.text.match(/CREATE TABLE/g)).toHaveLength(knowledge.schema.tables.length);
    expect(view.text).toContain('3 example rows from table state, drawn at random (not the first rows):');
    expect(knowledge.view({ seed: 3 }).text).toBe(view.text);
    expect(knowledge.view({ seed: 4 }).text).not.toBe(view.text);
    const first = SqlKnowledge.open(GEOGRAPHY_DB, { rows: 2, rowSelection: 'first', matchedValues: 0 });
    expect(first.view({ seed: 1 }).text).toBe(first.view({ seed: 2 }).text);
    expect(first.view({ seed: 1 }).text).toContain(
      '2 example rows from table state (the first):\nSELECT * FROM state LIMIT 2;',
    );
    first.close();
  });

  it('finds the cell values that match words of the question, longest first', () => {
    const matches = knowledge.matches('what is the population of new york and of the mississippi river');
    const values = new Set(matches.map((match) => match.value));
    expect(values.has('new york')).toBe(true);
    expect(values.has('mississippi river')).toBe(true);
    expect(values.has('york')).toBe(false);
    expect(matches.find((match) => match.value === 'new york')).toMatchObject({ literal: "'new york'" });
    // tables holding a match show the matching rows
    const view = knowledge.view({ seed: 1, question: 'how many people live in new york' });
    expect(view.text).toMatch(
      /rows of table city holding values of the question:\nSELECT DISTINCT \* FROM city WHERE city_name = 'new york'( OR state_name = 'new york')? LIMIT 3;\n[^\n]+\nnew york\t/,
    );
    // rows drawn at random say so, rather than claiming to be the first rows
    expect(view.text).toContain('example rows from table lake, drawn at random (not the first rows):');
    expect(view.text).not.toContain('SELECT * FROM lake LIMIT 3;');
    expect(knowledge.matches('how many states are there')).toEqual([]);
  });

  it('lists a matched value on every column holding it, the column of the table the question names first', () => {
    const wide = SqlKnowledge.open(GEOGRAPHY_DB, { rows: 3, rowSelection: 'random', matchedValues: 10 });
    const matches = wide.matches('Which mountains are in colorado?');
    const places = matches.map((match) => `${match.table}.${match.column}`);
    // 'colorado' sits in many columns; the first four in table order (border_info, city, highlow, ...)
    // used to crowd out the one the question is about
    expect(places[0]).toBe('mountain.state_name');
    expect(places).toContain('state.state_name');
    expect(places).toContain('river.river_name');
    expect(new Set(places).size).toBe(places.length);
    // the limit counts places shown
    expect(knowledge.matches('Which mountains are in colorado?')).toHaveLength(5);
    expect(knowledge.matches('Which mountains are in colorado?')[0]).toMatchObject({
      table: 'mountain',
      column: 'state_name',
    });
    const view = wide.view({ seed: 1, question: 'Which mountains are in colorado?' });
    expect(view.text).toContain("SELECT DISTINCT * FROM mountain WHERE state_name = 'colorado' LIMIT 3;");
    wide.close();
  });

  it('says where a column declared TEXT holds numbers', () => {
    const view = knowledge.view({ seed: 1 });
    expect(view.text).toMatch(
      /-- highlow\.highest_elevation is declared TEXT but holds numbers as text \('[0-9]+'[^)]*\): compare or order it as CAST\(highest_elevation AS REAL\)/,
    );
    // numeric columns and text columns of names get no note
    expect(view.text).not.toMatch(/-- [a-z_]+\.(population|state_name) is declared/);
  });

  it('renders Jinja templates into chat messages, and rejects a bad template as a config error', () => {
    const view = knowledge.view({ seed: 1, question: 'what is the capital of texas' });
    const messages = compilePromptTemplate(defaultGenATemplate, 'prompts.genA').render({
      knowledge: view.text,
      matches: view.matches,
      demonstrations: demos.slice(0, 2),
      question: 'what is the capital of texas',
    });
    expect(messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(messages[1]!.content).toContain(".state_name = 'texas'");
    expect(messages[1]!.content).toContain(
      '-- Question: how many rivers are in ohio\nSELECT count(*) FROM river',
    );
    expect(messages[1]!.content.endsWith('-- Question: what is the capital of texas')).toBe(true);
    expect(promptHash(messages)).toMatch(/^[0-9a-f]{16}$/);
    const genQ = compilePromptTemplate(defaultGenQTemplate, 'prompts.genQ').render({
      knowledge: 'CREATE TABLE t (a);',
      demonstrations: [],
      condition: 'an easy question about t',
    });
    expect(genQ[1]!.content).toBe(
      'CREATE TABLE t (a);\n\n-- Write a question that can be answered based on the above tables: an easy question about t.\n-- Question:',
    );
    expect(() => compilePromptTemplate({ user: '{% if x %}unclosed' }, 'prompts.genQ')).toThrow(ConfigError);
    expect(() => compilePromptTemplate({ user: '{% if x %}unclosed' }, 'prompts.genQ')).toThrow(
      /prompts\.genQ\.user/,
    );
  });

  it('selects demonstrations at random (seeded), by BM25 and by sentence embeddings', async () => {
    const random = await createDemonstrationSelector(demos, {
      k: 2,
      selection: 'random',
      sameDatabase: true,
    });
    expect(random.forQuestions('geo', 1)).toEqual(random.forQuestions('geo', 1));
    expect(random.forQuestions('geo', 1)).toHaveLength(2);
    const bm25 = await createDemonstrationSelector(demos, { k: 2, selection: 'bm25', sameDatabase: false });
    const chosen = await bm25.forAnswer('what is the capital city of texas', 'geo', 0);
    expect(chosen).toHaveLength(2);
    // the most similar goes last, nearest the question
    expect(chosen[1]!.id).toBe('d1');
    expect(buildBm25Index(['a b', 'c d']).search('zzz', 1)).toEqual([0]);
    // a demonstration repeated in the pool is shown once
    const repeated = [
      demos[0]!,
      { ...demos[0]!, id: 'd1-again', question: 'What is the capital of Texas?' },
      demos[1]!,
    ];
    const once = await createDemonstrationSelector(repeated, {
      k: 3,
      selection: 'bm25',
      sameDatabase: false,
    });
    expect((await once.forAnswer('capital of texas', 'geo', 0)).map((demo) => demo.id)).toEqual(['d2', 'd1']);
    const randomOnce = await createDemonstrationSelector(repeated, {
      k: 3,
      selection: 'random',
      sameDatabase: false,
    });
    expect(randomOnce.forQuestions('geo', 5)).toHaveLength(2);
    const embedding = await createDemonstrationSelector(demos, {
      k: 1,
      selection: 'embedding',
      sameDatabase: false,
    });
    expect(
      (await embedding.forAnswer('name the tallest peak in alaska', 'geo', 0)).map((demo) => demo.id),
    ).toEqual(['d3']);
    expect(
      (await embedding.forAnswer('how many people live in boston', 'geo', 0)).map((demo) => demo.id),
    ).toEqual(['d5']);
  });
});
