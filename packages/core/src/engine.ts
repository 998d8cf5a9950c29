import { bodyReading } from './body-clock.js';
import type {
  DeliveryRequest,
  EngineRequest,
  EngineResult,
  EventFor,
  OnWebhookError,
  PipelineAnswer,
  ResolveVendor,
  VendorChoice,
  WebhookOptions,
} from './delivery-types.js';
import type { WebhookLogger } from './delivery-log.js';
import { WebhookError, setupError } from './errors.js';
import type { ClosingSource } from './handler-context.js';
import { chain, isPromise, promised, type MaybePromise } from './maybe.js';
import { checkOnError, checkOptionKeys, relabel } from './options.js';
import { createPipeline, type Pipeline, type PipelineOptions } from './pipeline.js';
import type { BodyRead, BodyStream } from './read-body.js';
import type { Receiver, ReceiveResult } from './receiver.js';
import type { VendorRef } from './types.js';
import { DEFAULT_MAX_BODY_BYTES } from './verify.js';
import { checkBodyTimeout } from './guard.js';
import type { VendorId } from './vendors/index.js';
export type {
  AnyWebhookEvent,
  EngineRequest,
  EngineResult,
  ErrorResponse,
  EventFor,
  OnWebhookError,
  ReceiverAdapterSettings,
  ResolveVendor,
  SecretMap,
  SecretSource,
  VendorChoice,
  WebhookOptions,
} from './delivery-types.js';
export type { SecretResolver } from './secret-source.js';

/**
 * The framework adapters' port over the delivery pipeline (pipeline.ts): options are
 * checked once at mount time (options mode: a pipeline whose hand-off passes the event on;
 * receiver mode: the receiver's own pipeline), then each request is `handle({ body,
 * headers })` (or `deliver`, from a Node request) -> the status, headers and JSON body to send, or `next: true` to pass a
 * verified event on. Adapters only read the raw body (`readBody`), call this, and write
 * the answer; customising failures with `onError` happens here, for every adapter alike.
 */

export interface WebhookEngine<V extends VendorRef = VendorId> {
  /** `verify`: verify and pass on; `receive`: a receiver verifies, dedupes, dispatches and answers. */
  readonly mode: 'verify' | 'receive';
  /** Stop reading a body past this many bytes (answer 413). */
  readonly maxBodyBytes: number;
  /** Give up on a body still arriving after this many ms (answer 408); 0 = no limit. */
  readonly bodyTimeoutMs: number;
  /**
   * Races a body read against `bodyTimeoutMs`: rejects with a `body_timeout` WebhookError
   * (which `readError` passes through) and swallows the read's own late rejection.
   */
  readWithin<T>(read: Promise<T>): Promise<T>;
  /**
   * The callback form of `readWithin`, for adapters that read the stream themselves:
   * `onTimeout` gets a `body_timeout` WebhookError if the returned `stop` is not called
   * within `bodyTimeoutMs`. No timer per request: one shared, unref'd timer per engine.
   */
  watchBody(onTimeout: (error: WebhookError) => void): () => void;
  /**
   * Reads a Node.js request stream (raw-body's rules: 413 before reading a declared
   * oversize, stop past the limit, content-length mismatch refused, `bodyTimeoutMs`) and
   * calls `done` once, in the tick the body ends. Never throws.
   */
  readBody(stream: BodyStream, contentLength: string | undefined, done: (read: BodyRead) => void): void;
  /**
   * The answer for one delivery: the result itself when nothing on the way is asynchronous
   * (a static secret checked with Node's synchronous HMAC and, for a receiver made by
   * `createReceiver`, synchronous handlers and store), a promise otherwise; `await` it.
   * Never throws, never rejects. `remoteAddress` (the socket's peer) is needed only with
   * `allowIps`. Why no promise: bench/README.md#the-synchronous-path.
   */
  handle(request: EngineRequest): MaybePromise<EngineResult<V>>;
  /**
   * One delivery from a Node.js request, start to answer, for the framework adapters: the
   * bytes a body parser kept (`kept`; a `WebhookError` such as `body_not_raw` if it kept
   * none), else the stream read with `readBody`; then the pipeline; then `done(answer,
   * streamed)` once, in the same tick when nothing on the way was asynchronous. `streamed`
   * says the body was read here (so the adapter may set the parsed payload as the body).
   * A throw in `done` or a broken hand-written receiver goes to `failed`, never uncaught.
   */
  deliver(
    request: NodeDelivery,
    kept: Uint8Array | string | WebhookError | undefined,
    done: (answer: EngineResult<V>, streamed: boolean) => void,
    failed: (error: unknown) => void,
    /** The framework's logger for this request (Fastify's `request.log`), used when the options set no `logger`. */
    log?: WebhookLogger,
  ): void;
  /** The response for a failure found by the adapter itself (body too large, already parsed, unreadable). */
  fail(error: WebhookError): Promise<EngineResult<V>>;
  /** A body-read error (raw-body's, or any stream error) as a `WebhookError`. */
  readError(cause: unknown): WebhookError;
}

/** The part of a Node.js request (`http.IncomingMessage`) `engine.deliver` reads. */
export interface NodeDelivery extends BodyStream {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** `server`: Node sets it on a server's sockets; a handler's `signal` fires when it closes. */
  readonly socket?:
    | { readonly remoteAddress?: string | undefined; readonly server?: ClosingSource | null | undefined }
    | null
    | undefined;
}

export interface EngineSettings<V extends VendorRef = VendorId> {
  /** Package name used in setup errors, e.g. `@hookproof/express`. */
  readonly name?: string;
  /** For receivers, which carry no `onError` of their own. */
  readonly onError?: OnWebhookError<V> | undefined;
}

/** A receiver as the engine needs it: one from createReceiver() (with its pipeline), or one written by hand (awaited). */
export type ReceiverLike<V extends VendorRef = VendorId> = Pick<Receiver<V>, 'options' | 'receive' | 'reject'> & {
  readonly pipeline?: Pipeline<V> | undefined;
};

function isReceiver(value: unknown): value is ReceiverLike<VendorRef> {
  return typeof value === 'object' && value !== null && typeof (value as Receiver).receive === 'function';
}

/** Checks options (throws a `TypeError` naming the fix) and returns the per-request flow. */
export function createWebhookEngine<V extends VendorRef>(
  receiver: ReceiverLike<V>,
  settings?: EngineSettings<V>,
): WebhookEngine<V>;
export function createWebhookEngine<V extends VendorChoice = VendorId>(
  options: WebhookOptions<V>,
  settings?: EngineSettings<ResolveVendor<V>>,
): WebhookEngine<ResolveVendor<V>>;
export function createWebhookEngine(
  source: WebhookOptions<VendorChoice> | ReceiverLike<VendorRef>,
  settings: EngineSettings<VendorRef> = {},
): WebhookEngine<VendorRef> {
  return relabel(settings.name ?? '@hookproof', () => {
    if (isReceiver(source)) {
      checkOnError(settings.onError);
      return portFor(source.pipeline ?? handWritten(source), settings.onError, 'receive');
    }
    if (typeof source !== 'object' || source === null) {
      throw setupError('pass options ({ vendor, secret }) or a receiver from createReceiver().');
    }
    checkOptionKeys(source, 'adapter');
    checkOnError(source.onError);
    // Options mode: the pipeline with no handlers and no dedupe; its hand-off passes the event on.
    const pipeline = createPipeline<VendorRef>(source as unknown as PipelineOptions, {
      dedupe: false,
      handOff: (event) => ({ status: 200, body: { ok: true, id: event.id, type: String(event.type) }, next: true }),
    });
    return portFor(pipeline, source.onError as OnWebhookError<VendorRef> | undefined, 'verify');
  });
}

/** A receiver written by hand has no pipeline: its `receive` and `reject` are awaited. */
export function handWritten(
  receiver: ReceiverLike<VendorRef>,
): Pick<Pipeline<VendorRef>, 'run' | 'fail' | 'maxBodyBytes' | 'bodyTimeoutMs'> {
  const answer = (result: ReceiveResult<VendorRef>): PipelineAnswer<VendorRef> => ({
    ...result,
    next: false,
    headers: {},
  });
  return {
    maxBodyBytes: receiver.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    bodyTimeoutMs: checkBodyTimeout(receiver.options.bodyTimeoutMs),
    run(request) {
      try {
        return receiver.receive(request).then(answer);
      } catch (cause) {
        // A hand-written receiver broke its never-throws contract: the adapter's rejection path.
        return Promise.reject(cause);
      }
    },
    fail: (error) => receiver.reject(error).then(answer),
  };
}

/**
 * The answer stage's customisation: `onError` may change a failure's status, body and
 * headers; anything it leaves out (or a throw) keeps the default.
 */
async function customised(
  answer: PipelineAnswer<VendorRef>,
  onError: OnWebhookError<VendorRef>,
): Promise<PipelineAnswer<VendorRef>> {
  let { status, body, headers } = answer;
  try {
    const custom = await onError(answer.error!, answer.event as EventFor<VendorRef> | undefined);
    if (custom !== undefined && custom !== null) {
      if (Number.isInteger(custom.status) && custom.status! >= 100 && custom.status! <= 599) status = custom.status!;
      if (custom.body !== undefined) body = custom.body;
      if (custom.headers !== undefined) headers = custom.headers;
    }
  } catch {
    // A failing onError must not turn a clean 4xx into a crash: keep the default answer.
  }
  return { ...answer, status, body, headers };
}

/** The answer stage of a port: as the pipeline answers, or with failures customised by `onError`. */
export function answerWith(
  onError: OnWebhookError<VendorRef> | undefined,
): (out: MaybePromise<PipelineAnswer<VendorRef>>) => MaybePromise<PipelineAnswer<VendorRef>> {
  if (onError === undefined) return (out) => out;
  return (out) => chain(out, (a) => (a.error !== undefined && a.status >= 400 ? customised(a, onError) : a));
}

function portFor(
  pipeline: Pick<Pipeline<VendorRef>, 'run' | 'fail' | 'maxBodyBytes' | 'bodyTimeoutMs'>,
  onError: OnWebhookError<VendorRef> | undefined,
  mode: 'verify' | 'receive',
): WebhookEngine<VendorRef> {
  const { maxBodyBytes, bodyTimeoutMs } = pipeline;
  const answer = answerWith(onError);
  const handle = (request: DeliveryRequest): MaybePromise<EngineResult<VendorRef>> => answer(pipeline.run(request));
  const reading = bodyReading(maxBodyBytes, bodyTimeoutMs);
  type Done = (answer: EngineResult<VendorRef>, streamed: boolean) => void;
  const finish = (
    result: EngineResult<VendorRef>,
    streamed: boolean,
    done: Done,
    failed: (error: unknown) => void,
  ): void => {
    try {
      done(result, streamed);
    } catch (error) {
      // Defence in depth (a custom onError body JSON cannot serialise, ...): the framework's error path.
      failed(error);
    }
  };
  // Not `chain`: four values, and no closure per delivery on the synchronous path
  // (bench/README.md#the-synchronous-path).
  const settle = (
    out: MaybePromise<EngineResult<VendorRef>>,
    streamed: boolean,
    done: Done,
    failed: (error: unknown) => void,
  ): void => {
    if (isPromise(out)) out.then((result) => finish(result, streamed, done, failed), failed);
    else finish(out, streamed, done, failed);
  };
  const run = (
    request: NodeDelivery,
    body: Uint8Array | string | WebhookError,
    streamed: boolean,
    done: Done,
    failed: (error: unknown) => void,
    log: WebhookLogger | undefined,
  ): void => {
    const socket = request.socket;
    const out =
      body instanceof WebhookError
        ? answer(pipeline.fail(body, undefined, { log }))
        : handle({
            body,
            headers: request.headers,
            remoteAddress: socket?.remoteAddress,
            log,
            closing: socket?.server ?? undefined,
          });
    settle(out, streamed, done, failed);
  };
  return {
    mode,
    maxBodyBytes,
    bodyTimeoutMs,
    ...reading,
    handle,
    deliver(request, kept, done, failed, log) {
      if (kept !== undefined) return run(request, kept, false, done, failed, log);
      const length = request.headers['content-length'];
      reading.readBody(request, typeof length === 'string' ? length : undefined, (read) =>
        run(request, read.ok ? read.body : read.error, true, done, failed, log),
      );
    },
    fail: (error) => promised(answer(pipeline.fail(error))),
  };
}
