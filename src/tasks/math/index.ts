/**
 * The math task (GSM8K-style program-of-thought, Cobbe et al. 2021; Chen et al. 2022): a word
 * problem to a Python program that computes the answer.
 * - Input: model text holding code (fenced or after prose).
 * - Output: the program's numeric answer, computed in the bubblewrap sandbox: the variable
 *   `answer` (or `result`), else the value of `solution()`, else the last number it prints.
 * - Equal: answers equal within 1e-6 of one whole number, or to 8 significant digits (`numericKey`).
 * - Evaluate: accuracy against the gold number after `#### ` (GSM8K's `answer` field).
 */

import type { PythonExecutorOptions } from '../../sandbox/python/lazy-sandbox.js';
import { extractPython, normalisePython, pythonFeatures } from '../shared/extract-python.js';
import type { TaskPlugin } from '../spec.js';
import { mathGeneration } from './generation.js';
import { createMathExecutor } from './math-executor.js';
import { goldAnswer, numericKey } from './numeric.js';

export { sampleMath } from './generation.js';
export { createMathExecutor } from './math-executor.js';
export { ANSWER_DIGITS, goldAnswer, numericKey, parseAnswerNumber } from './numeric.js';
export { programFromRationale } from './rationale-program.js';
export { describeMathProgram, sampleMathProgram } from './sample-program.js';

/** The math task plugin. */
export const mathTask: TaskPlugin<PythonExecutorOptions> = {
  id: 'math',
  description: 'programs that compute the numeric answer of a word problem (GSM8K program-of-thought)',
  extract: extractPython,
  normalise: normalisePython,
  createExecutor: (options) => createMathExecutor(options),
  features(program) {
    const code = normalisePython(program);
    return {
      ...pythonFeatures(program),
      operations: (code.match(/[+\-*/%](?!=)/g) ?? []).length,
    };
  },
  ...mathGeneration,
  reference(record) {
    if (typeof record.answer === 'string') {
      const gold =
        goldAnswer(record.answer) ??
        (/^\s*-?[\d,.]+\s*$/.test(record.answer) ? goldAnswer(`#### ${record.answer}`) : null);
      if (gold !== null) return { key: numericKey(gold), display: String(gold) };
    }
    if (typeof record.answer === 'number')
      return { key: numericKey(record.answer), display: String(record.answer) };
    const program = record.program ?? record.code;
    return typeof program === 'string' ? { program } : null;
  },
};
