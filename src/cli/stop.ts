import { removeLiveTemporaries } from '../io/atomic-file.js';

type StopHandler = (signal: NodeJS.Signals) => void;
const handlers = new Set<StopHandler>();
let stops = 0;

/**
 * Lets a long command stop cleanly on SIGINT or SIGTERM (a generate run saves its state and tells how
 * to resume). Returns a function that removes the handler.
 */
export function onStop(handler: StopHandler): () => void {
  handlers.add(handler);
  return () => handlers.delete(handler);
}

/**
 * Installs the CLI's SIGINT and SIGTERM handling: a command with a stop handler is asked to stop
 * (a second signal ends the process at once); any other command ends at once. Either way the exit
 * code is 2, the temporary files of unfinished atomic writes are removed, and the outputs are left
 * as they were before the command started.
 */
export function installStopSignals(command: string): () => void {
  const stop = (signal: NodeJS.Signals) => {
    stops++;
    if (handlers.size > 0 && stops === 1) {
      for (const handler of handlers) handler(signal);
      return;
    }
    removeLiveTemporaries();
    process.stderr.write(
      `symgen${command ? ` ${command}` : ''}: stopped by ${signal}; no output file was half-written\n`,
    );
    process.exit(2);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return () => {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  };
}
