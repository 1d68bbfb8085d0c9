/**
 * A verify worker thread: it takes chunks of input lines and verifies each example where it is,
 * running the SQL on its own guarded connections (no round trip per statement), and answers with
 * the output lines and their counts. It loads its modules as soon as it starts; what to verify with
 * comes in the first message, so a caller can start threads before it has parsed its options.
 */
import { parentPort } from 'node:worker_threads';
import { chunkHandler } from './chunk-verifier.js';
import type { VerifyWorkerMessage } from './protocol.js';

const port = parentPort!;
const handler = chunkHandler((message: VerifyWorkerMessage) => port.postMessage(message));
port.on('message', (message) => handler.handle(message));
