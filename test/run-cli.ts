// The symgen CLI from source, for tests that spawn it as a real process (and kill it).
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
