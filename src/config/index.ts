export {
  type GenerateConfig,
  type GenerateConfigInput,
  generateConfigSchema,
  knowledgeConfigSchema,
  type SamplingConfig,
  samplingConfigSchema,
  type TemplateConfig,
  templateConfigSchema,
} from './generate-config.js';
export { generateConfigJsonSchema, generateConfigJsonSchemaText } from './json-schema.js';
export {
  type ConfigOverrides,
  loadGenerateConfig,
  mergeConfig,
  parseGenerateConfig,
  readConfigFile,
} from './load-config.js';
