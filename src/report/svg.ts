import { escapeHtml, formatNumber } from './html.js';

/** One bar of a chart; `compare` draws a second, lighter bar beside it (the reference). */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly compare?: number;
  /** Text printed at the end of the bar. @default the value */
  readonly text?: string;
  readonly compareText?: string;
}

const COLOURS = { main: '#2563eb', compare: '#f59e0b', axis: '#94a3b8', text: '#0f172a', muted: '#64748b' };

/**
 * Horizontal bar chart as inline SVG (no script, no external resources). With `compare` values, each
 * row has two bars: the dataset's and the reference's, with a legend.
 */
export function horizontalBars(
  bars: readonly Bar[],
  options: { title: string; legend?: [string, string]; max?: number; width?: number },
): string {
  const width = options.width ?? 640;
  const labelWidth = 170;
  // Room for the longest text printed after a bar (about 6.5 px a character at 11 px).
  const valueWidth = Math.max(
    50,
    ...bars.map((bar) => 10 + 6.5 * Math.max((bar.text ?? '').length || 6, (bar.compareText ?? '').length)),
  );
  const plotWidth = width - labelWidth - valueWidth;
  const paired = bars.some((bar) => bar.compare !== undefined);
  const rowHeight = paired ? 34 : 24;
  const top = options.legend ? 26 : 6;
  const height = top + bars.length * rowHeight + 6;
  const max = options.max ?? Math.max(1e-9, ...bars.flatMap((bar) => [bar.value, bar.compare ?? 0]));
  const scale = (value: number) => Math.max(0, (value / max) * plotWidth);
  const parts: string[] = [];
  if (options.legend) {
    parts.push(
      `<rect x="${labelWidth}" y="6" width="12" height="12" fill="${COLOURS.main}"/><text x="${labelWidth + 18}" y="16" class="legend">${escapeHtml(options.legend[0])}</text>`,
      `<rect x="${labelWidth + 150}" y="6" width="12" height="12" fill="${COLOURS.compare}"/><text x="${labelWidth + 168}" y="16" class="legend">${escapeHtml(options.legend[1])}</text>`,
    );
  }
  bars.forEach((bar, index) => {
    const y = top + index * rowHeight;
    const barHeight = paired ? 13 : 16;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + (paired ? 17 : 13)}" text-anchor="end" class="label">${escapeHtml(bar.label)}</text>`,
      `<rect class="bar" x="${labelWidth}" y="${y + 2}" width="${scale(bar.value).toFixed(1)}" height="${barHeight}" fill="${COLOURS.main}"><title>${escapeHtml(`${bar.label}: ${bar.text ?? formatNumber(bar.value, 3)}`)}</title></rect>`,
      `<text x="${labelWidth + scale(bar.value) + 4}" y="${y + 13}" class="value">${escapeHtml(bar.text ?? formatNumber(bar.value, 3))}</text>`,
    );
    if (bar.compare !== undefined) {
      const compareText = bar.compareText ?? formatNumber(bar.compare, 3);
      parts.push(
        `<rect class="bar compare" x="${labelWidth}" y="${y + 2 + barHeight + 1}" width="${scale(bar.compare).toFixed(1)}" height="${barHeight}" fill="${COLOURS.compare}"><title>${escapeHtml(`${bar.label} (reference): ${compareText}`)}</title></rect>`,
        `<text x="${labelWidth + scale(bar.compare) + 4}" y="${y + 2 + 2 * barHeight}" class="value muted">${escapeHtml(compareText)}</text>`,
      );
    }
  });
  parts.push(
    `<line x1="${labelWidth}" y1="${top - 2}" x2="${labelWidth}" y2="${height - 4}" stroke="${COLOURS.axis}"/>`,
  );
  return svg(width, height, options.title, parts);
}

/** Vertical histogram as inline SVG, one bar per bin, labelled under the axis. */
export function histogram(
  bins: readonly { label: string; value: number }[],
  options: { title: string; width?: number; height?: number },
): string {
  const width = options.width ?? 640;
  const height = options.height ?? 220;
  const left = 40;
  const bottom = 28;
  const top = 14;
  const plotHeight = height - top - bottom;
  const slot = (width - left - 10) / Math.max(1, bins.length);
  const max = Math.max(1, ...bins.map((bin) => bin.value));
  const parts: string[] = [
    `<line x1="${left}" y1="${top + plotHeight}" x2="${width - 10}" y2="${top + plotHeight}" stroke="${COLOURS.axis}"/>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end" class="value muted">${formatNumber(max)}</text>`,
    `<text x="${left - 6}" y="${top + plotHeight}" text-anchor="end" class="value muted">0</text>`,
  ];
  bins.forEach((bin, index) => {
    const barHeight = (bin.value / max) * plotHeight;
    const x = left + index * slot + 3;
    parts.push(
      `<rect class="bar" x="${x.toFixed(1)}" y="${(top + plotHeight - barHeight).toFixed(1)}" width="${(slot - 6).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${COLOURS.main}"><title>${escapeHtml(`${bin.label}: ${formatNumber(bin.value)}`)}</title></rect>`,
      `<text x="${(x + (slot - 6) / 2).toFixed(1)}" y="${height - 10}" text-anchor="middle" class="tick">${escapeHtml(bin.label)}</text>`,
    );
    if (bin.value > 0) {
      parts.push(
        `<text x="${(x + (slot - 6) / 2).toFixed(1)}" y="${(top + plotHeight - barHeight - 3).toFixed(1)}" text-anchor="middle" class="value">${formatNumber(bin.value)}</text>`,
      );
    }
  });
  return svg(width, height, options.title, parts);
}

function svg(width: number, height: number, title: string, parts: readonly string[]): string {
  return `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>${parts.join('')}</svg>`;
}
