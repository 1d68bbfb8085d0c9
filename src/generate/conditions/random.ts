// The seeded generator is symgen's one (src/random.ts); re-exported here for the samplers' imports.
export { createRandom, type Random } from '../../random.js';
