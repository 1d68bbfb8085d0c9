export { describeInputIssues, type VerifyInput, verifyInputSchema } from './input.js';
export {
  parseMinVotes,
  parseVerifyOptions,
  type VerifyOptions,
  type VerifyOptionsInput,
  verifyOptionsSchema,
} from './options.js';
export { type VerifyFileOptions, type VerifySummary, verifySqlFile } from './verify-file.js';
export { type VerifiedRecord, type VerifyContext, verifyExample, verifyStream } from './verify-stream.js';
export { type VerifyTaskFileOptions, verifyTaskFile } from './verify-task-file.js';
export {
  type Cluster,
  type ClusterProgram,
  type CountMode,
  type RejectionReason,
  type SampleOutcome,
  type TieBreak,
  type VoteDecision,
  type VoteOptions,
  vote,
} from './vote.js';
