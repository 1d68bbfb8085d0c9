export { createRandom, type Random } from '../../../random.js';
export {
  CLAUSES_BY_HARDNESS,
  CONDITION_CLAUSES,
  type ConditionClause,
  DEFAULT_CLAUSE_TARGETS,
  DEFAULT_HARDNESS_MIX,
  describeCondition,
  MAX_CLAUSES,
  type SqlCondition,
} from './condition.js';
export {
  type ConditionCoverage,
  createSqlConditionSampler,
  normaliseMix,
  parseHardnessMix,
  type SqlConditionSampler,
  type SqlConditionSamplerOptions,
} from './condition-sampler.js';
export { type MixTargetSettings, type ResolvedTarget, resolveMixTarget } from './resolve-target.js';
