import { bodyReading, type BodyReader } from './body-clock.js';
import type { OnWebhookError, PipelineAnswer } from './delivery-types.js';
import { answerWith, handWritten } from './engine.js';
import type { Pipeline } from './pipeline.js';
import { WebhookError, setupError } from './errors.js';
import { noteInlineOptions } from './inline-options.js';
import { checkOnError, checkOptionKeys } from './options.js';
import type { BodyRead } from './read-body.js';
import { createReceiver, type Receiver, type ReceiverOptions } from './receiver.js';
import type { VendorRef, WebhookEvent } from './types.js';
import type { VendorId } from './vendors/index.js';

/**
 * The Fetch port (Hono, Next.js route handlers, Bun, Deno, Workers), like tRPC's
 * `fetchRequestHandler`: read the body with the shared reader, run the receiver's pipeline,
 * turn its answer into a `Response`. Everything else happens in the pipeline.
 */

/** Options of `handleWebhook`: a receiver's options plus an `onEvent` handler. Reuse one object so dedupe state persists. */
export interface HandleWebhookOptions<V extends VendorRef = VendorId> extends ReceiverOptions<V> {
  /** Called with each verified, de-duplicated event before the 2xx is sent. */
  onEvent?: (event: WebhookEvent<V>) => unknown;
  /** Customise failure responses (status, body, headers), as the framework adapters' `onError`. Return nothing to keep the default. */
  onError?: OnWebhookError<V>;
}

/** A receiver and how the Fetch port answers its failures: `handleWebhook(request, { receiver, onError })`. */
export interface HandleWebhookReceiver<V extends VendorRef = VendorId> {
  readonly receiver: Receiver<V>;
  /** Customise failure responses (status, body, headers), as the framework adapters' `onError`. */
  readonly onError?: OnWebhookError<V> | undefined;
}

/** What the runtime knows about the connection, which a `Request` does not carry. */
export interface ConnectionInfo {
  /** The peer's address (Deno: `info.remoteAddr.hostname`, Bun: `server.requestIP(req)?.address`); needed only with `allowIps`. */
  readonly remoteAddress?: string | undefined;
}

interface Port {
  readonly pipeline: Pick<Pipeline<VendorRef>, 'run' | 'fail' | 'maxBodyBytes' | 'bodyTimeoutMs'>;
  readonly answer: ReturnType<typeof answerWith>;
  readonly readWebBody: BodyReader['readWebBody'];
}

// One receiver (and so one in-memory dedupe store and one body clock) per options object or receiver.
const ports = new WeakMap<object, Port>();

function isReceiver(value: unknown): value is Receiver<VendorRef> {
  return typeof value === 'object' && value !== null && typeof (value as Receiver).receive === 'function';
}

type Source = HandleWebhookOptions<VendorRef> | Receiver<VendorRef> | HandleWebhookReceiver<VendorRef>;

function portFor(source: Source): Port {
  let port = ports.get(source);
  if (port !== undefined) return port;
  let receiver: Receiver<VendorRef>;
  let onError: OnWebhookError<VendorRef> | undefined;
  if (isReceiver(source)) {
    receiver = source;
  } else if ('receiver' in source && isReceiver(source.receiver)) {
    const { receiver: own, onError: custom, ...rest } = source;
    if (Object.keys(rest).length > 0) {
      throw setupError(
        `with a receiver, put ${Object.keys(rest)
          .map((k) => `\`${k}\``)
          .join(', ')} in createReceiver({ ... }); handleWebhook(request, { receiver, onError }) takes only those two.`,
      );
    }
    checkOnError(custom);
    receiver = own;
    onError = custom;
  } else {
    checkOptionKeys(source, 'handleWebhook');
    checkOnError((source as HandleWebhookOptions<VendorRef>).onError);
    const { onEvent, onError: custom, ...options } = source as HandleWebhookOptions<VendorRef>;
    receiver = createReceiver(options);
    noteInlineOptions(source as HandleWebhookOptions<VendorRef>);
    if (onEvent !== undefined) receiver.onAny(onEvent);
    onError = custom;
  }
  // A receiver written by hand (no pipeline) is awaited through its receive and reject.
  const pipeline = (receiver as Partial<Receiver<VendorRef>>).pipeline ?? handWritten(receiver);
  port = {
    pipeline,
    answer: answerWith(onError),
    readWebBody: bodyReading(pipeline.maxBodyBytes, pipeline.bodyTimeoutMs).readWebBody,
  };
  ports.set(source, port);
  return port;
}

function json(
  answer: Pick<PipelineAnswer<VendorRef>, 'status' | 'body' | 'headers'>,
  extra?: Record<string, string>,
): Response {
  return new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...answer.headers, ...extra },
  });
}

/**
 * Reads a Fetch body once, stopping as soon as it passes `max` bytes, or (with
 * `timeoutMs` > 0) when the whole body has not arrived within that many ms. The reader
 * `handleWebhook` uses, with its limit, clock and errors.
 */
export function readFetchBody(
  request: Request,
  max: number,
  timeoutMs = 0,
): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; error: WebhookError }> {
  return new Promise((resolve) => {
    bodyReading(max, timeoutMs).readWebBody(request, (read) =>
      resolve(read.ok ? { ok: true, bytes: read.body } : read),
    );
  });
}

/**
 * The Fetch-runtime adapter (Hono, Next.js route handlers, Bun, Deno, Workers):
 * reads the raw body once, verifies, dedupes, runs handlers, and answers. A 2xx
 * is sent only after the handlers succeeded. Takes receiver options (one receiver is kept
 * per options object: create it once), a receiver, or `{ receiver, onError }`. Setup
 * mistakes reject the first call with a `TypeError` naming the fix.
 */
export async function handleWebhook<V extends VendorRef = VendorId>(
  request: Request,
  options: HandleWebhookOptions<V> | Receiver<V> | HandleWebhookReceiver<V>,
  connection?: ConnectionInfo,
): Promise<Response> {
  const { pipeline, answer, readWebBody } = portFor(options as unknown as Source);
  if (request.method !== 'POST') {
    return json(
      await answer(pipeline.fail(new WebhookError('method_not_allowed', 'Webhooks are delivered with POST.'))),
      { allow: 'POST' },
    );
  }
  const read = await new Promise<BodyRead>((resolve) => readWebBody(request, resolve));
  if (!read.ok) return json(await answer(pipeline.fail(read.error)));
  return json(
    await answer(pipeline.run({ body: read.body, headers: request.headers, remoteAddress: connection?.remoteAddress })),
  );
}
