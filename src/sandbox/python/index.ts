export { type PythonCandidate, runPython } from './run-python.js';
