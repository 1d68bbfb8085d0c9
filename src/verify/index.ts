export { type CheckedInput, checkVerifyInput, type VerifyCandidate, type VerifyInput } from './input.js';
export {
  parseMinVotes,
  parseVerifyOptions,
  VERIFY_CHOICES,
  VERIFY_DEFAULTS,
  VERIFY_INTEGERS,
  type VerifyOptions,
  type VerifyOptionsInput,
} from './options.js';
export { verifyOptionsSchema } from './options-schema.js';
export { type VerifySummary, verifierProvenance } from './verify-file.js';
export {
  type RunProgram,
  type VerifiedRecord,
  type VerifyContext,
  verifyExample,
  verifyExampleSync,
  verifyStream,
} from './verify-stream.js';
export {
  type TaskVerifyFileRequest,
  type VerifyTaskFileOptions,
  verifyTaskFile,
} from './verify-task-file.js';
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
