// Child process for bench/distributed.bench.ts: the scripted GeoQuery model (test/geoquery-model.ts)
// behind the LLM test server, each answer after LATENCY ms, so that the bench process's CPU time is
// the coordinator's alone. The latency comes as argv[2]; the port goes back over IPC.
import { createLlmTestServer } from '../src/testing/index.js';
import { createGeoQueryModel } from '../test/geoquery-model.js';

const latencyMs = Number(process.argv[2] ?? 0);
const model = createGeoQueryModel();
const server = await createLlmTestServer({
  respond: (request) => {
    const reply = model(request);
    return reply && { ...reply, delayMs: latencyMs };
  },
});
process.send?.({ baseURL: server.baseURL });
process.on('message', async () => {
  await server.close();
  process.exit(0);
});
