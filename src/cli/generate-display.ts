import type { GenerateProgress } from '../generate/pipeline/index.js';

/**
 * The live line of `symgen generate` on a terminal, one segment per stage:
 * `gen_q 12/16 kept 180 | gen_a 95/180 accepted 71% | 48.2k tok $0.031 3.4 req/s 27s`.
 * Drawn at most ten times a second, only when stderr is a terminal.
 */
export class GenerateDisplay {
  private lastDraw = 0;
  private last: GenerateProgress | undefined;
  private readonly enabled: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = Boolean(stream.isTTY);
  }

  update(progress: GenerateProgress): void {
    this.last = progress;
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.stream.write(`\r\u001b[2K${formatGenerateProgress(progress)}`);
  }

  end(): void {
    if (this.enabled && this.last) this.stream.write('\r\u001b[2K');
  }
}

/** One line describing progress per stage (also used for the final summary). */
export function formatGenerateProgress(progress: GenerateProgress): string {
  const { genQ, genA, usage } = progress;
  const rate = genA.done > 0 ? `${Math.round((genA.accepted / genA.done) * 100)}%` : '-';
  const tokens = usage.promptTokens + usage.completionTokens;
  const seconds = Math.max(progress.elapsedSeconds, 1e-9);
  if (progress.mode === 'programs-first') {
    const rate = (genQ.done - progress.resumedAt.genQ) / seconds;
    return `offline ${genQ.done}/${genQ.total} examples ${rate.toFixed(1)}/s ${Math.round(progress.elapsedSeconds)}s`;
  }
  return [
    `gen_q ${genQ.done}/${genQ.total} kept ${genQ.kept}`,
    `gen_a ${genA.done}/${genA.total} accepted ${rate}`,
    `${formatCount(tokens)} tok $${usage.costUsd.toFixed(3)} ${(usage.requests / seconds).toFixed(1)} req/s ${Math.round(progress.elapsedSeconds)}s`,
  ].join(' | ');
}

function formatCount(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return String(value);
}
