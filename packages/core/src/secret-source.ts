import { WebhookError, setupError } from './errors.js';
import type { Secrets, VendorName, VendorRef } from './types.js';
import type { VendorId } from './vendors/index.js';

/** Looks a secret up (a secret manager, a database); the result is cached for `secretCacheMs`. */
export type SecretResolver<V extends VendorRef = VendorId> = (vendor: VendorName<V>) => Secrets | Promise<Secrets>;

/** How long a secret returned by a `secret` function is reused: 5 min. */
export const DEFAULT_SECRET_CACHE_MS = 5 * 60 * 1000;

export function checkSecretCacheMs(value: unknown): number {
  if (value === undefined) return DEFAULT_SECRET_CACHE_MS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw setupError(`\`secretCacheMs\` must be a non-negative number of ms, got ${String(value)}.`);
  }
  return value;
}

/** How long a `secret` function may take: 5 s, well under Aidelly's 10 s deadline (Aidelly REST API guide, "Delivery and retries"). */
export const DEFAULT_SECRET_TIMEOUT_MS = 5_000;

export function checkSecretTimeoutMs(value: unknown): number {
  if (value === undefined) return DEFAULT_SECRET_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw setupError(`\`secretTimeoutMs\` must be a positive number of ms, got ${String(value)}.`);
  }
  return value;
}

/** Rejects after `ms` unless `work` settles first; the timer never outlives the race. */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the secret function did not answer within ${ms} ms (secretTimeoutMs)`)),
      ms,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

interface CacheEntry<F> {
  readonly expiresAt: number;
  readonly verifier: Promise<F>;
}

/**
 * The verifier for one vendor whose secret comes from a function: asked at most once per
 * `cacheMs` (concurrent deliveries share one pending lookup), never cached when it fails,
 * so the next delivery asks again. A failure, or no answer within `timeoutMs` (a hung
 * secret manager), is a 503 `secret_unavailable`: the vendor retries instead of the
 * delivery being refused for good or never answered. Shared by the adapters' engine
 * and `createReceiver` (hence `handleWebhook`).
 */
export function secretLookup<F>(
  vendorId: string,
  resolve: SecretResolver<VendorRef>,
  build: (secret: Secrets) => F,
  cacheMs: number,
  clock: () => number,
  timeoutMs: number = DEFAULT_SECRET_TIMEOUT_MS,
): () => Promise<F | WebhookError> {
  let cached: CacheEntry<F> | undefined;
  return async () => {
    const now = clock();
    let entry = cached;
    if (entry === undefined || entry.expiresAt <= now) {
      // `build` checks the secret (non-empty strings); a bad one fails like a failed lookup.
      // A lookup that hangs fails after timeoutMs and is dropped from the cache like any
      // failure, so the next delivery asks again instead of waiting on the same one.
      const verifier = within(
        Promise.resolve().then(() => resolve(vendorId as VendorName<VendorRef>)),
        timeoutMs,
      ).then((secret) => build(secret));
      entry = { expiresAt: now + cacheMs, verifier };
      cached = cacheMs > 0 ? entry : undefined;
    }
    try {
      return await entry.verifier;
    } catch (cause) {
      if (cached === entry) cached = undefined;
      return new WebhookError('secret_unavailable', 'The signing secret could not be loaded; retry later.', {
        vendor: vendorId,
        cause,
        hint: `The \`secret\` function failed, did not answer within ${timeoutMs} ms (secretTimeoutMs) or returned no usable secret for ${JSON.stringify(vendorId)}; see error.cause.`,
      });
    }
  };
}
