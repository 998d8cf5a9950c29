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

interface CacheEntry<F> {
  readonly expiresAt: number;
  readonly verifier: Promise<F>;
}

/**
 * The verifier for one vendor whose secret comes from a function: asked at most once per
 * `cacheMs` (concurrent deliveries share one pending lookup), never cached when it fails,
 * so the next delivery asks again. A failure is a 503 `secret_unavailable`: the vendor
 * retries instead of the delivery being refused for good. Shared by the adapters' engine
 * and `createReceiver` (hence `handleWebhook`).
 */
export function secretLookup<F>(
  vendorId: string,
  resolve: SecretResolver<VendorRef>,
  build: (secret: Secrets) => F,
  cacheMs: number,
  clock: () => number,
): () => Promise<F | WebhookError> {
  let cached: CacheEntry<F> | undefined;
  return async () => {
    const now = clock();
    let entry = cached;
    if (entry === undefined || entry.expiresAt <= now) {
      // `build` checks the secret (non-empty strings); a bad one fails like a failed lookup.
      const verifier = Promise.resolve()
        .then(() => resolve(vendorId as VendorName<VendorRef>))
        .then((secret) => build(secret));
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
        hint: `The \`secret\` function failed or returned no usable secret for ${JSON.stringify(vendorId)}; see error.cause.`,
      });
    }
  };
}
