#!/usr/bin/env node
// Until the CLI has loaded and installed its own handling, Ctrl-C or SIGTERM end it with exit 2
// (nothing has been written yet) instead of Node's 130 or 143.
const early = (signal) => {
  process.stderr.write(`symgen: stopped by ${signal} while starting; nothing was written\n`);
  process.exit(2);
};
process.on('SIGINT', early);
process.on('SIGTERM', early);
const { main } = await import('../dist/cli/main.js');
process.removeListener('SIGINT', early);
process.removeListener('SIGTERM', early);
process.exitCode = await main(process.argv.slice(2));
