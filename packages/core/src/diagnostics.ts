import { deliveryChannels } from './diagnostics-node.js';
import type { DeliveryChannels } from './diagnostics-port.js';
import type { WebhookError, WebhookErrorCode } from './errors.js';

export { DELIVERY_CHANNEL } from './diagnostics-port.js';

/**
 * How a delivery ended: `'ok'` (verified and, for a receiver, handled; 200, or 202 with
 * `earlyAck`), or the error code it was answered with (`'duplicate'` included).
 */
export type DeliveryOutcome = 'ok' | WebhookErrorCode;

/**
 * What the dedupe store said: `'new'` (claimed, the handlers ran), `'duplicate'` (already
 * processed), `'in_progress'` (another delivery holds the claim), `'unavailable'` (the
 * store failed), `'off'` (`dedupe: false`, or options mode, which does not dedupe).
 */
export type DedupeOutcome = 'new' | 'duplicate' | 'in_progress' | 'unavailable' | 'off';

/**
 * The message published for one delivery on the `hookproof:delivery` TracingChannel. The
 * same object goes to `start`, then `error` (5xx outcomes only), then `end`, as
 * TracingChannel subscribers expect; fields are filled in as the delivery goes on, and
 * all of them are set by `end`. It never holds a secret, a signature, a header or the
 * body: only what identifies the delivery and how it went.
 */
export interface DeliveryMessage {
  /** `'receive'`: a receiver (verify, dedupe, handlers); `'verify'`: an adapter's options mode (verify, pass on). */
  readonly mode: 'receive' | 'verify';
  /** The vendor id; at `start` it is unset when several vendors share the route (detected from the headers). */
  vendor: string | undefined;
  /** The event type, once the signature verified. */
  eventType: string | undefined;
  /** The event id (the vendor's, or the body digest), once the signature verified. */
  eventId: string | undefined;
  /** Which of several rotation secrets matched (0 = the first), once the signature verified. */
  secretIndex: number | undefined;
  /** What the dedupe store said, once asked. */
  dedupe: DedupeOutcome | undefined;
  /** How the delivery ended; set at `end`. */
  outcome: DeliveryOutcome | undefined;
  /** The HTTP status answered; set at `end`. */
  status: number | undefined;
  /** Time spent verifying (secret lookup, signature, parse), in ms. */
  verifyMs: number | undefined;
  /** Time spent in the handlers, in ms (unset when they did not run). */
  handlersMs: number | undefined;
  /** The whole delivery, from `start` to the answer, in ms; set at `end`. */
  durationMs: number | undefined;
  /** The failure, for every outcome but `'ok'`; on `error` always set. Never a secret: see `WebhookError`. */
  error: WebhookError | undefined;
}

/** The fields known when a delivery ends. */
export interface DeliveryEnd {
  readonly outcome: DeliveryOutcome;
  readonly status: number;
  readonly error?: WebhookError | undefined;
}

/** Milliseconds, for durations; `performance` is global in Node and every Web runtime. */
function now(): number {
  return performance.now();
}

/** A delivery being traced: the message, and when it started. Internal to core. */
export interface DeliveryTrace {
  readonly message: DeliveryMessage;
  readonly channels: DeliveryChannels;
  readonly startedAt: number;
  /** `performance.now()` at the last mark (`verified`, `handlersStarted`). */
  mark: number;
}

/**
 * Starts tracing one delivery: publishes `start` and returns the trace, or `undefined`
 * when nothing is subscribed (or the runtime has no channel). The check is three
 * property reads; the rest of the pipeline skips all tracing on `undefined`, so a
 * process without instrumentation pays nothing measurable (bench/observability).
 */
export function traceDelivery(mode: 'receive' | 'verify', vendor: string | undefined, channels: DeliveryChannels | undefined = deliveryChannels): DeliveryTrace | undefined {
  if (channels === undefined || !(channels.start.hasSubscribers || channels.end.hasSubscribers || channels.error.hasSubscribers)) return undefined;
  const message: DeliveryMessage = {
    mode,
    vendor,
    eventType: undefined,
    eventId: undefined,
    secretIndex: undefined,
    dedupe: undefined,
    outcome: undefined,
    status: undefined,
    verifyMs: undefined,
    handlersMs: undefined,
    durationMs: undefined,
    error: undefined,
  };
  const startedAt = now();
  const trace: DeliveryTrace = { message, channels, startedAt, mark: startedAt };
  if (channels.start.hasSubscribers) channels.start.publish(message);
  return trace;
}

/** The signature verified: records the event's identity and the verify time. */
export function traceVerified(trace: DeliveryTrace, event: { readonly vendor: string; readonly type: unknown; readonly id: string }, secretIndex: number): void {
  const { message } = trace;
  message.vendor = event.vendor;
  message.eventType = String(event.type);
  message.eventId = event.id;
  message.secretIndex = secretIndex;
  const t = now();
  message.verifyMs = t - trace.startedAt;
  trace.mark = t;
}

/** Records the time verification took when it failed (no event). */
export function traceVerifyFailed(trace: DeliveryTrace): void {
  if (trace.message.verifyMs === undefined) trace.message.verifyMs = now() - trace.startedAt;
}

export function traceDedupe(trace: DeliveryTrace, outcome: DedupeOutcome): void {
  trace.message.dedupe = outcome;
}

export function traceHandlersStarted(trace: DeliveryTrace): void {
  trace.mark = now();
}

export function traceHandlersEnded(trace: DeliveryTrace): void {
  trace.message.handlersMs = now() - trace.mark;
}

/**
 * Ends the trace: fills the outcome, publishes `error` for a 5xx outcome (what a tracer
 * marks as failed), then `end`. A subscriber that throws does not interrupt the delivery:
 * Node's `publish` rethrows it on a later tick, as an uncaught exception (a subscriber
 * must catch its own errors; `@hookproof/otel` does).
 */
export function traceEnded(trace: DeliveryTrace, end: DeliveryEnd): void {
  const { message, channels } = trace;
  message.outcome = end.outcome;
  message.status = end.status;
  message.error = end.error;
  message.durationMs = now() - trace.startedAt;
  if (message.dedupe === undefined && message.mode === 'verify') message.dedupe = 'off';
  if (end.status >= 500 && end.error !== undefined && channels.error.hasSubscribers) channels.error.publish(message);
  if (channels.end.hasSubscribers) channels.end.publish(message);
}

/** The outcome of a result: `'ok'` for a 2xx without an error, else the error's code. */
export function outcomeOf(status: number, error: WebhookError | undefined): DeliveryEnd {
  return error === undefined ? { outcome: 'ok', status } : { outcome: error.code, status, error };
}
