/**
 * Parses a signed timestamp header into ms since epoch. Autoposting does not state
 * the format (its "Webhooks" concept page names only the header), so unix seconds, unix milliseconds and ISO-8601 are all
 * accepted; anything else is `undefined` (reported as `malformed_timestamp`).
 */
const DIGITS = /^\d{1,16}$/;
// Bounded, anchored pattern: no nested quantifiers, so no catastrophic backtracking.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Above this many seconds a numeric timestamp must be milliseconds (year 5138 in seconds). */
const SECONDS_LIMIT = 1e11;

/** Milliseconds since the epoch from unix seconds, unix milliseconds or ISO-8601 with a zone; `undefined` otherwise. */
export function parseTimestamp(value: string): number | undefined {
  if (value.length > 40) return undefined;
  if (DIGITS.test(value)) {
    const n = Number(value);
    return n >= SECONDS_LIMIT ? n : n * 1000;
  }
  if (ISO.test(value)) {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

export function formatTimestamp(unixSec: number, format: 'unix-s' | 'unix-ms' | 'iso' | undefined): string {
  if (format === 'unix-ms') return String(Math.round(unixSec * 1000));
  if (format === 'iso') return new Date(unixSec * 1000).toISOString();
  return String(Math.floor(unixSec));
}
