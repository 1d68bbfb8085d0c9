export { sampleCacheKey } from './cache-key.js';
export { createCacheMiddleware } from './cache-middleware.js';
export { type CacheStats, openSqliteResponseCache, type ResponseCache } from './sqlite-response-cache.js';
