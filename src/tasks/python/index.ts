/**
 * The Python task (MBPP-style, Austin et al. 2021): a problem statement to a Python function.
 * - Input: model text holding code (a fenced block, or code after prose).
 * - Output: the code, run in the bubblewrap sandbox (`sandbox/python`), never in symgen's process.
 * - Equal: with the example's tests (`tests` or MBPP's `test_list`), every candidate that passes
 *   them all is in one group (`pass`); without tests, candidates are equal when their function gives
 *   the same outputs on the shared inputs (the example's `inputs` and those the candidates propose;
 *   an input on which a call raises gives `!error`); when the model wrote asserts with its answers
 *   (or `generated_tests`), CodeT: candidates group by the asserts they pass and a group scores
 *   programs x asserts passed (`codet.ts`).
 * - Evaluate: pass@1 against the tests (the mean share of a problem's samples that pass).
 */

import { extractPython, normalisePython, pythonFeatures } from '../shared/extract-python.js';
import type { TaskPlugin } from '../spec.js';
import { codetScore } from './codet.js';
import { parsePythonQuestion, pythonGeneration, signatureFromTests } from './generation.js';
import { pythonEnvironment } from './python-environment.js';
import { createPythonExecutor, type PythonExecutorOptions } from './python-executor.js';

export { extractPython, normalisePython, pythonFeatures } from '../shared/extract-python.js';
export { assertsInText, codetKey, codetScore, MAX_GENERATED_TESTS, withoutAsserts } from './codet.js';
export {
  callsInText,
  MAX_SHARED_INPUTS,
  type PythonEnvironmentData,
  pythonEnvironment,
} from './python-environment.js';
export { createPythonExecutor, type PythonExecutorOptions } from './python-executor.js';
export { parsePythonQuestion, signatureFromTests };

/** The Python task plugin. */
export const pythonTask: TaskPlugin<PythonExecutorOptions> = {
  id: 'python',
  // evaluate's accuracy is the share of samples passing the problem's tests
  accuracyName: 'pass@1',
  description:
    'Python functions for problem statements (MBPP), checked by tests or by agreement on shared inputs',
  extract: extractPython,
  normalise: normalisePython,
  createExecutor: (options) => createPythonExecutor(options),
  features: pythonFeatures,
  environment: pythonEnvironment,
  score: codetScore,
  ...pythonGeneration,
  reference(record) {
    const { data } = pythonEnvironment(record);
    if (data.tests.length > 0) return { key: 'pass', display: `passes ${data.tests.length} tests` };
    const program = record.code ?? record.program;
    return typeof program === 'string' ? { program } : null;
  },
};
