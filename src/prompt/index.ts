export {
  SqlKnowledge,
  type SqlKnowledgeOptions,
  type SqlKnowledgeView,
} from '../tasks/sql/knowledge.js';
export {
  buildValueIndex,
  normaliseText,
  type ValueIndex,
  type ValueIndexOptions,
  type ValueMatch,
} from '../tasks/sql/value-index.js';
export { defaultGenATemplate, defaultGenQTemplate } from './default-templates.js';
export * from './demonstrations/index.js';
export { createKnowledgeCache, type KnowledgeCache, PLAIN_KNOWLEDGE } from './knowledge-cache.js';
export { compilePromptTemplate, type PromptTemplate, promptHash } from './prompt-template.js';
export { sampleWithoutReplacement, seededRandom, seedFrom } from './seed.js';
