// Child process for bench/llm-throughput.bench.ts: runs the LLM test server so that the bench
// process's CPU time is the client's alone. Options come as JSON in argv[2]; the port goes back
// over IPC.
import { createLlmTestServer } from '../src/testing/index.js';

const server = await createLlmTestServer(JSON.parse(process.argv[2] ?? '{}'));
process.send?.({ baseURL: server.baseURL });
process.on('message', async () => {
  await server.close();
  process.exit(0);
});
