// Public API of @hookproof/redis. Every export is listed here explicitly.
export { createRedisStore, DEFAULT_PREFIX, DEFAULT_COMMAND_TIMEOUT_MS } from './store.js';
export type { RedisStore, RedisStoreOptions } from './store.js';
export { RedisStoreError, isRedisStoreError } from './errors.js';
export type { RedisStoreErrorCode, RedisStoreOperation } from './errors.js';
export type { RedisClientLike, IoRedisLike, NodeRedisLike, ClientKind } from './client.js';
