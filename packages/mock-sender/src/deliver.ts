import type { VendorProfile } from '@hookproof/core';
import { runAttempt } from './attempt.js';
import { sleep, type SenderClock } from './clock.js';
import type { Transport } from './transports/index.js';
import type {
  AttemptResult,
  ClockMode,
  DeliverOptions,
  DeliveryAttempt,
  DeliveryLog,
  Fault,
  MockEvent,
  SendOptions,
  SendResult,
  SignatureFault,
} from './types.js';
import { buildRequest, type WireContext } from './wire.js';

export interface Route {
  readonly wire: WireContext;
  readonly transport: Transport;
}

const SIGNATURE_FAULTS: readonly SignatureFault[] = [
  'tamper-body',
  'wrong-secret',
  'no-signature',
  'stale-timestamp',
  'bad-encoding',
];
const MAX_COPIES = 1000;

interface ParsedFault {
  signature?: SignatureFault;
  delayMs?: number;
  copies?: { n: number; parallel: boolean };
}

function count(n: unknown, name: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_COPIES) {
    throw new TypeError(
      `@hookproof/mock-sender: { ${name}: n } needs an integer n from 1 to ${MAX_COPIES} (the total number of requests), got ${String(n)}.`,
    );
  }
  return n;
}

export function parseFault(fault: Fault | undefined): ParsedFault {
  if (fault === undefined) return {};
  if (typeof fault === 'string') {
    if ((SIGNATURE_FAULTS as readonly string[]).includes(fault)) return { signature: fault };
  } else if (typeof fault === 'object' && fault !== null) {
    if ('duplicate' in fault) return { copies: { n: count(fault.duplicate, 'duplicate'), parallel: false } };
    if ('concurrent' in fault) return { copies: { n: count(fault.concurrent, 'concurrent'), parallel: true } };
    if ('delayMs' in fault) {
      if (typeof fault.delayMs !== 'number' || !Number.isFinite(fault.delayMs) || fault.delayMs < 0) {
        throw new TypeError(
          `@hookproof/mock-sender: { delayMs } must be a non-negative number of ms, got ${String(fault.delayMs)}.`,
        );
      }
      return { delayMs: fault.delayMs };
    }
  }
  throw new TypeError(
    `@hookproof/mock-sender: unknown fault ${JSON.stringify(fault)}. Use one of ${SIGNATURE_FAULTS.map((f) => `'${f}'`).join(', ')}, { duplicate: n }, { delayMs }, { concurrent: n }.`,
  );
}

function checkTimeout(timeoutMs: number | undefined): void {
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0)) {
    throw new TypeError(`@hookproof/mock-sender: timeoutMs must be a positive number of ms, got ${String(timeoutMs)}.`);
  }
}

function checkClock(clock: unknown): ClockMode {
  if (clock === undefined) return 'virtual';
  if (clock === 'virtual' || clock === 'real') return clock;
  throw new TypeError(`@hookproof/mock-sender: clock must be 'virtual' or 'real', got ${String(clock)}.`);
}

/** The profile's deadline, unless the profile says a slow answer is not a failure. */
function deadlineOf(profile: VendorProfile, timeoutMs: number | undefined): number {
  if (timeoutMs !== undefined) return timeoutMs;
  return profile.retry.timeoutIsFailure ? profile.timeoutMs : Number.POSITIVE_INFINITY;
}

/** Waits `ms` on the chosen clock and returns how long the sender's clock moved. */
async function wait(clock: SenderClock, mode: ClockMode, ms: number): Promise<number> {
  if (ms <= 0) return 0;
  if (mode === 'virtual') {
    clock.advance(ms);
    return ms;
  }
  const started = performance.now();
  await sleep(ms);
  const waited = performance.now() - started;
  clock.advance(waited);
  return waited;
}

/** One send: one request, or n identical ones for `duplicate` (in turn) and `concurrent` (at once). */
export async function sendOnce(
  route: Route,
  clock: SenderClock,
  event: MockEvent,
  options: SendOptions = {},
): Promise<SendResult> {
  const fault = parseFault(options.fault);
  checkTimeout(options.timeoutMs);
  const mode = checkClock(options.clock);
  const url = await route.transport.url();
  const request = await buildRequest(route.wire, url, event, clock.now(), fault.signature);
  if (fault.delayMs !== undefined) await wait(clock, mode, fault.delayMs);
  const timeout = deadlineOf(route.wire.profile, options.timeoutMs);
  const copies: AttemptResult[] = [];
  const n = fault.copies?.n ?? 1;
  if (fault.copies?.parallel === true) {
    const results = await Promise.all(Array.from({ length: n }, () => runAttempt(route.transport, request, timeout)));
    copies.push(...results);
    clock.advance(Math.max(...results.map((r) => r.ms)));
  } else {
    for (let i = 0; i < n; i++) {
      const result = await runAttempt(route.transport, request, timeout);
      copies.push(result);
      clock.advance(result.ms);
    }
  }
  return { ...copies[0]!, copies };
}

function delaysOf(profile: VendorProfile, retries: DeliverOptions['retries']): readonly number[] {
  if (retries === undefined || retries === 'vendor') return profile.retry.delaysSec;
  if (retries === 'none') return [];
  if (Array.isArray(retries) && retries.every((d) => typeof d === 'number' && Number.isFinite(d) && d >= 0))
    return retries;
  throw new TypeError(
    `@hookproof/mock-sender: retries must be 'vendor', 'none' or a list of waits in seconds, got ${JSON.stringify(retries)}.`,
  );
}

/**
 * A whole delivery: the first try, then one retry after each delay of the schedule,
 * each delay counted from the end of the failed attempt (profile `retry.delayFrom`).
 * Every attempt is signed afresh at its own time on the sender's clock; the body,
 * and so the event id, stays the same; no attempt-number header is added.
 */
export async function deliverAll(
  route: Route,
  clock: SenderClock,
  event: MockEvent,
  options: DeliverOptions = {},
): Promise<DeliveryLog> {
  const { profile } = route.wire;
  const delays = delaysOf(profile, options.retries);
  const mode = checkClock(options.clock);
  checkTimeout(options.timeoutMs);
  const fault = parseFault(options.fault);
  if (fault.copies !== undefined) {
    throw new TypeError('@hookproof/mock-sender: duplicate and concurrent are faults of send(), not deliver().');
  }
  const stopOn = options.stopOn ?? profile.retry.stopOn;
  const timeout = deadlineOf(profile, options.timeoutMs);
  const url = await route.transport.url();
  const attempts: DeliveryAttempt[] = [];
  // Kept apart from the clock so that atMs is the exact sum of the waits and durations.
  let elapsed = 0;
  for (let n = 1; n <= delays.length + 1; n++) {
    const delayMs = n === 1 ? 0 : delays[n - 2]! * 1000;
    elapsed += await wait(clock, mode, delayMs);
    const atMs = elapsed;
    const request = await buildRequest(route.wire, url, event, clock.now(), fault.signature);
    if (fault.delayMs !== undefined) elapsed += await wait(clock, mode, fault.delayMs);
    const result = await runAttempt(route.transport, request, timeout);
    clock.advance(result.ms);
    elapsed += result.ms;
    const attempt: DeliveryAttempt = { n, atMs, delayMs, ...result };
    attempts.push(attempt);
    options.onAttempt?.(attempt);
    if (result.ok) return { state: 'delivered', reason: 'success', attempts, event };
    if (result.status !== undefined && stopOn.includes(result.status))
      return { state: 'failed', reason: 'stopped', attempts, event };
  }
  return { state: 'failed', reason: 'exhausted', attempts, event };
}
