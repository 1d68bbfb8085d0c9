export { writeLinesAtomically, writeTextAtomically } from './atomic-file.js';
export { assertReadableFile, countLines, type JsonlLine, parseJsonlLine, readJsonl } from './jsonl.js';
export {
  checkOutputFile,
  describeWriteFailure,
  makeOutputFolder,
  removeStaleTemporaries,
  systemErrorCode,
} from './output-path.js';
