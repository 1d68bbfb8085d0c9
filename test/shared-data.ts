import { join } from 'node:path';

/**
 * Root of the public benchmark slices the tests read (`test/data`, see its README for sources and
 * licences). The repository carries them, so a fresh clone needs nothing beside it.
 */
export const SHARED_DATA = join(import.meta.dirname, 'data');
const EXAMPLES = join(import.meta.dirname, '..', 'examples');
export const GEOGRAPHY_DB = join(EXAMPLES, 'geoquery', 'geography.sqlite');
/** GeoQuery's 600 train pairs, shipped as the example's demonstrations. */
export const GEOQUERY_TRAIN = join(EXAMPLES, 'geoquery', 'train.jsonl');
export const GEOQUERY_DEV = join(SHARED_DATA, 'geoquery-sql', 'dev.jsonl');
/** The 25 Spider test databases, shipped with the Spider example. */
export const SPIDER_DATABASES = join(EXAMPLES, 'spider', 'database');
export const SPIDER_QUESTIONS = join(SHARED_DATA, 'spider-test', 'questions.jsonl');
