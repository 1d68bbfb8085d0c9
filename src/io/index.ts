export { writeLinesAtomically, writeTextAtomically } from './atomic-file.js';
export { assertReadableFile, countLines, type JsonlLine, readJsonl } from './jsonl.js';
