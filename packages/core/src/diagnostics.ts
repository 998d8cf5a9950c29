import { deliveryChannels, queueChannels } from './diagnostics-node.js';
import type { DeliveryChannels } from './diagnostics-port.js';
import type { WebhookError, WebhookErrorCode } from './errors.js';
import type { DedupeOutcome } from './pipeline.js';

export { DELIVERY_CHANNEL, QUEUE_CHANNEL } from './diagnostics-port.js';
export type { DedupeOutcome } from './pipeline.js';

/**
 * How a delivery ended: `'ok'` (verified and, for a receiver, handled; 200, or 202 with
 * `earlyAck`), or the error code it was answered with (`'duplicate'` included).
 */
export type DeliveryOutcome = 'ok' | WebhookErrorCode;

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
  /**
   * Set by a `start` subscriber (an instrumentation), never by core: core runs the hand-off
   * (the handlers, or the queue write) through it, so the handlers run in the
   * subscriber's context, e.g. under the delivery's span. Unset: they run as they are.
   */
  runInContext: RunInContext | undefined;
}

/** Runs `fn` in a subscriber's context (e.g. OpenTelemetry's `context.with`) and returns what it returns. */
export type RunInContext = <T>(fn: () => T) => T;

/** What is known when a delivery ends (the pipeline's `DeliveryRecord`). */
export interface DeliveryEnd {
  readonly code: string;
  readonly status: number;
  readonly vendor: string | undefined;
  readonly type: string | undefined;
  readonly id: string | undefined;
  readonly secretIndex: number | undefined;
  readonly dedupe: DedupeOutcome | undefined;
  readonly verifyMs: number | undefined;
  readonly handlersMs: number | undefined;
  readonly totalMs: number;
  readonly error: WebhookError | undefined;
}

/** A delivery being published: its message and the channels. Internal to core. */
export interface DeliveryTrace {
  readonly message: DeliveryMessage;
  readonly channels: DeliveryChannels;
}

/**
 * Starts publishing one delivery: publishes `start` and returns the trace, or `undefined`
 * when nothing is subscribed (or the runtime has no channel). The check is three property
 * reads; the pipeline skips all of it on `undefined`, so a process without
 * instrumentation pays nothing measurable (bench/observability).
 */
export function traceDelivery(
  mode: 'receive' | 'verify',
  vendor: string | undefined,
  channels: DeliveryChannels | undefined = deliveryChannels,
): DeliveryTrace | undefined {
  if (
    channels === undefined ||
    !(channels.start.hasSubscribers || channels.end.hasSubscribers || channels.error.hasSubscribers)
  )
    return undefined;
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
    runInContext: undefined,
  };
  if (channels.start.hasSubscribers) channels.start.publish(message);
  return { message, channels };
}

/**
 * Ends the trace: fills the message from the delivery's record, publishes `error` for a
 * 5xx outcome (what a tracer marks as failed), then `end`. A subscriber that throws does
 * not interrupt the delivery: Node's `publish` rethrows it on a later tick, as an uncaught
 * exception (a subscriber must catch its own errors; `@hookproof/otel` does).
 */
export function traceEnded(trace: DeliveryTrace, end: DeliveryEnd): void {
  const { message, channels } = trace;
  message.vendor = end.vendor ?? message.vendor;
  message.eventType = end.type;
  message.eventId = end.id;
  message.secretIndex = end.secretIndex;
  message.dedupe = end.dedupe;
  message.outcome = (end.error === undefined ? 'ok' : end.error.code) as DeliveryOutcome;
  message.status = end.status;
  message.verifyMs = end.verifyMs;
  message.handlersMs = end.handlersMs;
  message.durationMs = end.totalMs;
  message.error = end.error;
  if (end.status >= 500 && end.error !== undefined && channels.error.hasSubscribers) channels.error.publish(message);
  if (channels.end.hasSubscribers) channels.end.publish(message);
}

/**
 * The message published on the `hookproof:queue` TracingChannel: once for the queue write
 * in the web request (`'enqueue'`), once per worker attempt (`'process'`). Like
 * `DeliveryMessage`, never a secret, a header or the body.
 */
export interface QueueMessage {
  readonly operation: 'enqueue' | 'process';
  readonly vendor: string;
  readonly eventType: string;
  readonly eventId: string;
  /** The worker's attempt (1 = the first); `'enqueue'`: unset. */
  readonly attempt: number | undefined;
  /**
   * Trace context carried in the job, as text fields (e.g. W3C `traceparent`). At
   * `'enqueue'` a `start` subscriber fills it and core stores it in the job untouched
   * (`QueuedDelivery.trace`); at `'process'` it holds what was stored.
   */
  readonly carrier: Record<string, string>;
  /** What the write or the handlers threw, at `error` and `end`. */
  error: unknown;
  /** As `DeliveryMessage.runInContext`: the write, or the worker's handlers, run through it. */
  runInContext: RunInContext | undefined;
}

/** Publishes `start` of a queue operation, or returns `undefined` when nothing subscribes (no cost). */
export function traceQueue(
  operation: 'enqueue' | 'process',
  job: { vendor: string; type: string; id: string; trace?: Readonly<Record<string, string>> | undefined },
  attempt: number | undefined,
  channels: DeliveryChannels | undefined = queueChannels,
): { message: QueueMessage; channels: DeliveryChannels } | undefined {
  if (channels === undefined || !(channels.start.hasSubscribers || channels.end.hasSubscribers)) return undefined;
  const message: QueueMessage = {
    operation,
    vendor: job.vendor,
    eventType: job.type,
    eventId: job.id,
    attempt,
    carrier: { ...job.trace },
    error: undefined,
    runInContext: undefined,
  };
  if (channels.start.hasSubscribers) channels.start.publish(message);
  return { message, channels };
}

/** Publishes `error` (when `failed`) and `end` of a queue operation. */
export function traceQueueEnded(
  trace: { message: QueueMessage; channels: DeliveryChannels },
  failed: boolean,
  error: unknown,
): void {
  const { message, channels } = trace;
  if (failed) {
    message.error = error;
    if (channels.error.hasSubscribers) channels.error.publish(message);
  }
  if (channels.end.hasSubscribers) channels.end.publish(message);
}
