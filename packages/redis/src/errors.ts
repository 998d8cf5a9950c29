export type RedisStoreOperation = 'claim' | 'complete' | 'release';

/**
 * - `redis_error`: the client rejected the command (Redis down, connection closed,
 *   offline queue disabled, WRONGTYPE, auth, ...); `cause` is the client's error.
 * - `redis_timeout`: no reply within `commandTimeoutMs`.
 * - `unexpected_reply`: the claim script answered something other than its three states.
 */
export type RedisStoreErrorCode = 'redis_error' | 'redis_timeout' | 'unexpected_reply';

/**
 * Why a store operation failed. The receiver turns a failed `claim` into a 503
 * `store_unavailable` (the vendor retries; nothing is acknowledged unprocessed) and
 * keeps this error as the `cause` of its `WebhookError`.
 */
export class RedisStoreError extends Error {
  override readonly name = 'RedisStoreError';
  readonly code: RedisStoreErrorCode;
  readonly operation: RedisStoreOperation;
  /** The Redis key, prefix included. */
  readonly key: string;

  constructor(code: RedisStoreErrorCode, operation: RedisStoreOperation, key: string, detail: string, cause?: unknown) {
    super(
      `@hookproof/redis: ${operation} of ${JSON.stringify(key)} failed: ${detail}. ` +
        'Is Redis reachable? See "Client options" in the @hookproof/redis README.',
      cause === undefined ? undefined : { cause },
    );
    this.code = code;
    this.operation = operation;
    this.key = key;
  }
}

export function isRedisStoreError(value: unknown): value is RedisStoreError {
  return value instanceof RedisStoreError;
}
