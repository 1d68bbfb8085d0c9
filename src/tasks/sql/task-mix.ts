/**
 * The SQL task's mix part (the contract's `mix`): Spider hardness levels, clauses and tables, measured
 * with `sqlFeatures`, resolved from demonstrations, a reference or Spider's mix, and matched by raking.
 */
import type { TaskMix } from '../spec.js';
import { parseHardnessMix } from './conditions/condition-sampler.js';
import { type MixTargetSettings, resolveMixTarget } from './conditions/resolve-target.js';
import type { SqlFeatures } from './features.js';
import {
  type MixTarget,
  type MixWeightOptions,
  measureMix,
  mixDivergence,
  mixWeights,
  remainingMix,
} from './mix.js';

export const sqlMix: TaskMix = {
  async target(settings, demonstrations) {
    const resolved = await resolveMixTarget(settings as MixTargetSettings, demonstrations);
    return {
      source: resolved.source,
      target: resolved.target,
      forSource: (sourceId) => resolved.forDatabase(sourceId),
    };
  },
  measure: (features, weights) => measureMix(features as unknown as readonly SqlFeatures[], weights),
  divergence: (target, produced) => ({
    ...mixDivergence(target as unknown as MixTarget, produced as unknown as MixTarget),
  }),
  weights: (features, target, options) =>
    mixWeights(
      features as unknown as readonly SqlFeatures[],
      target as unknown as MixTarget,
      options as MixWeightOptions | undefined,
    ),
  remaining: (target, made, quota) =>
    remainingMix(target as unknown as MixTarget, made as unknown as readonly SqlFeatures[], quota),
  aim: (target) => {
    const mix = target as unknown as MixTarget;
    return { hardnessMix: mix.hardness, clauseTargets: mix.clauses, tableTargets: mix.tables };
  },
  parse: (text) => ({ hardnessMix: parseHardnessMix(text) }),
};
