import { resolveClaimTtl } from './claim-ttl.js';
import { createMemoryStore, type ClaimState, type DedupeStore } from './dedupe.js';
import type { DeliveryRequest, PipelineAnswer, SecretSource, VendorChoice } from './delivery-types.js';
import {
  checkLogger,
  defaultLogger,
  failureRecord,
  logLevels,
  writeRecord,
  type WebhookLogger,
} from './delivery-log.js';
import { detectVendor } from './detect.js';
import { traceDelivery, traceEnded, type DeliveryTrace } from './diagnostics.js';
import { WebhookError, setupError } from './errors.js';
import { checkBodyTimeout, createDeliveryGuard, type DeliveryOptions } from './guard.js';
import { DeliveryContext, type HandlerContext } from './handler-context.js';
import type { HeadersLike } from './headers.js';
import { chain, chainWith, isPromise, isThenable, type MaybePromise } from './maybe.js';
import { QUEUE_RETRY_AFTER_SEC } from './queue.js';
import type { VendorRef, VerifyResult, WebhookEvent } from './types.js';
import { DEFAULT_MAX_BODY_BYTES, type VerifyOptions, type VerifyPlan } from './verify.js';
import { verifyWith } from './verify-steps.js';
import { checkSecretShape, checkSharedSecret, resolveVendors, secretStage } from './vendor-secret.js';
import type { VendorProfile } from './vendors/profile.js';
import type { VendorId } from './vendors/index.js';

/**
 * The one delivery pipeline behind every entry point. Its stages, in order:
 *
 *   transport guard -> vendor -> secret -> verify -> dedupe -> hand-off -> answer
 *
 * `createReceiver` is this plus `.on/.onAny/.onError` (its hand-off runs the handlers),
 * the adapters' options mode is this with a hand-off that passes the verified event on to
 * the app, and `handleWebhook` and the framework adapters are ports that read a body,
 * call `run`, and write the answer. Nothing reaches around it.
 *
 * Every stage returns its result itself when it has it at once (Node's HMAC is
 * synchronous) and a promise only where something is asynchronous (maybe.ts).
 */

/** What the pipeline's options are: the verify options plus the choices only a pipeline makes. */
export interface PipelineOptions extends Omit<VerifyOptions<VendorRef>, 'vendor' | 'secret'>, DeliveryOptions {
  readonly vendor: VendorChoice | readonly VendorRef[];
  readonly secret?: SecretSource<VendorRef> | undefined;
  readonly secretCacheMs?: number | undefined;
  readonly secretTimeoutMs?: number | undefined;
  readonly dedupe?: DedupeStore | false | undefined;
  readonly dedupeTtlMs?: number | undefined;
  readonly claimTtlMs?: number | undefined;
  readonly handlerTimeoutMs?: number | undefined;
  readonly earlyAck?: boolean | undefined;
  /** Where failures are logged; `false` = nowhere. Default: the port's logger, else `consoleLogger('warn')`. */
  readonly logger?: WebhookLogger | false | undefined;
}

/**
 * What the hand-off stage answers for a verified (and, with a store, newly claimed)
 * delivery. A throw or rejection is a failure: a `WebhookError` is answered as it is (a
 * queue that cannot write answers 503 `store_unavailable`), anything else is 500
 * `handler_error`; either way the claim is released so the vendor's retry is processed.
 */
export interface HandOffAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** `true`: the port passes the event on to the app (the adapters' options mode). */
  readonly next?: boolean;
  /**
   * What becomes of the dedupe claim: `complete` (the default: the event was processed) or
   * `release` (a queue wrote it; its worker marks the event done after processing, and the
   * job id stops a second job meanwhile).
   */
  readonly claim?: 'complete' | 'release';
}

/**
 * The pluggable last step before the answer: run the receiver's handlers, pass the event on
 * to the app (options mode), or write it to a durable queue and answer 202. It gets the
 * verified event, the index of the secret that matched, and the handlers' context (the
 * request's headers, the delivery's logger, a signal for an answer already sent).
 */
export type HandOff<V extends VendorRef = VendorRef> = (
  event: WebhookEvent<V>,
  secretIndex: number,
  context: HandlerContext,
) => MaybePromise<HandOffAnswer>;

/** What happened in the dedupe stage. */
export type DedupeOutcome = 'off' | 'new' | 'duplicate' | 'in_progress' | 'unavailable';

/**
 * One delivery, start to end, as the pipeline saw it: what a log line, a metric or a
 * tracing span needs. Given to `pipeline.observe` listeners once per delivery, in the one
 * place where every delivery ends (`settle` in pipeline.ts).
 */
export interface DeliveryRecord {
  /** `ok`, or the failure's code (`signature_mismatch`, `handler_error`, `duplicate`, ...). */
  readonly code: string;
  readonly status: number;
  readonly vendor: string | undefined;
  readonly type: string | undefined;
  readonly id: string | undefined;
  /** Which of the rotated secrets matched. */
  readonly secretIndex: number | undefined;
  readonly dedupe: DedupeOutcome | undefined;
  /** Time from the start of the delivery to the verify result (secret lookup included), in ms. */
  readonly verifyMs: number | undefined;
  /** Time the hand-off took (the handlers, or the enqueue), in ms. */
  readonly handlersMs: number | undefined;
  /** The whole delivery, in ms (the body read excluded: it comes before `run`). */
  readonly totalMs: number;
  readonly error: WebhookError | undefined;
}

export interface PipelineSettings<V extends VendorRef> {
  /** The hand-off stage; see `HandOff`. */
  readonly handOff: HandOff<V>;
  /** Whether the dedupe stage runs (receivers; options mode passes events on undeduped). */
  readonly dedupe: boolean;
  /** Observes every failure (a receiver's `.onError` handlers); may be async, its throws are ignored. */
  readonly report?: ((error: WebhookError, event: WebhookEvent<V> | undefined) => unknown) | undefined;
}

/** The delivery pipeline of a receiver (`receiver.pipeline`) or of an adapter's options. */
export interface Pipeline<V extends VendorRef = VendorId> {
  /** Stop reading a body past this many bytes (413). */
  readonly maxBodyBytes: number;
  /** Give up on a body still arriving after this many ms (408); 0 = no limit. */
  readonly bodyTimeoutMs: number;
  /** The profiles this pipeline accepts, in the order vendor detection tries them. */
  readonly vendors: readonly VendorProfile[];
  /**
   * Runs one delivery through every stage and gives its answer: the answer itself when
   * nothing on the way was asynchronous (a static secret, Node's HMAC, synchronous handlers
   * and store), a promise otherwise. Never throws, never rejects: a bug of ours is a 500
   * `internal_error`.
   */
  run(request: DeliveryRequest): MaybePromise<PipelineAnswer<V>>;
  /** The answer for a failure a port found before `run` (body too large, too slow, unreadable, wrong method). */
  fail(
    error: WebhookError,
    event?: WebhookEvent<V>,
    request?: Pick<DeliveryRequest, 'log'>,
  ): MaybePromise<PipelineAnswer<V>>;
  /** Listens to every delivery's `DeliveryRecord`; returns a function that stops listening. */
  observe(listener: (record: DeliveryRecord) => void): () => void;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Failures that leave a body unread: the rest would keep the connection busy, so it is closed. */
const UNREAD_BODY = new Set<string>(['payload_too_large', 'body_timeout', 'body_unreadable']);
const CLOSE: Readonly<Record<string, string>> = { connection: 'close' };
const NO_HEADERS: Readonly<Record<string, string>> = {};
/** On a 503 `queue_unavailable`: a hint; the vendor's own schedule decides when it retries. */
const RETRY_AFTER: Readonly<Record<string, string>> = { 'retry-after': String(QUEUE_RETRY_AFTER_SEC) };

function describeClaim(state: unknown): string {
  return typeof state === 'string' ? JSON.stringify(state.slice(0, 40)) : state === null ? 'null' : typeof state;
}

interface HandOffLimits {
  readonly handlerTimeoutMs: number | undefined;
  readonly earlyAck: boolean;
}

function checkHandOff(options: PipelineOptions): HandOffLimits {
  const { handlerTimeoutMs, earlyAck } = options;
  if (
    handlerTimeoutMs !== undefined &&
    !(typeof handlerTimeoutMs === 'number' && Number.isFinite(handlerTimeoutMs) && handlerTimeoutMs > 0)
  ) {
    throw setupError(`\`handlerTimeoutMs\` must be a positive number of ms, got ${String(handlerTimeoutMs)}.`);
  }
  if (earlyAck !== undefined && typeof earlyAck !== 'boolean') throw setupError('`earlyAck` must be true or false.');
  if (earlyAck === true && handlerTimeoutMs === undefined) {
    throw setupError(
      "`earlyAck` answers 202 when `handlerTimeoutMs` passes: set handlerTimeoutMs too (below the vendor's deadline, e.g. 8000).",
    );
  }
  return { handlerTimeoutMs, earlyAck: earlyAck === true };
}

function dedupeStore(options: PipelineOptions): DedupeStore | undefined {
  if (options.dedupe === false) return undefined;
  const store = options.dedupe ?? createMemoryStore(typeof options.now === 'function' ? { now: options.now } : {});
  if (
    typeof store.claim !== 'function' ||
    typeof store.complete !== 'function' ||
    typeof store.release !== 'function'
  ) {
    throw setupError(
      '`dedupe` must be a DedupeStore ({ claim, complete, release }), e.g. createRedisStore() from @hookproof/redis, or false.',
    );
  }
  return store;
}

/** Per-delivery bookkeeping, only while someone observes (no cost otherwise). */
interface Trace {
  readonly start: number;
  verifiedAt: number | undefined;
  handOffMs: number | undefined;
  secretIndex: number | undefined;
  dedupe: DedupeOutcome | undefined;
  /** Set while something subscribes to the `hookproof:delivery` channel (diagnostics.ts). */
  readonly channel: DeliveryTrace | undefined;
}

const SILENT: WebhookLogger = { error() {}, warn() {}, info() {}, debug() {} };
const NO_REQUEST_HEADERS: Readonly<Record<string, string>> = {};

/**
 * Builds a pipeline: every option is checked here, once (setup mistakes throw a
 * `TypeError` naming the fix), and the stages are set up for the vendors chosen.
 */
export function createPipeline<V extends VendorRef>(
  options: PipelineOptions,
  settings: PipelineSettings<V>,
): Pipeline<V> {
  // --- setup, stage by stage -------------------------------------------------------------
  const guard = createDeliveryGuard(options);
  const bodyTimeoutMs = checkBodyTimeout(options.bodyTimeoutMs);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  checkSecretShape(options);
  const profiles = resolveVendors(options.vendor, options.secret);
  const detect = profiles.length > 1;
  if (options.allowUnsigned === true && detect) {
    throw setupError(
      '`allowUnsigned` needs a single vendor (an unsigned delivery carries no signature header to tell vendors apart).',
    );
  }
  checkSharedSecret(profiles, options.secret);
  const secretFor = secretStage(options, profiles);
  const limits = checkHandOff(options);
  const store = settings.dedupe ? dedupeStore(options) : undefined;
  const dedupeTtlMs = options.dedupeTtlMs ?? DAY_MS;
  // The claim TTL follows each vendor's retry schedule (Timbrix retries sooner than the others).
  const claimTtls = new Map(
    store === undefined ? [] : profiles.map((p) => [p.id, resolveClaimTtl(p, options, store)] as const),
  );
  const { handOff, report } = settings;
  const listeners: ((record: DeliveryRecord) => void)[] = [];
  const only = profiles[0]!;
  const logger = checkLogger(options.logger);
  const mode = settings.dedupe ? 'receive' : 'verify';
  // At `start` the vendor is known only when there is one; detection comes later.
  const startVendor = detect ? undefined : only.id;

  /** The bookkeeping of one delivery, when someone observes it (a listener or the channel). */
  function begin(): Trace | undefined {
    const channel = traceDelivery(mode, startVendor);
    if (listeners.length === 0 && channel === undefined) return undefined;
    return {
      start: performance.now(),
      verifiedAt: undefined,
      handOffMs: undefined,
      secretIndex: undefined,
      dedupe: undefined,
      channel,
    };
  }

  /** The delivery's logger: the `logger` option, else the port's (Fastify's request.log), else the console. */
  function logFor(request: Pick<DeliveryRequest, 'log'> | undefined): WebhookLogger | false {
    return logger === undefined ? (request?.log ?? defaultLogger) : logger;
  }

  /** Logs one failure, once, at its level (delivery-log.ts); never a secret or a signature. */
  function logged(
    error: WebhookError,
    event: WebhookEvent<V> | undefined,
    request: Pick<DeliveryRequest, 'log'> | undefined,
  ): void {
    const sink = logFor(request);
    if (sink === false) return;
    // The console logger drops info and debug: build no record for them (a flood of forgeries costs nothing).
    if (sink === defaultLogger && (logLevels[error.code] === 'info' || logLevels[error.code] === 'debug')) return;
    writeRecord(
      sink,
      failureRecord(
        error,
        event === undefined
          ? undefined
          : { vendor: String(event.vendor), eventType: String(event.type), eventId: event.id },
      ),
    );
  }

  // --- the stages, in order ------------------------------------------------------------------
  function run(request: DeliveryRequest): MaybePromise<PipelineAnswer<V>> {
    const trace = begin();
    let out: MaybePromise<PipelineAnswer<V>>;
    try {
      out = stages(request, trace);
    } catch (cause) {
      out = internalError(cause, trace, request);
    }
    if (trace === undefined) return out;
    return chainWith(out, settle, trace, undefined);
  }

  function stages(request: DeliveryRequest, trace: Trace | undefined): MaybePromise<PipelineAnswer<V>> {
    const headers = request?.headers;
    // 1. transport guard: sender address, content coding.
    const refused = guard({ headers, remoteAddress: request?.remoteAddress });
    if (refused !== undefined) return fail(refused, undefined, trace, request);
    // 2. vendor: the one configured, or the one whose signature header is present.
    const profile = detect ? detectVendor(headers ?? {}, profiles) : only;
    if (profile === undefined) return fail(noVendor(), undefined, trace, request);
    // 3. secret: static, per vendor, or from a function (cached).
    // 4. verify, once the secret is known.
    return chainWith(secretFor(profile), verified, request, trace);
  }

  function verified(
    plan: VerifyPlan | WebhookError,
    request: DeliveryRequest,
    trace: Trace | undefined,
  ): MaybePromise<PipelineAnswer<V>> {
    if (plan instanceof WebhookError) return fail(plan, undefined, trace, request);
    const checked = verifyWith(plan, request?.body, request?.headers);
    // Not `chain`: its callback would be a closure over `trace` allocated per delivery (bench/README.md).
    return isPromise(checked)
      ? checked.then((result) => accepted(result, trace, request))
      : accepted(checked, trace, request);
  }

  function accepted(
    result: VerifyResult<VendorRef>,
    trace: Trace | undefined,
    request: DeliveryRequest,
  ): MaybePromise<PipelineAnswer<V>> {
    if (trace !== undefined) trace.verifiedAt = performance.now();
    if (!result.ok) return fail(result.error, undefined, trace, request);
    const event = result.event as WebhookEvent<V>;
    if (trace !== undefined) trace.secretIndex = result.secretIndex;
    // 5. dedupe.
    if (store === undefined) return handedOff(event, result.secretIndex, undefined, trace, request);
    const key = `${event.vendor}:${event.id}`;
    let state: ClaimState | PromiseLike<ClaimState>;
    try {
      state = store.claim(key, claimTtls.get(String(event.vendor))!);
    } catch (cause) {
      return storeDown(event, cause, trace, request);
    }
    if (isThenable(state)) {
      return Promise.resolve(state).then(
        (claimed) => claimed_(claimed, event, key, result.secretIndex, trace, request),
        (cause: unknown) => storeDown(event, cause, trace, request),
      );
    }
    return claimed_(state, event, key, result.secretIndex, trace, request);
  }

  function claimed_(
    state: ClaimState,
    event: WebhookEvent<V>,
    key: string,
    secretIndex: number,
    trace: Trace | undefined,
    request: DeliveryRequest,
  ): MaybePromise<PipelineAnswer<V>> {
    if (state === 'done' || state === 'in_progress') {
      if (trace !== undefined) trace.dedupe = state === 'done' ? 'duplicate' : 'in_progress';
      const error =
        state === 'done'
          ? new WebhookError('duplicate', 'This event was already processed.', { vendor: event.vendor })
          : new WebhookError('in_progress', 'This event is being processed; retry later.', { vendor: event.vendor });
      // Not failures to report: the vendor retried, and the first copy is (being) handled. Logged at debug.
      logged(error, event, request);
      return { next: false, status: error.status, body: error.toJSON(), headers: NO_HEADERS, event, error };
    }
    // Fail closed: a store that answers anything else (a custom store's bug, a client
    // returning its raw reply) has not said the event is new, so it is not processed.
    if (state !== 'new') {
      return storeDown(
        event,
        new TypeError(
          `dedupe.claim() returned ${describeClaim(state)}; a DedupeStore answers 'new', 'in_progress' or 'done'.`,
        ),
        trace,
        request,
      );
    }
    if (trace !== undefined) trace.dedupe = 'new';
    return handedOff(event, secretIndex, key, trace, request);
  }

  // 6. hand-off: the handlers, the app (options mode) or a queue; then the claim is completed or released.
  function handedOff(
    event: WebhookEvent<V>,
    secretIndex: number,
    key: string | undefined,
    trace: Trace | undefined,
    request: DeliveryRequest,
  ): MaybePromise<PipelineAnswer<V>> {
    const started = trace === undefined ? 0 : performance.now();
    const context = new DeliveryContext(
      request?.headers ?? NO_REQUEST_HEADERS,
      logFor(request) || SILENT,
      request?.closing,
    );
    // An instrumentation may give the hand-off its context (the delivery's span as parent of the handlers' own spans).
    const inContext = trace?.channel?.message.runInContext;
    let processing =
      inContext === undefined
        ? processEvent(event, secretIndex, key, context, request)
        : inContext(() => processEvent(event, secretIndex, key, context, request));
    if (trace !== undefined)
      processing = chain(processing, (answer) => ((trace.handOffMs = performance.now() - started), answer));
    if (limits.handlerTimeoutMs === undefined || !isPromise(processing)) return processing;
    return raced(processing, limits.handlerTimeoutMs, event, trace, context, request);
  }

  function processEvent(
    event: WebhookEvent<V>,
    secretIndex: number,
    key: string | undefined,
    context: DeliveryContext,
    request: DeliveryRequest,
  ): MaybePromise<PipelineAnswer<V>> {
    let handed: MaybePromise<HandOffAnswer>;
    try {
      handed = handOff(event, secretIndex, context);
    } catch (cause) {
      return handOffFailed(event, key, cause, context, request);
    }
    if (!isPromise(handed)) return processed(event, key, handed, context, request);
    return handed.then(
      (answer) => processed(event, key, answer, context, request),
      (cause: unknown) => handOffFailed(event, key, cause, context, request),
    );
  }

  /** Answers once the hand-off ends or `handlerTimeoutMs` passes, whichever is first. */
  async function raced(
    processing: Promise<PipelineAnswer<V>>,
    timeoutMs: number,
    event: WebhookEvent<V>,
    trace: Trace | undefined,
    context: DeliveryContext,
    request: DeliveryRequest,
  ): Promise<PipelineAnswer<V>> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const first = await Promise.race([processing, late]);
    clearTimeout(timer);
    if (first !== undefined) return first;
    // The hand-off goes on; `processEvent` still completes or releases the claim and reports
    // (and logs) a failure. Its signal tells the handlers their answer is no longer awaited.
    context.abort('answered');
    if (limits.earlyAck)
      return {
        next: false,
        status: 202,
        body: { ok: true, id: event.id, type: String(event.type) },
        headers: NO_HEADERS,
        event,
      };
    return fail(
      new WebhookError(
        'handler_timeout',
        `The event handler is still running after ${timeoutMs} ms; the vendor will retry.`,
        {
          vendor: event.vendor,
          hint: "Make the handler faster (persist, answer, work from a queue) or raise `handlerTimeoutMs`, keeping it below the vendor's deadline.",
        },
      ),
      event,
      trace,
      request,
    );
  }

  async function handOffFailed(
    event: WebhookEvent<V>,
    key: string | undefined,
    cause: unknown,
    context: DeliveryContext,
    request: DeliveryRequest,
  ): Promise<PipelineAnswer<V>> {
    context.release();
    if (store !== undefined && key !== undefined) {
      try {
        await store.release(key);
      } catch {
        // The claim expires after claimTtlMs; the vendor's retry is processed then.
      }
    }
    const error =
      cause instanceof WebhookError
        ? cause
        : new WebhookError('handler_error', 'The event handler failed; the vendor will retry.', {
            vendor: event.vendor,
            cause,
            hint: 'See error.cause for what your handler threw.',
          });
    return fail(error, event, undefined, request);
  }

  function processed(
    event: WebhookEvent<V>,
    key: string | undefined,
    handed: HandOffAnswer,
    context: DeliveryContext,
    request: DeliveryRequest,
  ): MaybePromise<PipelineAnswer<V>> {
    context.release();
    // Literals, not spreads: see bench/README.md#the-synchronous-path.
    const answer: PipelineAnswer<V> = {
      next: handed.next === true,
      status: handed.status,
      body: handed.body,
      headers: handed.headers ?? NO_HEADERS,
      event,
    };
    if (store === undefined || key === undefined) return answer;
    if (handed.claim === 'release') return released(store, key, answer);
    let stored: void | PromiseLike<void>;
    try {
      stored = store.complete(key, dedupeTtlMs);
    } catch (cause) {
      return notRecorded(event, answer, cause, request);
    }
    if (!isThenable(stored)) return answer;
    return Promise.resolve(stored).then(
      () => answer,
      (cause: unknown) => notRecorded(event, answer, cause, request),
    );
  }

  /** Queued, not processed: free the claim; a release that fails leaves it to expire (a retry meanwhile gets 409). */
  async function released(from: DedupeStore, key: string, answer: PipelineAnswer<V>): Promise<PipelineAnswer<V>> {
    try {
      await from.release(key);
    } catch {
      // The claim expires after claimTtlMs.
    }
    return answer;
  }

  /** Processed but not recorded: acknowledge (nothing is lost) and report it. */
  async function notRecorded(
    event: WebhookEvent<V>,
    answer: PipelineAnswer<V>,
    cause: unknown,
    request: DeliveryRequest,
  ): Promise<PipelineAnswer<V>> {
    const error = new WebhookError('store_unavailable', 'Processed, but the dedupe store did not record it.', {
      vendor: event.vendor,
      cause,
    });
    logged(error, event, request);
    await reported(error, event);
    return answer;
  }

  function storeDown(
    event: WebhookEvent<V>,
    cause: unknown,
    trace: Trace | undefined,
    request: DeliveryRequest,
  ): MaybePromise<PipelineAnswer<V>> {
    if (trace !== undefined) trace.dedupe = 'unavailable';
    return fail(
      new WebhookError('store_unavailable', 'The dedupe store is unavailable; retry later.', {
        vendor: event.vendor,
        cause,
        hint: 'Check the dedupe store (e.g. Redis) connection.',
      }),
      event,
      trace,
      request,
    );
  }

  // 7. answer: a failure is logged and reported to the observers, then answered with its status.
  function fail(
    error: WebhookError,
    event: WebhookEvent<V> | undefined,
    _trace: Trace | undefined,
    request: Pick<DeliveryRequest, 'log'> | undefined,
  ): MaybePromise<PipelineAnswer<V>> {
    logged(error, event, request);
    const headers = UNREAD_BODY.has(error.code) ? CLOSE : error.code === 'queue_unavailable' ? RETRY_AFTER : NO_HEADERS;
    const answer: PipelineAnswer<V> =
      event === undefined
        ? { next: false, status: error.status, body: error.toJSON(), headers, error }
        : { next: false, status: error.status, body: error.toJSON(), headers, error, event };
    if (report === undefined) return answer;
    return reported(error, event).then(() => answer);
  }

  async function reported(error: WebhookError, event: WebhookEvent<V> | undefined): Promise<void> {
    try {
      await report?.(error, event);
    } catch {
      // An observer must not change the answer to the vendor.
    }
  }

  function internalError(
    cause: unknown,
    trace: Trace | undefined,
    request: DeliveryRequest,
  ): MaybePromise<PipelineAnswer<V>> {
    return fail(
      new WebhookError('internal_error', 'hookproof failed to process the delivery.', {
        cause,
        hint: 'A bug in hookproof: please report it with error.cause.',
      }),
      undefined,
      trace,
      request,
    );
  }

  function noVendor(): WebhookError {
    return new WebhookError('missing_signature', 'No known webhook signature header is present.', {
      hint: `Expected one of ${profiles.map((p) => p.signatureHeader).join(', ')}.`,
    });
  }

  /** The one place every observed delivery ends: its record goes to every listener. */
  function settle(answer: PipelineAnswer<V>, trace: Trace): PipelineAnswer<V> {
    const end = performance.now();
    const { event, error } = answer;
    const record: DeliveryRecord = {
      code: error === undefined ? 'ok' : error.code,
      status: answer.status,
      vendor: event === undefined ? error?.vendor : String(event.vendor),
      type: event === undefined ? undefined : String(event.type),
      id: event?.id,
      secretIndex: trace.secretIndex,
      dedupe: store === undefined ? 'off' : trace.dedupe,
      verifyMs: trace.verifiedAt === undefined ? undefined : trace.verifiedAt - trace.start,
      handlersMs: trace.handOffMs,
      totalMs: end - trace.start,
      error,
    };
    for (const listener of listeners) {
      try {
        listener(record);
      } catch {
        // A listener must not change the answer.
      }
    }
    if (trace.channel !== undefined) traceEnded(trace.channel, record);
    return answer;
  }

  return {
    maxBodyBytes,
    bodyTimeoutMs,
    vendors: profiles,
    run,
    fail(error, event, request) {
      const trace = begin();
      const out = fail(error, event, trace, request);
      return trace === undefined ? out : chain(out, (answer) => settle(answer, trace));
    },
    observe(listener) {
      if (typeof listener !== 'function') throw setupError('pipeline.observe(listener): listener must be a function.');
      listeners.push(listener);
      return () => {
        const at = listeners.indexOf(listener);
        if (at >= 0) listeners.splice(at, 1);
      };
    },
  };
}
