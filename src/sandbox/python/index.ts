export { ANSWER_HARNESS } from './harness.js';
export { lazySandbox, type PythonExecutorOptions } from './lazy-sandbox.js';
export { type PythonCandidate, runPython } from './run-python.js';
