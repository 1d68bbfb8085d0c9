import type { DatasetEvaluation, DatasetMetrics } from './dataset-evaluation.js';

type Row = [string, (metrics: DatasetMetrics) => string | undefined];

const fixed = (value: number | undefined, digits = 3) =>
  value === undefined ? undefined : value.toFixed(digits);
const percent = (value: number | undefined) =>
  value === undefined ? undefined : `${(value * 100).toFixed(1)}%`;

const ROWS: Row[] = [
  ['examples', (m) => String(m.faithfulness.examples)],
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
  ...(['easy', 'medium', 'hard', 'extra', 'unknown'] as const).map(
    (level): Row => [`hardness ${level}`, (m) => percent(m.programs.hardness[level])],
  ),
  [
    'tables used',
    (m) =>
      `${m.programs.tables}${m.programs.tableCoverage === undefined ? '' : ` (${percent(m.programs.tableCoverage)})`}`,
  ],
  [
    'columns used',
    (m) =>
      `${m.programs.columns}${m.programs.columnCoverage === undefined ? '' : ` (${percent(m.programs.columnCoverage)})`}`,
  ],
  ['distinct templates', (m) => `${m.programs.templates} (${percent(m.programs.templateRatio)})`],
];

/** Render a dataset evaluation as a plain-text table, the reference in a second column. */
export function formatDatasetEvaluation(evaluation: DatasetEvaluation): string {
  const columns = [evaluation.dataset, ...(evaluation.reference ? [evaluation.reference] : [])];
  const clauses = new Set(columns.flatMap((metrics) => Object.keys(metrics.programs.clauses)));
  const rows: Row[] = [
    ...ROWS,
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
