export { type FixtureLimits, readFixtureDirectory } from './read-fixture.js';
export { type BashCandidate, type BashResult, fileStateKey, runBash } from './run-bash.js';
