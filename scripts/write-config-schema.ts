// Writes schema/symgen-config.schema.json from the zod config schema (npm run schema).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateConfigJsonSchemaText } from '../src/config/index.js';

const target = join(import.meta.dirname, '..', 'schema', 'symgen-config.schema.json');
writeFileSync(target, generateConfigJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
