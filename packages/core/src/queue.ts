import { WebhookError, setupError } from './errors.js';
import type { HeadersLike } from './headers.js';
import type { IdSource, VendorRef, WebhookEvent } from './types.js';
import type { VendorProfile } from './vendors/profile.js';

/**
 * The queue hand-off: with `createReceiver({ ..., queue })` a verified, deduplicated
 * delivery is written to a durable queue and acknowledged (202) only once the write is
 * confirmed; a worker runs the handlers later. Core defines the contract only;
 * `@hookproof/bullmq` implements it on BullMQ. See docs/durable.md.
 */

/** One verified delivery as a queue stores it: enough to rebuild the typed event without a second HMAC. */
export interface QueuedDelivery {
  /** The vendor id (`event.vendor`). */
  readonly vendor: string;
  /** The event id (`event.id`): the queue's job id derives from `vendor` and `id`, so a write is idempotent. */
  readonly id: string;
  readonly idSource: IdSource;
  /** The event name (`String(event.type)`). */
  readonly type: string;
  readonly documented: boolean;
  readonly deliveryId?: string | undefined;
  readonly signedAt?: number | undefined;
  /** When the receiver accepted the delivery (ms since epoch, the receiver's clock). */
  readonly receivedAt: number;
  /** The verified raw body, exactly as received. */
  readonly raw: string;
  /**
   * The request headers, lower-cased (repeated ones joined with `, `), without
   * `authorization`, `cookie`, `proxy-authorization` and the receiver's `requiredHeaders`.
   */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Trace context an instrumentation put in at the write (e.g. W3C `traceparent`), so the
   * worker's span can link to the request's; absent when nothing is instrumented. A queue
   * stores and returns it untouched.
   */
  readonly trace?: Readonly<Record<string, string>> | undefined;
}

/** What a receiver passes to `enqueue`. */
export interface EnqueueOptions {
  /** The receiver answers 503 after this many ms anyway; a queue may use it to bound its own write. */
  readonly timeoutMs: number;
}

/**
 * A durable queue a receiver hands deliveries to (`createReceiver({ queue })`), e.g.
 * `bullmqQueue()` from `@hookproof/bullmq`.
 */
export interface WebhookQueue {
  /**
   * Writes one delivery. Resolves only once the write is durable as far as the queue can
   * tell (for BullMQ: Redis answered); rejects otherwise. Idempotent: writing the same
   * vendor and event id again leaves one job (and resolves).
   */
  enqueue(delivery: QueuedDelivery, options: EnqueueOptions): Promise<void>;
  /** Stops accepting writes (they reject, so deliveries get 503), lets in-flight writes finish, then closes. */
  close(): Promise<void>;
  /** How long a write may take before the receiver answers 503; default: from the vendor's deadline (see `defaultQueueTimeoutMs`). */
  readonly timeoutMs?: number | undefined;
}

/** `Retry-After` on a 503 `queue_unavailable`, in seconds: a hint, the vendor's own schedule decides. */
export const QUEUE_RETRY_AFTER_SEC = 5;

/**
 * The default write timeout: a third of the vendor's per-attempt deadline, at most 3 s
 * (Aidelly answers within 10 s, so 3 s), so a slow Redis still leaves time to answer 503
 * before the vendor gives up on the attempt.
 */
export function defaultQueueTimeoutMs(profile: VendorProfile): number {
  return Math.max(100, Math.min(3000, Math.floor(profile.timeoutMs / 3)));
}

const NOT_STORED = new Set(['authorization', 'cookie', 'proxy-authorization']);

function headerRecord(headers: HeadersLike | null | undefined, hidden: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === null || headers === undefined || typeof headers !== 'object') return out;
  const put = (name: string, value: unknown): void => {
    const lower = name.toLowerCase();
    if (NOT_STORED.has(lower) || hidden.has(lower)) return;
    const text = Array.isArray(value)
      ? value.filter((v) => typeof v === 'string').join(', ')
      : typeof value === 'string'
        ? value
        : undefined;
    if (text !== undefined) out[lower] = out[lower] === undefined ? text : `${out[lower]}, ${text}`;
  };
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((value, name) => put(name, value));
  } else {
    for (const [name, value] of Object.entries(headers)) put(name, value);
  }
  return out;
}

/** The job a receiver writes for a verified event. */
export function queuedDelivery(
  event: WebhookEvent<VendorRef>,
  headers: HeadersLike | null | undefined,
  receivedAt: number,
  hidden: ReadonlySet<string>,
): QueuedDelivery {
  return {
    vendor: String(event.vendor),
    id: event.id,
    idSource: event.idSource,
    type: String(event.type),
    documented: event.documented,
    deliveryId: event.deliveryId,
    signedAt: event.signedAt,
    receivedAt,
    raw: event.raw,
    headers: headerRecord(headers, hidden),
  };
}

/** Checks a `queue` option; throws a `TypeError` naming the fix. */
export function checkQueue(
  queue: unknown,
  options: { handlerTimeoutMs?: unknown; earlyAck?: unknown },
): WebhookQueue | undefined {
  if (queue === undefined) return undefined;
  if (
    typeof queue !== 'object' ||
    queue === null ||
    typeof (queue as WebhookQueue).enqueue !== 'function' ||
    typeof (queue as WebhookQueue).close !== 'function'
  ) {
    throw setupError(
      '`queue` must be a WebhookQueue ({ enqueue, close }), e.g. bullmqQueue({ connection, name }) from @hookproof/bullmq.',
    );
  }
  if (options.handlerTimeoutMs !== undefined || options.earlyAck !== undefined) {
    throw setupError(
      '`queue` acknowledges once the delivery is queued and runs the handlers in a worker: remove `handlerTimeoutMs` and `earlyAck`.',
    );
  }
  const timeoutMs = (queue as WebhookQueue).timeoutMs;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw setupError(`\`queue.timeoutMs\` must be a positive number of ms, got ${String(timeoutMs)}.`);
  }
  return queue as WebhookQueue;
}

/** The 503 for a write that failed or timed out. */
export function queueUnavailable(vendor: string, cause: unknown, timedOut: boolean): WebhookError {
  return new WebhookError(
    'queue_unavailable',
    timedOut
      ? 'The delivery could not be queued in time; retry later.'
      : 'The delivery could not be queued; retry later.',
    {
      vendor,
      cause,
      hint: 'Check the queue (e.g. Redis) connection; nothing was acknowledged, so the vendor retries.',
    },
  );
}

/** Resolves when `write` settles or rejects after `timeoutMs`, whichever is first. */
export function withinTimeout(write: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new QueueTimeout(timeoutMs)), timeoutMs);
  });
  return Promise.race([write, late]).finally(() => clearTimeout(timer));
}

/** A write that did not finish in time. */
export class QueueTimeout extends Error {
  override readonly name = 'QueueTimeout';
  constructor(timeoutMs: number) {
    super(`The queue did not confirm the write within ${timeoutMs} ms.`);
  }
}

/**
 * What a receiver created with a `queue` gives its worker: run the handlers for a queued
 * delivery. Reached through `processQueued`, never directly.
 */
export interface QueuePort {
  process(delivery: QueuedDelivery, attempt: QueuedAttempt): Promise<void>;
}

/** Which attempt of a queued delivery is running (for `onError` observers and logs). */
export interface QueuedAttempt {
  /** 1 for the first run. */
  readonly attempt: number;
  /** Whether a failure now is final (the job moves to the failed set: the dead letters). */
  readonly last: boolean;
}

/** The key of a receiver's `QueuePort`; internal. */
export const QUEUE_PORT: unique symbol = Symbol('hookproof.queuePort');

/**
 * Runs `receiver`'s `.on`/`.onAny` handlers for a queued delivery (the typed event is
 * rebuilt from the stored bytes; the signature was checked when it was received), then
 * marks the event done in the receiver's dedupe store, so the vendor's later retries get
 * 200 `duplicate`. Rejects with what a handler threw: the worker retries the job. Used by
 * `startWorker` in `@hookproof/bullmq`; the receiver must be the one created with `queue`.
 */
export function processQueued(
  receiver: object,
  delivery: QueuedDelivery,
  attempt: QueuedAttempt = { attempt: 1, last: true },
): Promise<void> {
  const port = (receiver as { [QUEUE_PORT]?: QueuePort })[QUEUE_PORT];
  if (port === undefined) {
    return Promise.reject(
      setupError('processQueued(receiver, ...): pass the receiver created with createReceiver({ ..., queue }).'),
    );
  }
  return port.process(delivery, attempt);
}

/** Whether `receiver` was created by `createReceiver` with a `queue` (so `processQueued` can run its handlers). */
export function canProcessQueued(receiver: unknown): boolean {
  return (
    typeof receiver === 'object' &&
    receiver !== null &&
    (receiver as { [QUEUE_PORT]?: QueuePort })[QUEUE_PORT] !== undefined
  );
}

/** Rebuilds the typed event of a queued delivery: the payload is parsed again from the verified bytes. */
export function eventOf<V extends VendorRef>(delivery: QueuedDelivery): WebhookEvent<V> {
  const event = {
    vendor: delivery.vendor,
    id: delivery.id,
    idSource: delivery.idSource,
    deliveryId: delivery.deliveryId,
    signedAt: delivery.signedAt,
    raw: delivery.raw,
    type: delivery.type,
    documented: delivery.documented,
    payload: JSON.parse(delivery.raw) as unknown,
  };
  return event as unknown as WebhookEvent<V>;
}
