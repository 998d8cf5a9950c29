import { setupError } from './errors.js';
import type { VendorProfile } from './vendors/profile.js';

/**
 * How long a dedupe claim lasts, from the vendor's retry policy.
 *
 * A claim is what makes a second copy of an event wait (409) while the first is being
 * processed. If the instance holding it dies mid-handler (crash, OOM kill, deploy), the
 * event is blocked until the claim expires: every retry before that gets 409, and when
 * the vendor's last retry has been refused the event is lost. So a claim must end
 * before the vendor's last retry can arrive. It should also outlast the time the vendor
 * waits for an answer (the profile's `timeoutMs`) and the receiver's `handlerTimeoutMs`:
 * a claim that expires under a handler that is still running lets a concurrent copy run
 * the handlers a second time.
 */

/** The longest default: a dead holder never blocks an event for more than a minute. */
const MAX_DEFAULT_MS = 60_000;

/**
 * The earliest the vendor's last retry can arrive, in ms after the first attempt
 * started: every attempt refused at once (a crashed instance's connection is reset, a
 * 409 is immediate), each delay counted from the end of the failed attempt. 0 when the
 * vendor does not retry.
 */
export function lastRetryMs(profile: VendorProfile): number {
  let sum = 0;
  for (const delay of profile.retry.delaysSec) sum += delay;
  return sum * 1000;
}

/**
 * The default claim TTL: at least the vendor's deadline and the receiver's handler
 * timeout, at least half-way to the vendor's last retry, at most a minute, and always
 * short of the last retry (a schedule shorter than the deadline, only possible with a
 * custom vendor, gets half of it: a lost event is worse than a rare second run).
 * Autoposting, Aidelly, Audenci: 60 s; Timbrix (retries 1 s, 5 s, 30 s): 18 s.
 */
export function defaultClaimTtlMs(profile: VendorProfile, handlerTimeoutMs?: number): number {
  const last = lastRetryMs(profile);
  if (last === 0) return MAX_DEFAULT_MS; // no retry to let in: the claim only holds off concurrent copies
  const floor = Math.max(profile.timeoutMs, handlerTimeoutMs ?? 0);
  const ttl = Math.min(MAX_DEFAULT_MS, Math.max(floor, last / 2));
  return ttl < last ? ttl : last / 2;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * The claim TTL a receiver uses: the store's own (`createRedisStore({ claimTtlMs })`
 * wins, so every instance agrees), else the receiver's `claimTtlMs`, else the default
 * from the vendor's retry policy. A value the vendor's schedule cannot live with is a
 * setup `TypeError` naming the fix.
 */
export function resolveClaimTtl(
  profile: VendorProfile,
  options: { readonly claimTtlMs?: number | undefined; readonly handlerTimeoutMs?: number | undefined },
  store: { readonly claimTtlMs?: number | undefined } | undefined,
): number {
  const fromStore = typeof store?.claimTtlMs === 'number';
  const given = fromStore ? store?.claimTtlMs : options.claimTtlMs;
  const fallback = defaultClaimTtlMs(profile, options.handlerTimeoutMs);
  if (given === undefined) return fallback;
  const where = fromStore ? "the dedupe store's `claimTtlMs`" : '`claimTtlMs`';
  if (typeof given !== 'number' || !Number.isFinite(given) || given <= 0) {
    throw setupError(`${where} must be a positive number of ms, got ${String(given)}.`);
  }
  const last = lastRetryMs(profile);
  if (last > 0 && given >= last) {
    throw setupError(
      `${where} (${given} ms) outlives ${profile.name}'s retries (${profile.retry.delaysSec.map((d) => seconds(d * 1000)).join(', ')} after each failed attempt: ` +
        `the last can arrive ${seconds(last)} after the first). If the instance holding a claim dies mid-handler, every retry gets 409 and the event is lost. ` +
        `Leave claimTtlMs unset (the default for ${profile.name} is ${fallback} ms) or set it below ${last}.`,
    );
  }
  const { handlerTimeoutMs } = options;
  if (handlerTimeoutMs !== undefined && given < handlerTimeoutMs) {
    throw setupError(
      `${where} (${given} ms) is shorter than \`handlerTimeoutMs\` (${handlerTimeoutMs} ms): a claim that expires while the handlers may still run lets a concurrent copy of the event run them a second time. ` +
        `Set claimTtlMs to at least handlerTimeoutMs, or leave it unset (default for ${profile.name}: ${fallback} ms).`,
    );
  }
  return given;
}
