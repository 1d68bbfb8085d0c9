import { HARDNESS_LEVELS } from '../tasks/sql/hardness.js';
import type { ExamplePair, ResultPreview } from './example-pairs.js';
import { escapeHtml, formatNumber, formatPercent } from './html.js';
import type { ReportData } from './run-data.js';
import { type Bar, histogram, horizontalBars } from './svg.js';

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #0f172a; background: #f8fafc; }
header { background: #0f172a; color: #f8fafc; padding: 28px 40px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; color: #cbd5e1; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 40px 48px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin-bottom: 24px; }
.card { background: #fff; border: 1px solid #e2e8f0; border-radius: 10px; padding: 14px 16px; }
.card .number { font-size: 26px; font-weight: 650; }
.card .what { color: #64748b; font-size: 13px; }
section { background: #fff; border: 1px solid #e2e8f0; border-radius: 10px; padding: 18px 22px; margin-bottom: 20px; }
section h2 { margin: 0 0 4px; font-size: 18px; }
section p.note { margin: 0 0 12px; color: #64748b; font-size: 13px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 18px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e2e8f0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { max-width: 100%; height: auto; }
.pair { border-top: 1px solid #e2e8f0; padding: 10px 0; }
.pair .question { font-weight: 600; }
.pair pre { margin: 6px 0; padding: 8px 10px; background: #f1f5f9; border-radius: 6px; white-space: pre-wrap; word-break: break-word; font-size: 13px; }
.pair .meta { color: #64748b; font-size: 12px; }
.pair table.preview { width: auto; font-size: 12px; margin: 4px 0; }
.pair table.preview td { padding: 2px 8px; border: 1px solid #e2e8f0; font-variant-numeric: tabular-nums; }
.pair .rejected { color: #b91c1c; font-weight: 600; }
details { margin: 6px 0; }
details summary { cursor: pointer; font-weight: 600; }
svg .label, svg .tick { font-size: 12px; fill: #334155; }
svg .value { font-size: 11px; fill: #0f172a; }
svg .muted { fill: #64748b; }
svg .legend { font-size: 12px; fill: #334155; }
footer { color: #64748b; font-size: 12px; text-align: center; padding: 16px; }
.empty { color: #64748b; font-style: italic; }
`;

/**
 * Render the report as one self-contained HTML page: inline CSS and inline SVG, no script and no
 * external resource, so it opens offline and can be mailed as a single file.
 */
export function renderReport(data: ReportData): string {
  const accepted = data.faithfulness.examples;
  const verified = data.funnel.find((stage) => stage.stage === 'questions verified')?.count ?? accepted;
  const cards: [string, string][] = [
    [formatNumber(accepted), 'accepted examples'],
    [verified > 0 ? formatPercent(accepted / verified) : '-', 'acceptance rate'],
    [
      data.faithfulness.confidence.known ? data.faithfulness.confidence.mean.toFixed(2) : '-',
      'mean confidence',
    ],
    [data.text.distinct2.toFixed(2), 'distinct-2 of questions'],
    [formatNumber(data.programs.templates), 'distinct SQL templates'],
    // An offline run used no model: no tokens and no cost to show.
    ...(offline(data)
      ? []
      : ([
          [data.usage ? formatNumber(data.usage.promptTokens + data.usage.completionTokens) : '-', 'tokens'],
          [data.usage?.costUsd !== undefined ? `$${data.usage.costUsd.toFixed(2)}` : '-', 'cost (USD)'],
        ] as [string, string][])),
    [
      formatNumber(data.review.reviewed),
      `reviewed by people (${data.review.accepted} accepted, ${data.review.rejected} rejected, ${data.review.edited} edited)`,
    ],
  ];
  const sections = [
    funnelSection(data),
    confidenceSection(data),
    examplesSection(data),
    coverageSection(data),
    diversitySection(data),
    usageSection(data),
    databaseSection(data),
    databaseExamplesSection(data),
    filesSection(data),
  ];
  const subtitle = [
    data.model,
    data.wallSeconds !== undefined ? `${formatNumber(data.wallSeconds, 1)} s of generation` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(data.title)}</h1><p>${escapeHtml(subtitle || data.runDirectory)}</p></header>
<main>
<div class="cards">${cards.map(([number, what]) => `<div class="card"><div class="number">${escapeHtml(number)}</div><div class="what">${escapeHtml(what)}</div></div>`).join('')}</div>
${sections.join('\n')}
</main>
<footer>Generated ${escapeHtml(data.generatedAt)} from ${escapeHtml(data.runDirectory)} · stats.json ${data.sources.stats ? 'read' : 'not found (figures computed from the datasets)'} · rejected.jsonl ${data.sources.rejected ? 'read' : 'not found'}${data.sources.invalidLines ? ` · ${data.sources.invalidLines} unreadable lines skipped` : ''}</footer>
</body>
</html>
`;
}

function section(id: string, title: string, note: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2><p class="note">${escapeHtml(note)}</p>${body}</section>`;
}

function reasonBars(reasons: Record<string, number>): Bar[] {
  return Object.entries(reasons)
    .sort((left, right) => right[1] - left[1])
    .map(([label, value]) => ({ label, value, text: formatNumber(value) }));
}

function funnelSection(data: ReportData): string {
  const first = data.funnel[0]?.count ?? 0;
  const funnel = horizontalBars(
    data.funnel.map((stage) => ({
      label: stage.stage,
      value: stage.count,
      text: `${formatNumber(stage.count)}${first > 0 && stage !== data.funnel[0] ? ` (${formatPercent(stage.count / first)})` : ''}`,
    })),
    { title: 'Acceptance funnel' },
  );
  const rejected = reasonBars(data.rejectedBy);
  const dropped = reasonBars(data.droppedBefore);
  return section(
    'funnel',
    'Acceptance funnel',
    'How many questions survived each stage, and why the others were dropped.',
    `${funnel}<div class="grid">${
      rejected.length
        ? `<div><h3>Rejected by the verifier</h3>${horizontalBars(rejected, { title: 'Rejections by reason' })}</div>`
        : ''
    }${dropped.length ? `<div><h3>Dropped before verification</h3>${horizontalBars(dropped, { title: 'Questions dropped by reason' })}</div>` : ''}</div>`,
  );
}

function confidenceSection(data: ReportData): string {
  const { confidence, clusters } = data.faithfulness;
  if (confidence.known === 0) {
    return section(
      'confidence',
      'Confidence',
      'Vote share of the winning result group.',
      '<p class="empty">The dataset carries no confidence values.</p>',
    );
  }
  const bins = confidence.histogram.map((value, index) => ({
    label: `${(index / 10).toFixed(1)}–${((index + 1) / 10).toFixed(1)}`,
    value,
  }));
  const clusterBars = Object.entries(clusters)
    .sort(([left], [right]) => left.localeCompare(right, 'en', { numeric: true }))
    .map(([label, value]) => ({
      label: `${label} result group${label === '1' ? '' : 's'}`,
      value,
      text: formatNumber(value),
    }));
  return section(
    'confidence',
    'Confidence histogram',
    `Vote share of the winning result group over ${formatNumber(confidence.known)} examples: mean ${confidence.mean.toFixed(3)}, median ${confidence.median.toFixed(3)}.`,
    `${histogram(bins, { title: 'Confidence histogram' })}${
      clusterBars.length
        ? `<h3>Agreement: result groups per example</h3>${horizontalBars(clusterBars, { title: 'Result groups per example' })}`
        : ''
    }`,
  );
}

/** The target mix the run aimed at and how far the accepted examples are from it. */
function mixLine(data: ReportData): string {
  const mix = data.mix;
  if (!mix) return '';
  const what = mix.programs > 0 ? `${mix.source}, ${formatNumber(mix.programs)} programs` : mix.source;
  return `<p>Target mix (${escapeHtml(what)}): divergence of the accepted examples from it: hardness ${mix.divergence.hardness.toFixed(3)} (total variation), clauses ${mix.divergence.clauses.toFixed(3)}, tables ${mix.divergence.tables.toFixed(3)} (mean absolute difference of shares).</p>`;
}

const ORIGIN_NAMES: Record<string, string> = {
  'grammar:demonstrations': "the demonstrations' grammar",
  'grammar:builtin': 'built-in question shapes',
  'programs-first': 'programs-first',
  llm: 'the model',
};

/** Where the accepted examples came from (the offline generators' parts, or the model). */
function originLine(data: ReportData): string {
  const origins = data.origins;
  if (!origins) return '';
  const parts = Object.entries(origins).map(
    ([origin, count]) => `${escapeHtml(ORIGIN_NAMES[origin] ?? origin)} ${formatNumber(count)}`,
  );
  return `<p>Accepted examples by origin: ${parts.join(', ')}.</p>`;
}

function coverageSection(data: ReportData): string {
  const reference = data.reference?.programs;
  const legend: [string, string] | undefined = reference ? ['this dataset', 'reference'] : undefined;
  const hardness = horizontalBars(
    [...HARDNESS_LEVELS, 'unknown']
      .filter((level) => level !== 'unknown' || (data.programs.hardness.unknown ?? 0) > 0)
      .map((level) => ({
        label: level,
        value: data.programs.hardness[level] ?? 0,
        text: formatPercent(data.programs.hardness[level] ?? 0),
        ...(reference
          ? {
              compare: reference.hardness[level] ?? 0,
              compareText: formatPercent(reference.hardness[level] ?? 0),
            }
          : {}),
      })),
    { title: 'Hardness levels', max: 1, ...(legend ? { legend } : {}) },
  );
  const clauseNames = [
    ...new Set([...Object.keys(data.programs.clauses), ...Object.keys(reference?.clauses ?? {})]),
  ].sort();
  const clauses = clauseNames.length
    ? horizontalBars(
        clauseNames.map((clause) => ({
          label: clause,
          value: data.programs.clauses[clause] ?? 0,
          text: formatPercent(data.programs.clauses[clause] ?? 0),
          ...(reference
            ? {
                compare: reference.clauses[clause] ?? 0,
                compareText: formatPercent(reference.clauses[clause] ?? 0),
              }
            : {}),
        })),
        { title: 'Clause coverage', max: 1, ...(legend ? { legend } : {}) },
      )
    : '<p class="empty">No clauses found.</p>';
  const coverage = (count: number, share: number | undefined) =>
    `${formatNumber(count)}${share === undefined ? '' : ` (${formatPercent(share)} of the schema)`}`;
  const rows: [string, string, string | undefined][] = [
    [
      'tables used',
      coverage(data.programs.tables, data.programs.tableCoverage),
      reference && coverage(reference.tables, reference.tableCoverage),
    ],
    [
      'columns used',
      coverage(data.programs.columns, data.programs.columnCoverage),
      reference && coverage(reference.columns, reference.columnCoverage),
    ],
    [
      'distinct templates',
      `${formatNumber(data.programs.templates)} (${formatPercent(data.programs.templateRatio)} of programs)`,
      reference && `${formatNumber(reference.templates)} (${formatPercent(reference.templateRatio)})`,
    ],
  ];
  const database = data.database
    ? data.database.missing
      ? ` The run's database ${data.database.path} is not there now: pass --db for table and column coverage.`
      : ` Tables and columns against ${data.database.from === 'run' ? "the run's database" : 'the database'} ${data.database.path}.`
    : ' Pass --db for table and column coverage.';
  return section(
    'coverage',
    'Program coverage',
    (reference
      ? `Share of programs at each Spider hardness level and using each clause, beside the reference ${data.reference!.path}.`
      : 'Share of programs at each Spider hardness level and using each clause (pass --reference to compare).') +
      database,
    `${mixLine(data)}${originLine(data)}<div class="grid"><div><h3>Hardness</h3>${hardness}</div><div><h3>Clauses</h3>${clauses}</div></div>${table(rows, reference !== undefined)}`,
  );
}

function diversitySection(data: ReportData): string {
  const reference = data.reference?.text;
  const legend: [string, string] | undefined = reference ? ['this dataset', 'reference'] : undefined;
  const metric = (label: string, value: number, compare: number | undefined): Bar => ({
    label,
    value,
    text: value.toFixed(3),
    ...(compare === undefined ? {} : { compare, compareText: compare.toFixed(3) }),
  });
  const bars: Bar[] = [
    metric('distinct-1', data.text.distinct1, reference?.distinct1),
    metric('distinct-2', data.text.distinct2, reference?.distinct2),
    metric('distinct-3', data.text.distinct3, reference?.distinct3),
    metric('self-BLEU ↓', data.text.selfBleu, reference?.selfBleu),
    ...(data.text.embeddingCosine !== undefined
      ? [metric('embedding cosine ↓', data.text.embeddingCosine, reference?.embeddingCosine)]
      : []),
  ];
  const rows: [string, string, string | undefined][] = [
    ['questions', formatNumber(data.text.texts), reference && formatNumber(reference.texts)],
    ['vocabulary', formatNumber(data.text.vocabulary), reference && formatNumber(reference.vocabulary)],
    ['mean words', data.text.meanWords.toFixed(1), reference?.meanWords.toFixed(1)],
    ['unigram entropy (bits)', data.text.entropy1.toFixed(2), reference?.entropy1.toFixed(2)],
    ['bigram entropy (bits)', data.text.entropy2.toFixed(2), reference?.entropy2.toFixed(2)],
  ];
  return section(
    'diversity',
    'Diversity of the questions',
    'Distinct-n: distinct n-grams over all n-grams (higher is more varied). Self-BLEU and mean embedding cosine between questions: lower is more varied.',
    `${horizontalBars(bars, { title: 'Diversity figures', max: 1, ...(legend ? { legend } : {}) })}${table(rows, reference !== undefined)}`,
  );
}

/** A run of the offline generator: it used no model, so it has no tokens or cost. */
function offline(data: ReportData): boolean {
  return data.mode === 'programs-first';
}

function usageSection(data: ReportData): string {
  if (offline(data)) return '';
  if (!data.usage) {
    return section(
      'usage',
      'Tokens and cost',
      'Model usage of the run.',
      '<p class="empty">No token accounting in this run (stats.json missing, or the offline generator used no model).</p>',
    );
  }
  const { usage } = data;
  const stages = Object.entries(usage.byStage);
  const bars = stages.length
    ? horizontalBars(
        stages.map(([stage, value]) => ({
          label: stage,
          value: value.promptTokens + value.completionTokens,
          text: `${formatNumber(value.promptTokens + value.completionTokens)} tokens${value.costUsd !== undefined ? `, $${value.costUsd.toFixed(2)}` : ''}`,
        })),
        { title: 'Tokens by stage' },
      )
    : '';
  const rows: [string, string, undefined][] = [
    ...(usage.requests !== undefined
      ? [['requests', formatNumber(usage.requests), undefined] as [string, string, undefined]]
      : []),
    ['prompt tokens', formatNumber(usage.promptTokens), undefined],
    ['completion tokens', formatNumber(usage.completionTokens), undefined],
    ...(usage.cachedTokens !== undefined
      ? [['cached prompt tokens', formatNumber(usage.cachedTokens), undefined] as [string, string, undefined]]
      : []),
    ...(usage.cacheWriteTokens
      ? [
          ['prompt tokens written to cache', formatNumber(usage.cacheWriteTokens), undefined] as [
            string,
            string,
            undefined,
          ],
        ]
      : []),
    ...(usage.truncated !== undefined
      ? [
          [
            'samples cut off at the token limit (not voted)',
            `${formatNumber(usage.truncated)}${stages
              .filter(([, value]) => (value.truncated ?? 0) > 0)
              .map(([stage, value]) => ` (${stage}: ${value.truncated} of ${value.samples ?? '?'})`)
              .join('')}`,
            undefined,
          ] as [string, string, undefined],
        ]
      : []),
    ...(usage.costUsd !== undefined
      ? [['cost (USD)', `$${usage.costUsd.toFixed(4)}`, undefined] as [string, string, undefined]]
      : []),
    ...(usage.costUsd !== undefined && data.faithfulness.examples > 0
      ? [
          [
            'cost per accepted example',
            `$${(usage.costUsd / data.faithfulness.examples).toFixed(5)}`,
            undefined,
          ] as [string, string, undefined],
        ]
      : []),
  ];
  return section(
    'usage',
    'Tokens and cost',
    'Model usage of the run, by stage.',
    `${bars}${table(rows, false)}`,
  );
}

function databaseSection(data: ReportData): string {
  const entries = Object.entries(data.byDatabase).sort(([left], [right]) => left.localeCompare(right));
  if (entries.length === 0) return '';
  const rows = entries
    .map(
      ([dbId, entry]) =>
        `<tr><td>${escapeHtml(dbId)}</td><td class="num">${formatNumber(entry.quota)}</td><td class="num">${formatNumber(entry.questions)}</td><td class="num">${formatNumber(entry.accepted)}</td><td class="num">${formatNumber(entry.rejected)}</td></tr>`,
    )
    .join('');
  return section(
    'databases',
    'By database',
    'Questions asked for, made, accepted and rejected on each database.',
    `<table><thead><tr><th>database</th><th class="num">asked for</th><th class="num">questions</th><th class="num">accepted</th><th class="num">rejected</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

function table(rows: readonly [string, string, string | undefined][], withReference: boolean): string {
  return `<table><thead><tr><th>figure</th><th class="num">this dataset</th>${withReference ? '<th class="num">reference</th>' : ''}</tr></thead><tbody>${rows
    .map(
      ([name, value, reference]) =>
        `<tr><td>${escapeHtml(name)}</td><td class="num">${escapeHtml(value)}</td>${withReference ? `<td class="num">${escapeHtml(reference ?? '-')}</td>` : ''}</tr>`,
    )
    .join('')}</tbody></table>`;
}

const PREVIEW_ROWS = 5;
/** Rows shown of each result group of a rejected example (several groups are shown). */
const GROUP_PREVIEW_ROWS = 3;
const CELL_CHARACTERS = 60;

function previewTable(preview: ResultPreview | undefined, limit = PREVIEW_ROWS): string {
  if (!preview) return '<div class="meta">no result preview recorded</div>';
  if (preview.rows.length === 0) return '<div class="meta">result: no rows</div>';
  const cell = (value: unknown) => {
    const text = value === null ? 'NULL' : typeof value === 'string' ? value : JSON.stringify(value);
    return escapeHtml(text.length > CELL_CHARACTERS ? `${text.slice(0, CELL_CHARACTERS - 1)}…` : text);
  };
  const shown = preview.rows.slice(0, limit);
  const size = preview.size ?? preview.rows.length;
  const more = size > shown.length ? `<div class="meta">${formatNumber(size)} rows in all</div>` : '';
  return `<table class="preview"><tbody>${shown
    .map((row) => `<tr>${row.map((value) => `<td>${cell(value)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>${more}`;
}

function pairHtml(pair: ExamplePair): string {
  const votes =
    pair.votes !== undefined && pair.total !== undefined
      ? ` (${formatNumber(pair.votes)} of ${formatNumber(pair.total)} votes)`
      : '';
  const meta = [
    pair.dbId,
    pair.hardness,
    pair.confidence !== undefined ? `confidence ${pair.confidence.toFixed(2)}${votes}` : undefined,
    `id ${pair.id}`,
  ]
    .filter(Boolean)
    .map((part) => escapeHtml(part!))
    .join(' · ');
  const status =
    pair.status === 'rejected'
      ? `<span class="rejected">rejected: ${escapeHtml(pair.reason ?? 'no reason given')}</span> · `
      : '';
  const program = pair.program ? `<pre><code>${escapeHtml(pair.program)}</code></pre>` : '';
  const body =
    pair.status === 'accepted'
      ? previewTable(pair.preview)
      : `${pair.groups
          .map(
            (group, index) =>
              `<div class="meta">result group ${index + 1}: ${formatNumber(group.votes)} vote${group.votes === 1 ? '' : 's'}${group.program && group.program !== pair.program ? `, e.g. ${escapeHtml(group.program)}` : ''}</div>${previewTable(group.preview, GROUP_PREVIEW_ROWS)}`,
          )
          .join(
            '',
          )}${pair.errors.map((error) => `<div class="meta">error: ${escapeHtml(error)}</div>`).join('')}`;
  return `<div class="pair" data-status="${pair.status}"><div class="question">${escapeHtml(pair.question)}</div>${program}${body}<div class="meta">${status}${meta}</div></div>`;
}

function examplesSection(data: ReportData): string {
  const { acceptedByHardness, hardnessCounts, lowestConfidence, rejected } = data.examples;
  const levels = Object.keys(acceptedByHardness);
  if (levels.length === 0 && rejected.length === 0)
    return section(
      'examples',
      'Example pairs',
      'Questions with their programs.',
      '<p class="empty">No examples.</p>',
    );
  const byLevel = levels
    .map(
      (level) =>
        `<details open><summary>${escapeHtml(level)}: ${formatNumber(acceptedByHardness[level]!.length)} of ${formatNumber(hardnessCounts[level] ?? 0)} accepted</summary>${acceptedByHardness[level]!.map(pairHtml).join('')}</details>`,
    )
    .join('');
  const lowest = lowestConfidence.length
    ? lowestConfidence.map(pairHtml).join('')
    : '<p class="empty">Every accepted example has confidence 1 (or none is recorded).</p>';
  const rejectedHtml = rejected.length
    ? rejected.map(pairHtml).join('')
    : '<p class="empty">No example was rejected.</p>';
  return section(
    'examples',
    'Example pairs',
    'Questions with their programs and the first rows of their results: accepted ones at each hardness level, the accepted ones the vote was least sure of, and rejected ones with why.',
    `<h3>Accepted, by hardness level</h3>${byLevel}<h3>Lowest confidence</h3>${lowest}<h3>Rejected</h3>${rejectedHtml}`,
  );
}

function databaseExamplesSection(data: ReportData): string {
  const databases = data.examples.byDatabase;
  if (databases.length === 0) return '';
  const open = databases.length <= 3 ? ' open' : '';
  const blocks = databases
    .map((entry) => {
      const name = entry.dbId || '(no database named)';
      const lowest =
        entry.lowest && !entry.examples.includes(entry.lowest)
          ? `<h4>Lowest confidence</h4>${pairHtml(entry.lowest)}`
          : '';
      return `<details${open}><summary>${escapeHtml(name)}: ${formatNumber(entry.accepted)} accepted, ${formatNumber(entry.rejectedCount)} rejected</summary>${entry.examples.map(pairHtml).join('')}${lowest}${entry.rejected.length ? `<h4>Rejected</h4>${entry.rejected.map(pairHtml).join('')}` : ''}</details>`;
    })
    .join('');
  return section(
    'examples-by-database',
    'Example pairs by database',
    'A few accepted examples of each database, its least sure one, and rejected ones.',
    blocks,
  );
}

function filesSection(data: ReportData): string {
  if (data.files.length === 0) return '';
  const rows = data.files
    .map(
      (file) =>
        `<tr><td><a href="${escapeHtml(file.href)}">${escapeHtml(file.name)}</a></td><td>${escapeHtml(file.what)}</td><td class="num">${escapeHtml(formatBytes(file.bytes))}</td></tr>`,
    )
    .join('');
  return section(
    'files',
    'Data files',
    'The files of this run, linked from where this page is.',
    `<table><thead><tr><th>file</th><th>what it holds</th><th class="num">size</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, 1)} KiB`;
  return `${formatNumber(bytes / 1024 / 1024, 1)} MiB`;
}
