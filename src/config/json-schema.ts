import { z } from 'zod';
import { generateConfigSchema } from './generate-config.js';

/**
 * The JSON Schema of a `symgen generate` YAML file, for editors (YAML language servers read it
 * from a `$schema` key or a `# yaml-language-server: $schema=...` comment). Describes the input
 * side: fields with defaults are optional.
 */
export function generateConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(generateConfigSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'symgen generate configuration',
  };
}

/** The schema file's text as shipped in `schema/symgen-config.schema.json`. */
export function generateConfigJsonSchemaText(): string {
  return `${JSON.stringify(generateConfigJsonSchema(), null, 2)}\n`;
}
