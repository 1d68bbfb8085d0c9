import type { DatasetExample } from '../dataset/index.js';
import type { SqlFeatures } from '../tasks/sql/features.js';
import { type MixTarget, type MixWeightOptions, mixWeights } from '../tasks/sql/mix.js';

/** Settings of {@link computeWeights}. */
export interface WeightOptions {
  readonly confidencePower: number;
  readonly rarityPower: number;
}

/** A target mix to re-weight toward, with the features of the examples (same order). */
export interface MixWeighting {
  readonly target: MixTarget;
  readonly features: readonly SqlFeatures[];
  readonly options?: MixWeightOptions;
}

/**
 * Per-example weights from confidence and rarity: `confidence^a * (1 / templateCount)^b`, scaled so
 * the weights average 1 (a trainer's loss keeps its scale). An example without a confidence counts
 * as fully confident; its template is the task's `template` of its program (SQL: literals replaced), so
 * the hundredth `SELECT ... WHERE state_name = ?` weighs less than a rare shape. With `mix`, each
 * weight is also multiplied by its raking factor toward the target mix (`mixWeights`).
 */
export function computeWeights(
  examples: readonly DatasetExample[],
  options: WeightOptions,
  template: (program: string) => string = (program) => program,
  mix?: MixWeighting,
): number[] {
  if (examples.length === 0) return [];
  const factors = mix ? mixWeights(mix.features, mix.target, mix.options) : undefined;
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
