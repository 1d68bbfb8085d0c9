import type { DatasetExample } from '../dataset/index.js';

/** Settings of {@link computeWeights}. */
export interface WeightOptions {
  readonly confidencePower: number;
  readonly rarityPower: number;
}

/**
 * Per-example weights from confidence and rarity: `confidence^a * (1 / templateCount)^b`, scaled so
 * the weights average 1 (a trainer's loss keeps its scale). An example without a confidence counts
 * as fully confident; its template is the task's `template` of its program (SQL: literals replaced), so
 * the hundredth `SELECT ... WHERE state_name = ?` weighs less than a rare shape. With `mix`, each
 * weight is also multiplied by its factor toward a target mix (`mixFactors`, same order as
 * `examples`: the task's `mix.weights`).
 */
export function computeWeights(
  examples: readonly DatasetExample[],
  options: WeightOptions,
  template: (program: string) => string = (program) => program,
  mixFactors?: readonly number[],
): number[] {
  if (examples.length === 0) return [];
  const factors = mixFactors;
  const templates = examples.map((example) => template(example.program));
  const counts = new Map<string, number>();
  for (const template of templates) counts.set(template, (counts.get(template) ?? 0) + 1);
  const raw = examples.map((example, index) => {
    const confidence = Math.max(example.confidence ?? 1, 1e-3);
    const count = counts.get(templates[index]!)!;
    return (
      confidence ** options.confidencePower * (1 / count) ** options.rarityPower * (factors?.[index] ?? 1)
    );
  });
  const mean = raw.reduce((sum, value) => sum + value, 0) / raw.length;
  return raw.map((value) => Math.round((value / mean) * 1e4) / 1e4);
}
