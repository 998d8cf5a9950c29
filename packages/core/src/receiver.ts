import type { DeliveryRequest, PipelineAnswer, SecretSource } from './delivery-types.js';
import { WebhookError, setupError, type WebhookErrorBody } from './errors.js';
import { checkLogger, defaultLogger, failureRecord, writeRecord, type WebhookLogger } from './delivery-log.js';
import { DeliveryContext, type HandlerContext } from './handler-context.js';
import type { HeadersLike } from './headers.js';
import type { DeliveryOptions } from './guard.js';
import { chain, isThenable, promised, type MaybePromise } from './maybe.js';
import { checkOptionKeys } from './options.js';
import { createPipeline, type HandOff, type HandOffAnswer, type Pipeline, type PipelineOptions } from './pipeline.js';
import type { DedupeStore } from './dedupe.js';
import type { EventOf, EventType, VendorRef, WebhookEvent } from './types.js';
import type { VerifyOptions } from './verify.js';
import type { VendorId } from './vendors/index.js';
import { createMemoryStore } from './dedupe.js';
import {
  QUEUE_PORT,
  checkQueue,
  defaultQueueTimeoutMs,
  eventOf,
  queueUnavailable,
  queuedDelivery,
  QueueTimeout,
  withinTimeout,
  type QueuedAttempt,
  type QueuedDelivery,
  type QueuePort,
  type WebhookQueue,
} from './queue.js';
import { resolveVendors } from './vendor-secret.js';
import { traceQueue, traceQueueEnded } from './diagnostics.js';

/** Options of `createReceiver`: everything `verify` takes (but the body and headers) plus dedupe settings. */
export interface ReceiverOptions<V extends VendorRef = VendorId>
  extends Omit<VerifyOptions<V>, 'secret' | 'vendor'>, DeliveryOptions {
  /**
   * One vendor (id or profile), several, or `'auto'`: every built-in vendor (or, with a
   * secret map, the vendors in it), told apart by which signature header is present.
   * Several vendors need a secret map when two of them sign the same content (see `secret`).
   */
  vendor: V | readonly V[] | 'auto';
  /**
   * The signing secret; several during rotation (any may match). With several vendors, a
   * map per vendor id (`{ aidelly: ..., timbrix: ... }`): two vendors that sign the same
   * content cannot share a secret (a delivery captured from one would verify as the other;
   * a shared string is a setup `TypeError` then). Or a function `(vendorId) => secret(s)`,
   * may be async, for a secret manager (an edge KV, Vault, AWS Secrets Manager): asked at
   * most once per `secretCacheMs` per vendor; if it fails, the delivery gets 503
   * `secret_unavailable` (the vendor retries) and the next one asks again.
   */
  secret: SecretSource<V>;
  /** How long a secret returned by a `secret` function is reused, in ms. Default 5 min; 0 = ask every time. */
  secretCacheMs?: number;
  /**
   * How long a `secret` function may take before the delivery is answered 503
   * `secret_unavailable` (the vendor retries), in ms. Default 5 s, well under the
   * vendors' delivery deadlines (Aidelly: 2xx within 10 s).
   */
  secretTimeoutMs?: number;
  /**
   * Where processed event ids are remembered. Default: an in-memory store (10 000
   * entries). Pass `@hookproof/redis` for several instances, or `false` to turn it off.
   */
  dedupe?: DedupeStore | false;
  /** How long a processed id is remembered. Default 24 h (Autoposting retries for ~18 h). */
  dedupeTtlMs?: number;
  /**
   * How long a claim lasts if its holder dies mid-handler. Default: from the vendor's
   * retry policy, so the retries after a dead holder's claim expires still reach a live
   * instance (Timbrix: 18 s; the others: 60 s). A value the vendor's last retry would not
   * outlive, or shorter than `handlerTimeoutMs`, is refused. See docs/dedupe.md.
   */
  claimTtlMs?: number;
  /**
   * Answer before the handlers finish once they have run this many ms: 503
   * `handler_timeout` (the vendor retries; the claim stays held until the handlers end, so
   * a retry meanwhile gets 409 and one after success 200 `duplicate`), or 202 with
   * `earlyAck`. The handlers are not interrupted. Set it below the vendor's deadline
   * (Aidelly: 2xx within 10 s). Default: none, the answer waits for the handlers.
   */
  handlerTimeoutMs?: number;
  /**
   * With `handlerTimeoutMs`: answer 202 instead of 503 when the handlers are still running.
   * The vendor then stops retrying, so a handler that fails afterwards loses the event
   * (it is reported to `onError` as `handler_error`). Off by default: a delivery is
   * acknowledged only after it was processed.
   */
  earlyAck?: boolean;
  /**
   * Hand verified deliveries to a durable queue instead of running the handlers in the
   * request: verify, dedupe, write the job, answer 202 `{ ok, queued, id, type }` once the
   * queue confirmed the write (503 `queue_unavailable` with `Retry-After` if it failed or
   * took longer than `queue.timeoutMs`, default a third of the vendor's deadline, at most
   * 3 s). A worker runs the handlers: `startWorker(receiver, ...)` from `@hookproof/bullmq`.
   * See docs/durable.md.
   */
  queue?: WebhookQueue;
  /**
   * Where failures are logged, once each, one line, never a secret or a signature:
   * pino, Fastify's `app.log`, `consoleLogger(level)`, or `false` for nowhere. Default: the
   * framework's logger where it has one (Fastify's `request.log`, Koa's `app.emit('error')`),
   * else `consoleLogger('warn')`. See docs/observability.md.
   */
  logger?: WebhookLogger | false;
}

/** The JSON body of a 200 for a processed event. */
export type SuccessBody = { readonly ok: true; readonly id: string; readonly type: string };
/** The JSON body of a 202 for an event written to the receiver's `queue`. */
export type QueuedBody = { readonly ok: true; readonly queued: true; readonly id: string; readonly type: string };

/** What `receiver.receive()` resolves: the response to send, and the event and error where there is one. */
export interface ReceiveResult<V extends VendorRef = VendorId> {
  /** The HTTP status to answer: 2xx only after every handler succeeded (202 only with `earlyAck`). */
  readonly status: number;
  /** The JSON body to answer with. Never contains secrets or signatures. */
  readonly body: SuccessBody | QueuedBody | WebhookErrorBody;
  readonly event?: WebhookEvent<V>;
  readonly error?: WebhookError;
  /** Response headers to send, where there are any (`Retry-After` on a 503 `queue_unavailable`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A handler for verified events; it may be async. A throw (or rejection) answers 500 so the
 * vendor retries. The second argument is the delivery's context: the request's headers, a
 * logger, and a signal that fires when the answer was already sent or the server is closing.
 */
export type EventHandler<E> = (event: E, context: HandlerContext) => unknown;
/** Observes a failure; `event` is set when the delivery verified (e.g. `handler_error`). Its own throws are ignored. */
export type ErrorHandler<V extends VendorRef> = (error: WebhookError, event: WebhookEvent<V> | undefined) => unknown;

/** Typed dispatch of one vendor's verified events; create it with `createReceiver`. */
export interface Receiver<V extends VendorRef = VendorId> {
  /**
   * The options the receiver was created with, as a frozen copy. Its `secret` and
   * `requiredHeaders` are not enumerable, and neither the receiver nor this object shows
   * them in `JSON.stringify` or `util.inspect` (`[redacted]`), so logging a receiver
   * never prints a secret.
   */
  readonly options: Readonly<ReceiverOptions<V>>;
  /** Runs `handler` for each verified event of `type` (a documented name: a typo is a compile error). */
  on<T extends EventType<V>>(type: T | readonly T[], handler: EventHandler<EventOf<V, T>>): this;
  /** Runs `handler` for every verified event, documented or not, after the typed handlers. */
  onAny(handler: EventHandler<WebhookEvent<V>>): this;
  /** Observes every failure (bad signature, handler error, ...). Errors thrown here are ignored. */
  onError(handler: ErrorHandler<V>): this;
  /**
   * Verifies, dedupes and dispatches one delivery; resolves the response to send. Never rejects.
   * `remoteAddress` (the socket's peer address) is needed only with `allowIps`; a port may
   * add its framework's `log` and the `closing` server (see the handlers' context).
   */
  receive(request: DeliveryRequest): Promise<ReceiveResult<V>>;
  /**
   * Answers a failure found before `receive` could run (a body too large, too slow or already
   * parsed, a wrong method): reports it to the `onError` handlers like every other failure and
   * resolves the response to send. The adapters and `handleWebhook` call it; never rejects.
   */
  reject(error: WebhookError): Promise<ReceiveResult<V>>;
  /**
   * Runs the handlers (`.on` then `.onAny`) for an event that was already verified, e.g. by
   * a queue worker that stored the verified delivery: no signature check and no dedupe.
   * Resolves 200 `{ ok, id, type }`, or 500 `handler_error` after reporting it to the
   * `onError` handlers (throw from the worker then, so the queue retries). Never rejects.
   */
  dispatch(event: WebhookEvent<V>): Promise<ReceiveResult<V>>;
  /**
   * The delivery pipeline this receiver runs (guard, vendor, secret, verify, dedupe,
   * handlers, answer), for ports: `pipeline.run(request)` answers without a promise when
   * nothing on the way is asynchronous. See docs/adapters.md.
   */
  readonly pipeline: Pipeline<V>;
}

/** Node's `util.inspect.custom`, by its registered name: core imports nothing from node:util (Web Crypto build). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const REDACTED = '[redacted]';
/** Options holding secrets: the signing secret(s) and the values of custom auth headers. */
const SECRET_OPTIONS = ['secret', 'requiredHeaders'] as const;

function vendorName(vendor: unknown): string {
  if (Array.isArray(vendor)) return vendor.map(vendorName).join(', ');
  return typeof vendor === 'string'
    ? vendor
    : typeof vendor === 'object' && vendor !== null
      ? String((vendor as { id?: unknown }).id)
      : String(vendor);
}

/** `toJSON` and `util.inspect` show `view()` instead of the object itself; neither is enumerable. */
function hideSecrets(target: object, view: () => unknown, name: string): void {
  Object.defineProperty(target, 'toJSON', { value: view, enumerable: false });
  Object.defineProperty(target, INSPECT, {
    value: (
      _depth: number,
      inspectOptions: unknown,
      inspect: ((value: unknown, options: unknown) => string) | undefined,
    ) => (typeof inspect === 'function' ? `${name} ${inspect(view(), inspectOptions)}` : view()),
    enumerable: false,
  });
}

/**
 * A frozen copy of the options whose secrets are kept but not shown: `secret` and
 * `requiredHeaders` are non-enumerable (so spreads, `Object.keys`, `JSON.stringify` and
 * `util.inspect` skip them) and the copy renders them as `[redacted]`.
 */
function redacted<T extends object>(options: T): T {
  const copy = { ...options } as Record<string, unknown>;
  const shown: Record<string, unknown> = { ...copy };
  for (const key of SECRET_OPTIONS) {
    if (!(key in copy)) continue;
    Object.defineProperty(copy, key, { value: copy[key], enumerable: false });
    shown[key] = REDACTED;
  }
  if (shown['dedupe'] !== undefined && shown['dedupe'] !== false) shown['dedupe'] = '[DedupeStore]';
  if (shown['queue'] !== undefined) shown['queue'] = '[WebhookQueue]';
  hideSecrets(copy, () => ({ ...shown }), 'ReceiverOptions');
  return Object.freeze(copy) as T;
}

const SILENT = { error() {}, warn() {}, info() {}, debug() {} };

/** The answer as `receive` resolves it: the status and body, and the event and error where there are ones. */
function toResult<V extends VendorRef>(answer: PipelineAnswer<V>): ReceiveResult<V> {
  const { status, event, error } = answer;
  const body = answer.body as ReceiveResult<V>['body'];
  if (event === undefined) return error === undefined ? { status, body } : { status, body, error };
  if (error === undefined) return { status, body, event };
  // Failures only (never on the hot success path): `Retry-After` of a 503 `queue_unavailable`.
  const { headers } = answer;
  return headers !== undefined && 'retry-after' in headers
    ? { status, body, event, error, headers }
    : { status, body, event, error };
}

/**
 * A receiver: the delivery pipeline (pipeline.ts) whose hand-off runs the handlers. It
 * verifies each delivery (one vendor, several, or `'auto'`), drops duplicates (in-memory
 * store by default), runs the `.on` handlers then `.onAny`, and resolves the response to
 * send: 200 only after every handler succeeded, 409 while the same event is in progress,
 * 500 if a handler threw (the claim is released, so the vendor's retry is processed).
 * Options are checked at once: setup mistakes (an unknown option included) throw a `TypeError`.
 */
export function createReceiver<V extends VendorRef = VendorId>(options: ReceiverOptions<V>): Receiver<V> {
  if (typeof options !== 'object' || options === null) {
    throw setupError('createReceiver() takes one object: { vendor, secret } and the receiver options.');
  }
  checkOptionKeys(options, 'createReceiver');
  const logger = checkLogger(options.logger);
  const typed = new Map<string, EventHandler<never>[]>();
  const anyHandlers: EventHandler<WebhookEvent<V>>[] = [];
  const errorHandlers: ErrorHandler<V>[] = [];

  async function report(error: WebhookError, event: WebhookEvent<V> | undefined): Promise<void> {
    for (const handler of errorHandlers) {
      try {
        await handler(error, event);
      } catch {
        // An observer must not change the answer to the vendor.
      }
    }
  }

  /**
   * The hand-off: the `.on` handlers, then the `.onAny` ones, one after the other. A
   * promise only from the first handler that returns one (bench/README.md#the-synchronous-path).
   * A throw or rejection is a `handler_error`.
   */
  function runHandlers(
    event: WebhookEvent<V>,
    _secretIndex: number,
    context: HandlerContext,
  ): MaybePromise<HandOffAnswer> {
    const own = typed.get(String(event.type)) as EventHandler<WebhookEvent<V>>[] | undefined;
    const handlers = own === undefined ? anyHandlers : anyHandlers.length === 0 ? own : [...own, ...anyHandlers];
    for (let i = 0; i < handlers.length; i++) {
      const out = handlers[i]!(event, context);
      if (isThenable(out)) return rest(out, handlers, i + 1, event, context);
    }
    return { status: 200, body: { ok: true, id: event.id, type: String(event.type) } };
  }

  async function rest(
    pending: PromiseLike<unknown>,
    handlers: readonly EventHandler<WebhookEvent<V>>[],
    from: number,
    event: WebhookEvent<V>,
    context: HandlerContext,
  ): Promise<HandOffAnswer> {
    await pending;
    for (let i = from; i < handlers.length; i++) await handlers[i]!(event, context);
    return { status: 200, body: { ok: true, id: event.id, type: String(event.type) } };
  }

  // With a queue the hand-off writes the job; the worker side (QUEUE_PORT) needs the same store.
  const queue = checkQueue(options.queue, options);
  const store =
    queue === undefined || options.dedupe === false
      ? undefined
      : (options.dedupe ?? createMemoryStore(typeof options.now === 'function' ? { now: options.now } : {}));
  const pipelineOptions = queue === undefined ? options : { ...options, dedupe: store ?? false };
  const handOff = queue === undefined ? runHandlers : queueStage(queue, options);
  const pipeline = createPipeline<V>(pipelineOptions as unknown as PipelineOptions, { handOff, dedupe: true, report });

  const receiver: Receiver<V> = {
    options: redacted(options),
    pipeline,
    on(type, handler) {
      if (typeof handler !== 'function') throw setupError('receiver.on(type, handler): handler must be a function.');
      for (const t of typeof type === 'string' ? [type] : type) {
        const list = typed.get(t) ?? [];
        list.push(handler as EventHandler<never>);
        typed.set(t, list);
      }
      return receiver;
    },
    onAny(handler) {
      if (typeof handler !== 'function') throw setupError('receiver.onAny(handler): handler must be a function.');
      anyHandlers.push(handler);
      return receiver;
    },
    onError(handler) {
      if (typeof handler !== 'function') throw setupError('receiver.onError(handler): handler must be a function.');
      errorHandlers.push(handler);
      return receiver;
    },
    reject: (error) => promised(chain(pipeline.fail(error), toResult)),
    receive: (request) => promised(chain(pipeline.run(request), toResult)),
    dispatch: (event) => promised(chain(dispatchNow(event), toResult)),
  };
  hideSecrets(receiver, () => ({ vendor: vendorName(options.vendor), options: receiver.options }), 'Receiver');

  /** `dispatch`'s flow: the hand-off stage alone, with the pipeline's failure answer. */
  function dispatchNow(event: WebhookEvent<V>): MaybePromise<PipelineAnswer<V>> {
    // No request here (a queue worker, a replay): no headers, and the receiver's own logger.
    const log = logger === false ? undefined : (logger ?? defaultLogger);
    const context = new DeliveryContext({}, log ?? SILENT, undefined);
    const failed = (cause: unknown): Promise<PipelineAnswer<V>> => {
      const error = new WebhookError('handler_error', 'The event handler failed; the vendor will retry.', {
        vendor: event?.vendor,
        cause,
        hint: 'See error.cause for what your handler threw.',
      });
      if (log !== undefined)
        writeRecord(
          log,
          failureRecord(error, { vendor: String(event?.vendor), eventType: String(event?.type), eventId: event?.id }),
        );
      return report(error, event).then(() => ({
        next: false,
        status: error.status,
        body: error.toJSON(),
        headers: {},
        event,
        error,
      }));
    };
    let handed: MaybePromise<HandOffAnswer>;
    try {
      handed = runHandlers(event, 0, context);
    } catch (cause) {
      return failed(cause);
    }
    return chain(handed, (h) => ({ next: false, status: h.status, body: h.body, headers: {}, event }), failed);
  }
  if (queue !== undefined) Object.defineProperty(receiver, QUEUE_PORT, { value: queuePort(), enumerable: false });

  /** The worker's way in (`processQueued`): run the handlers, then mark the event done. */
  function queuePort(): QueuePort {
    return {
      async process(delivery: QueuedDelivery, attempt: QueuedAttempt): Promise<void> {
        const event = eventOf<V>(delivery);
        const trace = traceQueue('process', delivery, attempt.attempt);
        try {
          // In the worker: the delivery's stored headers, the receiver's logger, no answer to wait for.
          const handle = (): MaybePromise<HandOffAnswer> =>
            runHandlers(
              event,
              0,
              new DeliveryContext(delivery.headers, logger === false ? SILENT : (logger ?? defaultLogger), undefined),
            );
          const inContext = trace?.message.runInContext;
          await (inContext === undefined ? handle() : inContext(handle));
        } catch (cause) {
          if (trace !== undefined) traceQueueEnded(trace, true, cause);
          await report(
            new WebhookError(
              'handler_error',
              attempt.last
                ? `The event handler failed on attempt ${attempt.attempt}, the last; the job is kept with the failed jobs (dead letters).`
                : `The event handler failed on attempt ${attempt.attempt}; the worker will retry.`,
              {
                vendor: delivery.vendor,
                cause,
                hint: 'See error.cause for what your handler threw; replay a dead letter once fixed.',
              },
            ),
            event,
          );
          throw cause;
        }
        if (trace !== undefined) traceQueueEnded(trace, false, undefined);
        if (store === undefined) return;
        try {
          await store.complete(`${delivery.vendor}:${delivery.id}`, options.dedupeTtlMs ?? DAY_MS);
        } catch (cause) {
          // Processed: the job completes (its id still stops a second job); a retry may get 202 instead of 200.
          await report(
            new WebhookError('store_unavailable', 'Processed, but the dedupe store did not record it.', {
              vendor: delivery.vendor,
              cause,
            }),
            event,
          );
        }
      },
    };
  }
  return receiver;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The hand-off of a receiver with a `queue` (docs/durable.md): write the verified delivery
 * as a job and answer 202 once the queue confirmed it; the claim is released, not
 * completed (the worker completes it after the handlers). A write that fails or outlasts
 * the time limit throws `queue_unavailable`: the pipeline releases the claim and answers
 * 503 with `Retry-After`.
 */
function queueStage<V extends VendorRef>(queue: WebhookQueue, options: ReceiverOptions<V>): HandOff<V> {
  const profiles = resolveVendors(
    options.vendor as PipelineOptions['vendor'],
    options.secret as PipelineOptions['secret'],
  );
  // Several vendors: the shortest deadline wins.
  const timeoutMs = queue.timeoutMs ?? Math.min(...profiles.map(defaultQueueTimeoutMs));
  const hidden = new Set(Object.keys(options.requiredHeaders ?? {}).map((name) => name.toLowerCase()));
  const now = typeof options.now === 'function' ? options.now : Date.now;
  return async (event, _secretIndex, context) => {
    let job = queuedDelivery(event as WebhookEvent<VendorRef>, context.headers, now(), hidden);
    // Only while an instrumentation subscribes: it may add trace context to the job (a link from the worker's span).
    const trace = traceQueue('enqueue', job, undefined);
    if (trace !== undefined && Object.keys(trace.message.carrier).length > 0)
      job = { ...job, trace: trace.message.carrier };
    try {
      const write = (): Promise<void> => withinTimeout(queue.enqueue(job, { timeoutMs }), timeoutMs);
      const inContext = trace?.message.runInContext;
      await (inContext === undefined ? write() : inContext(write));
    } catch (cause) {
      if (trace !== undefined) traceQueueEnded(trace, true, cause);
      throw queueUnavailable(String(event.vendor), cause, cause instanceof QueueTimeout);
    }
    if (trace !== undefined) traceQueueEnded(trace, false, undefined);
    return { status: 202, body: { ok: true, queued: true, id: event.id, type: String(event.type) }, claim: 'release' };
  };
}
