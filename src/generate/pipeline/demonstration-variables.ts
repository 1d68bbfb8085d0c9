import type { Demonstration } from '../../prompt/demonstrations/index.js';

/** Demonstrations as template variables: `question`, `program` and the whole `record` of each. */
export function demonstrationVariables(demonstrations: readonly Demonstration[]) {
  return demonstrations.map((demo) => ({
    question: demo.question,
    program: demo.program,
    record: demo.record ?? {},
  }));
}
