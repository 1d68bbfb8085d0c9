export type { AdaptiveConcurrencyOptions } from './adaptive-concurrency.js';
export type { CircuitBreakerOptions } from './circuit-breaker.js';
export { realClock, type SchedulerClock } from './clock.js';
export type { RateLimitOptions } from './rate-limiter.js';
export type { RetryOptions } from './retry.js';
export { createScheduler, type Scheduler, type SchedulerOptions } from './scheduler.js';
export type { SchedulerStats } from './scheduler-stats.js';
