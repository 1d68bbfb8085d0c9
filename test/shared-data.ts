import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Root of the public benchmark data beside the project (`../shared/data`). */
export const SHARED_DATA = join(import.meta.dirname, '..', '..', 'shared', 'data');
export const GEOGRAPHY_DB = join(import.meta.dirname, '..', 'examples', 'geoquery', 'geography.sqlite');
export const SPIDER_DATABASES = join(SHARED_DATA, 'spider-test', 'database');

if (!existsSync(SHARED_DATA)) {
  throw new Error(
    `the tests read public benchmark data from ${SHARED_DATA}; check out shared/ beside the project`,
  );
}
