import { resolveClaimTtl } from './claim-ttl.js';
import { createMemoryStore, type ClaimState, type DedupeStore } from './dedupe.js';
import { WebhookError, setupError, type WebhookErrorBody } from './errors.js';
import type { HeadersLike } from './headers.js';
import { checkBodyTimeout, createDeliveryGuard, type DeliveryOptions } from './guard.js';
import { resolveVendor } from './resolve.js';
import { checkSecretCacheMs, checkSecretTimeoutMs, secretLookup, type SecretResolver } from './secret-source.js';
import { QUEUE_PORT, QUEUE_RETRY_AFTER_SEC, QueueTimeout, checkQueue, defaultQueueTimeoutMs, eventOf, queueUnavailable, queuedDelivery, withinTimeout, type QueuePort, type QueuedAttempt, type QueuedDelivery, type WebhookQueue } from './queue.js';
import type { EventOf, EventType, Secrets, VendorRef, VerifyResult, WebhookEvent } from './types.js';
import { createCheck, isPromise, promised, type Check, type VerifyOptions } from './verify.js';
import type { VendorId } from './vendors/index.js';

/** Options of `createReceiver`: everything `verify` takes (but the body and headers) plus dedupe settings. */
export interface ReceiverOptions<V extends VendorRef = VendorId> extends Omit<VerifyOptions<V>, 'secret'>, DeliveryOptions {
  /**
   * The signing secret; several during rotation (any may match). Or a function
   * `(vendorId) => secret(s)`, may be async, for a secret manager (an edge KV, Vault, AWS
   * Secrets Manager): asked at most once per `secretCacheMs`; if it fails, the delivery
   * gets 503 `secret_unavailable` (the vendor retries) and the next one asks again.
   */
  secret: Secrets | SecretResolver<V>;
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

/** A handler for verified events; it may be async. A throw (or rejection) answers 500 so the vendor retries. */
export type EventHandler<E> = (event: E) => unknown;
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
   * `remoteAddress` (the socket's peer address) is needed only with `allowIps`.
   */
  receive(request: { body: unknown; headers: HeadersLike | null | undefined; remoteAddress?: string | undefined }): Promise<ReceiveResult<V>>;
  /**
   * Answers a failure found before `receive` could run (a body too large, too slow or already
   * parsed, a wrong method): reports it to the `onError` handlers like every other failure and
   * resolves the response to send. The adapters and `handleWebhook` call it; never rejects.
   */
  reject(error: WebhookError): Promise<ReceiveResult<V>>;
}

/** What `receive` takes. */
type ReceiveRequest = { body: unknown; headers: HeadersLike | null | undefined; remoteAddress?: string | undefined };

/** A response now, or later where something on the way is asynchronous. */
type Outcome<V extends VendorRef> = ReceiveResult<V> | Promise<ReceiveResult<V>>;

/**
 * Internal, not exported from the package: the key under which a receiver made by
 * `createReceiver` offers `receive` without the promise, for core's adapter engine
 * (`engine.handleNow`). A receiver written by hand has none and is awaited as before.
 */
export const RECEIVE_NOW: unique symbol = Symbol('hookproof.receiveNow');

/** A receiver that can answer without a promise when nothing on the way is asynchronous. */
export interface ReceivesNow<V extends VendorRef> {
  [RECEIVE_NOW](request: ReceiveRequest): Outcome<V>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function describeClaim(state: unknown): string {
  return typeof state === 'string' ? JSON.stringify(state.slice(0, 40)) : state === null ? 'null' : typeof state;
}

/** Node's `util.inspect.custom`, by its registered name: core imports nothing from node:util (Web Crypto build). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const REDACTED = '[redacted]';
/** Options holding secrets: the signing secret(s) and the values of custom auth headers. */
const SECRET_OPTIONS = ['secret', 'requiredHeaders'] as const;

function vendorName(vendor: unknown): string {
  return typeof vendor === 'string' ? vendor : typeof vendor === 'object' && vendor !== null ? String((vendor as { id?: unknown }).id) : String(vendor);
}

/** `toJSON` and `util.inspect` show `view()` instead of the object itself; neither is enumerable. */
function hideSecrets(target: object, view: () => unknown, name: string): void {
  Object.defineProperty(target, 'toJSON', { value: view, enumerable: false });
  Object.defineProperty(target, INSPECT, {
    value: (_depth: number, inspectOptions: unknown, inspect: ((value: unknown, options: unknown) => string) | undefined) =>
      typeof inspect === 'function' ? `${name} ${inspect(view(), inspectOptions)}` : view(),
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

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * A receiver for one vendor: verifies each delivery, drops duplicates (in-memory store
 * by default), runs the `.on` handlers then `.onAny`, and resolves the response to send:
 * 200 only after every handler succeeded, 409 while the same event is in progress,
 * 500 if a handler threw (the claim is released, so the vendor's retry is processed).
 * Options are checked at once: setup mistakes throw a `TypeError`.
 */
export function createReceiver<V extends VendorRef = VendorId>(options: ReceiverOptions<V>): Receiver<V> {
  const resolver = typeof options?.secret === 'function' ? (options.secret as SecretResolver<VendorRef>) : undefined;
  let verifier: Check<VendorRef> | undefined;
  let lookup: (() => Promise<Check<VendorRef> | WebhookError>) | undefined;
  if (resolver === undefined) {
    verifier = createCheck(options as unknown as VerifyOptions<VendorRef>);
    checkSecretCacheMs(options.secretCacheMs);
  } else {
    const verifierFor = (secret: Secrets): Check<VendorRef> => createCheck({ ...(options as unknown as VerifyOptions<VendorRef>), secret });
    // Every other option is checked now, with a stand-in secret, so mistakes surface at setup.
    verifierFor('stand-in');
    lookup = secretLookup(
      resolveVendor(options.vendor).id, resolver, verifierFor, checkSecretCacheMs(options.secretCacheMs), typeof options.now === 'function' ? options.now : Date.now,
      checkSecretTimeoutMs(options.secretTimeoutMs),
    );
  }
  if (resolver === undefined) checkSecretTimeoutMs(options.secretTimeoutMs);
  const guard = createDeliveryGuard(options);
  checkBodyTimeout(options.bodyTimeoutMs);
  const { handlerTimeoutMs, earlyAck } = options;
  if (handlerTimeoutMs !== undefined && !(typeof handlerTimeoutMs === 'number' && Number.isFinite(handlerTimeoutMs) && handlerTimeoutMs > 0)) {
    throw setupError(`\`handlerTimeoutMs\` must be a positive number of ms, got ${String(handlerTimeoutMs)}.`);
  }
  if (earlyAck !== undefined && typeof earlyAck !== 'boolean') throw setupError('`earlyAck` must be true or false.');
  if (earlyAck === true && handlerTimeoutMs === undefined) {
    throw setupError('`earlyAck` answers 202 when `handlerTimeoutMs` passes: set handlerTimeoutMs too (below the vendor\'s deadline, e.g. 8000).');
  }
  const store = options.dedupe === false ? undefined : (options.dedupe ?? createMemoryStore(typeof options.now === 'function' ? { now: options.now } : {}));
  if (store !== undefined && (typeof store.claim !== 'function' || typeof store.complete !== 'function' || typeof store.release !== 'function')) {
    throw setupError('`dedupe` must be a DedupeStore ({ claim, complete, release }), e.g. createRedisStore() from @hookproof/redis, or false.');
  }
  const dedupeTtlMs = options.dedupeTtlMs ?? DAY_MS;
  const claimTtlMs = resolveClaimTtl(resolveVendor(options.vendor), options, store);
  const handOff = queueHandOff(options);
  const typed = new Map<string, EventHandler<never>[]>();
  const anyHandlers: EventHandler<WebhookEvent<V>>[] = [];
  const errorHandlers: ErrorHandler<V>[] = [];

  async function report(error: WebhookError, event?: WebhookEvent<V>): Promise<void> {
    for (const handler of errorHandlers) {
      try {
        await handler(error, event);
      } catch {
        // An observer must not change the answer to the vendor.
      }
    }
  }

  async function failWith(error: WebhookError, event?: WebhookEvent<V>): Promise<ReceiveResult<V>> {
    await report(error, event);
    return event === undefined
      ? { status: error.status, body: error.toJSON(), error }
      : { status: error.status, body: error.toJSON(), error, event };
  }

  /**
   * Runs the `.on` handlers, then the `.onAny` ones, one after the other. Returns a
   * promise only from the first handler that returns one: synchronous handlers cost no
   * microtask each (bench/adapters: every await on the path of a delivery is measurable).
   * A synchronous throw propagates as a throw.
   */
  function dispatch(event: WebhookEvent<V>): Promise<void> | undefined {
    const own = typed.get(String(event.type)) as EventHandler<WebhookEvent<V>>[] | undefined;
    const handlers = own === undefined ? anyHandlers : anyHandlers.length === 0 ? own : [...own, ...anyHandlers];
    for (let i = 0; i < handlers.length; i++) {
      const out = handlers[i]!(event);
      if (isThenable(out)) return dispatchRest(out, handlers, i + 1, event);
    }
    return undefined;
  }

  async function dispatchRest(pending: PromiseLike<unknown>, handlers: readonly EventHandler<WebhookEvent<V>>[], from: number, event: WebhookEvent<V>): Promise<void> {
    await pending;
    for (let i = from; i < handlers.length; i++) await handlers[i]!(event);
  }

  const receiver: Receiver<V> & ReceivesNow<V> = {
    options: redacted(options),
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
    reject: (error) => failWith(error),
    receive(request) {
      try {
        return promised(receiveNow(request));
      } catch (cause) {
        return Promise.reject(cause);
      }
    },
    [RECEIVE_NOW]: receiveNow,
  };
  if (handOff !== undefined) Object.defineProperty(receiver, QUEUE_PORT, { value: queuePort(), enumerable: false });
  hideSecrets(receiver, () => ({ vendor: vendorName(options.vendor), options: receiver.options }), 'Receiver');

  /**
   * `receive`'s flow, giving the result itself when nothing on the way is asynchronous
   * (static secret, Node's HMAC, synchronous handlers, a synchronous store such as the
   * default in-memory one): every promise and await on the path of a delivery is
   * measurable under load (bench/adapters). Never throws, never rejects.
   */
  function receiveNow(request: ReceiveRequest): Outcome<V> {
    const refused = guard({ headers: request?.headers, remoteAddress: request?.remoteAddress });
    if (refused !== undefined) return failWith(refused);
    if (verifier === undefined) {
      return lookup!().then((found) => (found instanceof WebhookError ? failWith(found) : verified(found(request?.body, request?.headers), request?.headers)));
    }
    return verified(verifier(request?.body, request?.headers), request?.headers);
  }

  function verified(checked: VerifyResult<VendorRef> | Promise<VerifyResult<VendorRef>>, headers: HeadersLike | null | undefined): Outcome<V> {
    if (isPromise(checked)) return checked.then((result) => accepted(result as VerifyResult<V>, headers));
    return accepted(checked as VerifyResult<V>, headers);
  }

  function accepted(result: VerifyResult<V>, headers: HeadersLike | null | undefined): Outcome<V> {
    if (!result.ok) return failWith(result.error);
    const { event } = result;
    const key = `${event.vendor}:${event.id}`;
    if (store === undefined) return handOff === undefined ? run(event, key) : enqueue(handOff, event, key, headers);
    let state: ClaimState | PromiseLike<ClaimState>;
    try {
      state = store.claim(key, claimTtlMs);
    } catch (cause) {
      return storeDown(event, cause);
    }
    if (isThenable(state)) {
      return Promise.resolve(state).then(
        (claimed) => afterClaim(claimed, event, key, headers),
        (cause: unknown) => storeDown(event, cause),
      );
    }
    return afterClaim(state, event, key, headers);
  }

  function storeDown(event: WebhookEvent<V>, cause: unknown): Promise<ReceiveResult<V>> {
    return failWith(
      new WebhookError('store_unavailable', 'The dedupe store is unavailable; retry later.', {
        vendor: event.vendor, cause, hint: 'Check the dedupe store (e.g. Redis) connection.',
      }),
      event,
    );
  }

  function afterClaim(state: ClaimState, event: WebhookEvent<V>, key: string, headers: HeadersLike | null | undefined): Outcome<V> {
    if (state === 'done') {
      const error = new WebhookError('duplicate', 'This event was already processed.', { vendor: event.vendor });
      return { status: error.status, body: error.toJSON(), event, error };
    }
    if (state === 'in_progress') {
      const error = new WebhookError('in_progress', 'This event is being processed; retry later.', { vendor: event.vendor });
      return { status: error.status, body: error.toJSON(), event, error };
    }
    // Fail closed: a store that answers anything else (a custom store's bug, a client
    // returning its raw reply) has not said the event is new, so it is not processed.
    if (state !== 'new') {
      return storeDown(event, new TypeError(`dedupe.claim() returned ${describeClaim(state)}; a DedupeStore answers 'new', 'in_progress' or 'done'.`));
    }
    return handOff === undefined ? run(event, key) : enqueue(handOff, event, key, headers);
  }

  // --- The queue hand-off (`queue` option; docs/durable.md) -------------------------------
  // Kept apart from the inline path above: with a queue, the handlers never run in the
  // request. The claim only guards the write: it is released once the job is written (or
  // not), and the job id (vendor + event id) keeps a retry after a lost 202 from making a
  // second job. The worker marks the event done after its handlers succeed.

  async function enqueue(to: QueueHandOff, event: WebhookEvent<V>, key: string, headers: HeadersLike | null | undefined): Promise<ReceiveResult<V>> {
    let failure: WebhookError | undefined;
    try {
      const delivery = queuedDelivery(event as WebhookEvent<VendorRef>, headers, to.now(), to.hidden);
      await withinTimeout(to.queue.enqueue(delivery, { timeoutMs: to.timeoutMs }), to.timeoutMs);
    } catch (cause) {
      failure = queueUnavailable(String(event.vendor), cause, cause instanceof QueueTimeout);
    }
    if (store !== undefined) {
      try {
        await store.release(key);
      } catch {
        // The claim expires after claimTtlMs; meanwhile a retry gets 409 and tries again later.
      }
    }
    if (failure !== undefined) {
      const refused = await failWith(failure, event);
      return { ...refused, headers: { 'retry-after': String(QUEUE_RETRY_AFTER_SEC) } };
    }
    return { status: 202, body: { ok: true, queued: true, id: event.id, type: String(event.type) }, event };
  }

  /** The worker's way in (`processQueued`): run the handlers, then mark the event done. */
  function queuePort(): QueuePort {
    return {
      async process(delivery: QueuedDelivery, attempt: QueuedAttempt): Promise<void> {
        const event = eventOf<V>(delivery);
        try {
          await dispatch(event);
        } catch (cause) {
          await report(
            new WebhookError('handler_error', attempt.last
              ? `The event handler failed on attempt ${attempt.attempt}, the last; the job is kept with the failed jobs (dead letters).`
              : `The event handler failed on attempt ${attempt.attempt}; the worker will retry.`, {
              vendor: delivery.vendor, cause, hint: 'See error.cause for what your handler threw; replay a dead letter once fixed.',
            }),
            event,
          );
          throw cause;
        }
        if (store === undefined) return;
        try {
          await store.complete(`${delivery.vendor}:${delivery.id}`, dedupeTtlMs);
        } catch (cause) {
          // Processed: the job completes (its id still stops a second job); a retry may get 202 instead of 200.
          await report(new WebhookError('store_unavailable', 'Processed, but the dedupe store did not record it.', { vendor: delivery.vendor, cause }), event);
        }
      },
    };
  }

  function run(event: WebhookEvent<V>, key: string): Outcome<V> {
    const processing = processEvent(event, key);
    if (handlerTimeoutMs === undefined || !isPromise(processing)) return processing;
    return raced(processing, handlerTimeoutMs, event);
  }

  /** Answers once the handlers end or `handlerTimeoutMs` passes, whichever is first. */
  async function raced(processing: Promise<ReceiveResult<V>>, timeoutMs: number, event: WebhookEvent<V>): Promise<ReceiveResult<V>> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const first = await Promise.race([processing, late]);
    clearTimeout(timer);
    if (first !== undefined) return first;
    // The handlers go on; `processEvent` still completes or releases the claim and reports a failure.
    if (earlyAck === true) return { status: 202, body: { ok: true, id: event.id, type: String(event.type) }, event };
    return failWith(
      new WebhookError('handler_timeout', `The event handler is still running after ${timeoutMs} ms; the vendor will retry.`, {
        vendor: event.vendor,
        hint: 'Make the handler faster (persist, answer, work from a queue) or raise `handlerTimeoutMs`, keeping it below the vendor\'s deadline.',
      }),
      event,
    );
  }

  /**
   * Runs the handlers, then records the outcome in the store. Never rejects; settles
   * synchronously (no promise) when the handlers do and there is no store to write.
   */
  function processEvent(event: WebhookEvent<V>, key: string): Outcome<V> {
    let pending: Promise<void> | undefined;
    try {
      pending = dispatch(event);
    } catch (cause) {
      return handlerFailed(event, key, cause);
    }
    if (pending !== undefined) return pending.then(() => processed(event, key), (cause: unknown) => handlerFailed(event, key, cause));
    return processed(event, key);
  }

  async function handlerFailed(event: WebhookEvent<V>, key: string, cause: unknown): Promise<ReceiveResult<V>> {
    if (store !== undefined) {
      try {
        await store.release(key);
      } catch {
        // The claim expires after claimTtlMs; the vendor's retry is processed then.
      }
    }
    return failWith(
      new WebhookError('handler_error', 'The event handler failed; the vendor will retry.', {
        vendor: event.vendor, cause, hint: 'See error.cause for what your handler threw.',
      }),
      event,
    );
  }

  function processed(event: WebhookEvent<V>, key: string): Outcome<V> {
    const result: ReceiveResult<V> = { status: 200, body: { ok: true, id: event.id, type: String(event.type) }, event };
    return store === undefined ? result : recorded(store, key, event, result);
  }

  function recorded(into: DedupeStore, key: string, event: WebhookEvent<V>, result: ReceiveResult<V>): Outcome<V> {
    let stored: void | PromiseLike<void>;
    try {
      stored = into.complete(key, dedupeTtlMs);
    } catch (cause) {
      return notRecorded(event, result, cause);
    }
    if (!isThenable(stored)) return result;
    return Promise.resolve(stored).then(
      () => result,
      (cause: unknown) => notRecorded(event, result, cause),
    );
  }

  /** Processed but not recorded: acknowledge (nothing is lost) and report it. */
  async function notRecorded(event: WebhookEvent<V>, result: ReceiveResult<V>, cause: unknown): Promise<ReceiveResult<V>> {
    await report(new WebhookError('store_unavailable', 'Processed, but the dedupe store did not record it.', { vendor: event.vendor, cause }), event);
    return result;
  }
  return receiver;
}

/** What the hand-off needs, fixed at setup. */
interface QueueHandOff {
  readonly queue: WebhookQueue;
  readonly timeoutMs: number;
  /** Header names never stored with a job (the `requiredHeaders`, which hold secrets). */
  readonly hidden: ReadonlySet<string>;
  readonly now: () => number;
}

function queueHandOff<V extends VendorRef>(options: ReceiverOptions<V>): QueueHandOff | undefined {
  const queue = checkQueue(options.queue, options);
  if (queue === undefined) return undefined;
  return {
    queue,
    timeoutMs: queue.timeoutMs ?? defaultQueueTimeoutMs(resolveVendor(options.vendor)),
    hidden: new Set(Object.keys(options.requiredHeaders ?? {}).map((name) => name.toLowerCase())),
    now: typeof options.now === 'function' ? options.now : Date.now,
  };
}
