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
export {
  createScriptedTaskModel,
  PROSE_ANSWER,
  type ScriptedItem,
  type ScriptedKind,
  type ScriptedTaskModelOptions,
  scriptedKind,
} from './scripted-task-model.js';
export { writeTinyLlamaGguf } from './tiny-gguf.js';
export { createVirtualClock, type VirtualClock } from './virtual-clock.js';
