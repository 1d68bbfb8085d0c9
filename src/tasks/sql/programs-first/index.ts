export { buildProgram } from './build-program.js';
export {
  generateProgramsFirst,
  type ProgramRejection,
  type ProgramsFirstExample,
  type ProgramsFirstOptions,
  type QuestionRewriter,
} from './generate.js';
export { inferJoins, type JoinEdge } from './join-inference.js';
export { columnWords, pluralize, singularize, splitWords, tableNoun } from './names.js';
export {
  type ColumnProfile,
  type ColumnRole,
  type DatabaseProfile,
  profileDatabase,
  type TableProfile,
} from './profile.js';
export { type Program, renderSql, type SelectQuery, type SetQuery } from './program.js';
export { realiseQuestion } from './realise.js';
export { type DegenerateReason, degenerateReason, type ProgramRun, runProgram } from './run-program.js';
