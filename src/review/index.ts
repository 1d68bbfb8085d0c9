export { buildQueue, type Queue, type QueueFilter, type QueueItem, queueItem } from './queue.js';
export { reviewPage } from './review-page.js';
export { type ReviewServer, type ReviewServerOptions, startReviewServer } from './review-server.js';
export { type RunConfig, RunTask, runConfig } from './run-task.js';
