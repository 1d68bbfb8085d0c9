// llm
export {
  createFakeProvider,
  type FakeProvider,
  type FakeProviderCall,
  type FakeResponse,
} from './fake-provider.js';
export {
  createLlmTestServer,
  type LlmTestServer,
  type LlmTestServerOptions,
  type RecordedRequest,
  type TestServerReply,
} from './llm-test-server.js';
export { startTestRedisServer, type TestRedisServer } from './redis-server.js';
export { createScriptedCandidateModel, type ScriptedQuestion } from './scripted-candidates.js';
export {
  createScriptedTaskModel,
  PROSE_ANSWER,
  type ScriptedItem,
  type ScriptedKind,
  type ScriptedTaskModelOptions,
  scriptedKind,
} from './scripted-task-model.js';
// tasks: the contract suite every task plugin passes (test functions passed in: vitest is not a dependency)
export {
  type ContractTestApi,
  describeTaskContract,
  type TaskContractCases,
} from './task-contract.js';
export { writeTinyLlamaGguf } from './tiny-gguf.js';
export { createVirtualClock, type VirtualClock } from './virtual-clock.js';
