// The replay window of vendors that sign a timestamp (Autoposting: "<timestamp>.<raw body>",
// reject if older than 5 minutes; applied both ways). Signatures from plain node:crypto.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVerifier, verify, type VerifyResult } from '@hookproof/core';
import { hmacHex, NOW_MS, NOW_S, sampleBodies, SECRET } from './helpers.js';

const body = sampleBodies.autoposting;
const signedAt = (ts: string) => ({ 'X-Autoposting-Signature': hmacHex(SECRET, `${ts}.${body}`), 'X-Autoposting-Timestamp': ts });

function check(ts: string, nowMs = NOW_MS, toleranceSec?: number): Promise<VerifyResult<'autoposting'>> {
  return verify({ vendor: 'autoposting', body, headers: signedAt(ts), secret: SECRET, now: () => nowMs, ...(toleranceSec === undefined ? {} : { toleranceSec }) });
}

function codeOf(result: VerifyResult<'autoposting'>): string {
  return result.ok ? 'ok' : result.error.code;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('default window: 300 s both ways', () => {
  it.each([
    ['exactly 300 s old', NOW_S - 300, 'ok'],
    ['299 s old', NOW_S - 299, 'ok'],
    ['301 s old', NOW_S - 301, 'timestamp_out_of_tolerance'],
    ['exactly 300 s ahead', NOW_S + 300, 'ok'],
    ['301 s ahead', NOW_S + 301, 'timestamp_out_of_tolerance'],
    ['one hour ahead', NOW_S + 3600, 'timestamp_out_of_tolerance'],
    ['a year old', NOW_S - 365 * 86400, 'timestamp_out_of_tolerance'],
    ['the epoch', 0, 'timestamp_out_of_tolerance'],
  ])('unix seconds, %s', async (_name, ts, expected) => {
    const result = await check(String(ts));
    expect(codeOf(result)).toBe(expected);
    if (!result.ok) expect(result.error.status).toBe(401);
  });

  it('millisecond precision: 300 000 ms accepted, 300 001 ms rejected, both ways', async () => {
    expect(codeOf(await check(String(NOW_MS - 300_000)))).toBe('ok');
    expect(codeOf(await check(String(NOW_MS - 300_001)))).toBe('timestamp_out_of_tolerance');
    expect(codeOf(await check(String(NOW_MS + 300_000)))).toBe('ok');
    expect(codeOf(await check(String(NOW_MS + 300_001)))).toBe('timestamp_out_of_tolerance');
  });

  it('ISO-8601: at the edge accepted, one second past rejected, offsets honoured', async () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(codeOf(await check(iso(NOW_MS - 300_000)))).toBe('ok');
    expect(codeOf(await check(iso(NOW_MS - 301_000)))).toBe('timestamp_out_of_tolerance');
    expect(codeOf(await check(iso(NOW_MS + 300_000)))).toBe('ok');
    expect(codeOf(await check(iso(NOW_MS + 301_000)))).toBe('timestamp_out_of_tolerance');
    // 2025-12-31T23:55:00Z written in UTC-05:00: exactly 300 s old.
    expect(codeOf(await check('2025-12-31T18:55:00-05:00'))).toBe('ok');
    expect(codeOf(await check('2025-12-31T18:54:59-05:00'))).toBe('timestamp_out_of_tolerance');
    expect(codeOf(await check('2026-01-01T00:00:00.123456Z'))).toBe('ok');
  });

  it('reports how old or how far ahead, and the window, in the message', async () => {
    const old = await check(String(NOW_S - 400));
    expect(!old.ok && old.error.message).toMatch(/400 s old; the window is 300 s/);
    const ahead = await check(String(NOW_S + 400));
    expect(!ahead.ok && ahead.error.message).toMatch(/400 s in the future/);
    expect(!ahead.ok && ahead.error.hint).toMatch(/NTP|toleranceSec/);
  });

  it('a valid signature with a stale time is timestamp_out_of_tolerance; a forged fresh time is signature_mismatch', async () => {
    const stale = signedAt(String(NOW_S - 3600));
    const refreshed = { ...stale, 'X-Autoposting-Timestamp': String(NOW_S) };
    const result = await verify({ vendor: 'autoposting', body, headers: refreshed, secret: SECRET, now: () => NOW_MS });
    expect(codeOf(result)).toBe('signature_mismatch');
  });
});

describe('toleranceSec override', () => {
  it('widens the window', async () => {
    expect(codeOf(await check(String(NOW_S - 599), NOW_MS, 600))).toBe('ok');
    expect(codeOf(await check(String(NOW_S - 600), NOW_MS, 600))).toBe('ok');
    expect(codeOf(await check(String(NOW_S - 601), NOW_MS, 600))).toBe('timestamp_out_of_tolerance');
    expect(codeOf(await check(String(NOW_S + 601), NOW_MS, 600))).toBe('timestamp_out_of_tolerance');
  });

  it('narrows the window', async () => {
    expect(codeOf(await check(String(NOW_S - 30), NOW_MS, 30))).toBe('ok');
    expect(codeOf(await check(String(NOW_S - 31), NOW_MS, 30))).toBe('timestamp_out_of_tolerance');
  });

  it('0 accepts only the same millisecond', async () => {
    expect(codeOf(await check(String(NOW_MS), NOW_MS, 0))).toBe('ok');
    expect(codeOf(await check(String(NOW_S - 1), NOW_MS, 0))).toBe('timestamp_out_of_tolerance');
    expect(codeOf(await check(String(NOW_MS + 1), NOW_MS, 0))).toBe('timestamp_out_of_tolerance');
  });

  it('does not apply to vendors that sign no timestamp (nothing time-bound to check)', async () => {
    const aidellyBody = sampleBodies.aidelly;
    const result = await verify({
      vendor: 'aidelly',
      body: aidellyBody,
      headers: { 'Aidelly-Signature': `sha256=${hmacHex(SECRET, aidellyBody)}` },
      secret: SECRET,
      toleranceSec: 0,
      now: () => 0,
    });
    expect(result.ok).toBe(true);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '300' as unknown as number])('rejects toleranceSec %s at setup', (toleranceSec) => {
    expect(() => verify({ vendor: 'autoposting', body, headers: {}, secret: SECRET, toleranceSec })).toThrow(
      /toleranceSec` must be a non-negative number of seconds/,
    );
  });
});

describe('the clock', () => {
  it('`now` is injected: the same delivery is fresh at one time and stale at another', async () => {
    const ts = String(NOW_S);
    expect(codeOf(await check(ts, NOW_MS + 300_000))).toBe('ok');
    expect(codeOf(await check(ts, NOW_MS + 301_000))).toBe('timestamp_out_of_tolerance');
    expect(codeOf(await check(ts, NOW_MS - 301_000))).toBe('timestamp_out_of_tolerance');
  });

  it('a verifier reads its clock on every call', async () => {
    let clock = NOW_MS;
    const verifier = createVerifier({ vendor: 'autoposting', secret: SECRET, now: () => clock });
    const headers = signedAt(String(NOW_S));
    expect((await verifier(body, headers)).ok).toBe(true);
    clock += 301_000;
    const later = await verifier(body, headers);
    expect(later.ok ? 'ok' : later.error.code).toBe('timestamp_out_of_tolerance');
  });

  it('defaults to Date.now', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW_MS + 200_000);
    expect(codeOf(await verify({ vendor: 'autoposting', body, headers: signedAt(String(NOW_S)), secret: SECRET }))).toBe('ok');
    vi.setSystemTime(NOW_MS + 400_000);
    expect(codeOf(await verify({ vendor: 'autoposting', body, headers: signedAt(String(NOW_S)), secret: SECRET }))).toBe(
      'timestamp_out_of_tolerance',
    );
  });
});

describe('malformed timestamps', () => {
  it.each([
    ['letters', 'yesterday'],
    ['fractional seconds', `${NOW_S}.0`],
    ['negative', `-${NOW_S}`],
    ['hex', '0x69558000'],
    ['exponent', '1.7672256e9'],
    ['17 digits', '1'.repeat(17)],
    ['ISO without a zone', '2026-01-01T00:00:00'],
    ['date only', '2026-01-01'],
    ['RFC 7231 date', 'Thu, 01 Jan 2026 00:00:00 GMT'],
    ['very long', '9'.repeat(1000)],
    ['impossible ISO month', '2026-13-01T00:00:00Z'],
  ])('%s is malformed_timestamp (401), never a crash', async (_name, ts) => {
    const result = await check(ts);
    expect(codeOf(result)).toBe('malformed_timestamp');
    if (!result.ok) expect(result.error.status).toBe(401);
  });

  it('surrounding whitespace is trimmed before the MAC, like any header value', async () => {
    const ts = String(NOW_S);
    const headers = { ...signedAt(ts), 'X-Autoposting-Timestamp': `  ${ts} ` };
    expect((await verify({ vendor: 'autoposting', body, headers, secret: SECRET, now: () => NOW_MS })).ok).toBe(true);
  });

  it('a missing timestamp header is missing_timestamp', async () => {
    const { 'X-Autoposting-Timestamp': _ts, ...headers } = signedAt(String(NOW_S));
    const result = await verify({ vendor: 'autoposting', body, headers, secret: SECRET, now: () => NOW_MS });
    expect(codeOf(result)).toBe('missing_timestamp');
    expect(!result.ok && result.error.hint).toMatch(/<timestamp>\.<body>/);
  });
});
