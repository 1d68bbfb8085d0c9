import type { DatasetEvaluation, DatasetMetrics } from './dataset-evaluation.js';

type Row = [string, (metrics: DatasetMetrics) => string | undefined];

const fixed = (value: number | undefined, digits = 3) =>
  value === undefined ? undefined : value.toFixed(digits);
const percent = (value: number | undefined) =>
  value === undefined ? undefined : `${(value * 100).toFixed(1)}%`;

const ROWS: Row[] = [
  ['examples', (m) => String(m.faithfulness.examples)],
  // lines that were not examples (bad JSON, no question or program): counted, not fatal
  ['invalid lines', (m) => (m.invalidLines > 0 ? String(m.invalidLines) : undefined)],
  [
    'confidence mean',
    (m) => (m.faithfulness.confidence.known ? fixed(m.faithfulness.confidence.mean) : undefined),
  ],
  [
    'confidence median',
    (m) => (m.faithfulness.confidence.known ? fixed(m.faithfulness.confidence.median) : undefined),
  ],
  [
    'valid (executes)',
    (m) =>
      m.faithfulness.validity
        ? percent(m.faithfulness.validity.ok / Math.max(1, m.faithfulness.validity.executed))
        : undefined,
  ],
  [
    'empty results',
    (m) =>
      m.faithfulness.validity
        ? percent(m.faithfulness.validity.empty / Math.max(1, m.faithfulness.validity.executed))
        : undefined,
  ],
  [
    'accuracy vs gold',
    (m) =>
      m.faithfulness.gold
        ? `${percent(m.faithfulness.gold.accuracy)} of ${m.faithfulness.gold.count}`
        : undefined,
  ],
  [
    'LLM judge: yes',
    (m) =>
      m.faithfulness.judge
        ? `${percent(m.faithfulness.judge.score)} of ${m.faithfulness.judge.sampled}`
        : undefined,
  ],
  ['vocabulary', (m) => String(m.text.vocabulary)],
  ['mean words', (m) => fixed(m.text.meanWords, 1)],
  ['distinct-1', (m) => fixed(m.text.distinct1)],
  ['distinct-2', (m) => fixed(m.text.distinct2)],
  ['distinct-3', (m) => fixed(m.text.distinct3)],
  ['entropy-1 (bits)', (m) => fixed(m.text.entropy1, 2)],
  ['entropy-2 (bits)', (m) => fixed(m.text.entropy2, 2)],
  ['self-BLEU (lower: diverse)', (m) => fixed(m.text.selfBleu)],
  ['embedding cosine (lower: diverse)', (m) => fixed(m.text.embeddingCosine)],
];

/** No tables nor columns read, and no schema known: a task whose programs read none (not SQL). */
const readsNothing = (m: DatasetMetrics) =>
  m.programs.tables === 0 &&
  m.programs.columns === 0 &&
  m.programs.tableCoverage === undefined &&
  m.programs.columnCoverage === undefined;

/** Rows of the programs: the task's breakdown levels, tables and columns (when it reports them), templates. */
const programRows = (breakdown: DatasetMetrics['programs']['breakdown']): Row[] => [
  // the shares of the task's breakdown levels (SQL: hardness easy ... extra), when it has a breakdown
  ...(breakdown ? [...breakdown.levels, 'unknown'] : []).map(
    (level): Row => [`${breakdown!.feature} ${level}`, (m) => percent(m.programs.hardness[level])],
  ),
  [
    'tables used',
    (m) =>
      readsNothing(m)
        ? undefined
        : `${m.programs.tables}${m.programs.tableCoverage === undefined ? '' : ` (${percent(m.programs.tableCoverage)})`}`,
  ],
  [
    'columns used',
    (m) =>
      readsNothing(m)
        ? undefined
        : `${m.programs.columns}${m.programs.columnCoverage === undefined ? '' : ` (${percent(m.programs.columnCoverage)})`}`,
  ],
  ['distinct templates', (m) => `${m.programs.templates} (${percent(m.programs.templateRatio)})`],
  ['distinct programs', (m) => String(m.programs.distinctPrograms)],
  ['distinct normal forms', (m) => `${m.programs.normalForms} (${percent(m.programs.normalFormRatio)})`],
  ['program tokens (mean)', (m) => fixed(m.programs.meanTokens, 1)],
  ['program distinct-1', (m) => fixed(m.programs.tokenDistinct1)],
  ['program distinct-2', (m) => fixed(m.programs.tokenDistinct2)],
  ['program distinct-3', (m) => fixed(m.programs.tokenDistinct3)],
];

/** Render a dataset evaluation as a plain-text table, the reference in a second column. */
export function formatDatasetEvaluation(evaluation: DatasetEvaluation): string {
  const columns = [evaluation.dataset, ...(evaluation.reference ? [evaluation.reference] : [])];
  const clauses = new Set(columns.flatMap((metrics) => Object.keys(metrics.programs.clauses)));
  const rows: Row[] = [
    ...ROWS,
    ...programRows(evaluation.dataset.programs.breakdown),
    ...[...clauses]
      .sort()
      .map((clause): Row => [`clause ${clause}`, (m) => percent(m.programs.clauses[clause] ?? 0)]),
  ];
  const header = ['metric', 'dataset', ...(evaluation.reference ? ['reference'] : [])];
  const body = rows
    .map(([name, get]) => [name, ...columns.map((metrics) => get(metrics) ?? '-')])
    .filter((cells) => cells.slice(1).some((cell) => cell !== '-'));
  const widths = header.map((_, index) =>
    Math.max(...[header, ...body].map((cells) => cells[index]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!)))
      .join('  ');
  return [line(header), ...body.map(line)].join('\n');
}
