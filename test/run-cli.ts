// The symgen CLI from source, for tests that spawn it as a real process (and kill it); starts as
// bin/symgen.js does (a signal while loading exits 2).
const early = (signal: NodeJS.Signals) => {
  process.stderr.write(`symgen: stopped by ${signal} while starting; nothing was written\n`);
  process.exit(2);
};
process.on('SIGINT', early);
process.on('SIGTERM', early);
const { main } = await import('../src/cli/main.js');
process.removeListener('SIGINT', early);
process.removeListener('SIGTERM', early);
process.exitCode = await main(process.argv.slice(2));
