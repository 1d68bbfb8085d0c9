// process sandbox (Python and Bash under bubblewrap)
export * from './bash/index.js';
export * from './process/index.js';
export * from './python/index.js';
