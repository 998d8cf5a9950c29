import { BodyBuffer } from './body-buffer.js';
import { WebhookError } from './errors.js';
import { checkBodyTimeout } from './guard.js';
import { noteInlineOptions } from './inline-options.js';
import { createReceiver, type Receiver, type ReceiverOptions } from './receiver.js';
import type { VendorRef, WebhookEvent } from './types.js';
import { DEFAULT_MAX_BODY_BYTES } from './verify.js';
import type { VendorId } from './vendors/index.js';

/** Options of `handleWebhook`: a receiver's options plus an `onEvent` handler. Reuse one object so dedupe state persists. */
export interface HandleWebhookOptions<V extends VendorRef = VendorId> extends ReceiverOptions<V> {
  /** Called with each verified, de-duplicated event before the 2xx is sent. */
  onEvent?: (event: WebhookEvent<V>) => unknown;
}

const receivers = new WeakMap<object, Receiver<VendorRef>>();

function isReceiver(value: unknown): value is Receiver<VendorRef> {
  return typeof value === 'object' && value !== null && typeof (value as Receiver).receive === 'function';
}

function receiverFor<V extends VendorRef>(options: HandleWebhookOptions<V> | Receiver<V>): Receiver<V> {
  if (isReceiver(options)) return options as Receiver<V>;
  const opts = options as HandleWebhookOptions<V>;
  // One receiver per options object, so the default in-memory dedupe store persists across requests.
  let receiver = receivers.get(opts) as Receiver<V> | undefined;
  if (receiver === undefined) {
    receiver = createReceiver(opts);
    noteInlineOptions(opts);
    if (opts.onEvent !== undefined) receiver.onAny(opts.onEvent);
    receivers.set(opts, receiver as unknown as Receiver<VendorRef>);
  }
  return receiver;
}

function json(status: number, body: unknown, extra: Readonly<Record<string, string>> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...extra },
  });
}

type BodyRead = { ok: true; bytes: Uint8Array } | { ok: false; error: WebhookError };

/** What the runtime knows about the connection, which a `Request` does not carry. */
export interface ConnectionInfo {
  /** The peer's address (Deno: `info.remoteAddr.hostname`, Bun: `server.requestIP(req)?.address`); needed only with `allowIps`. */
  readonly remoteAddress?: string | undefined;
}

/**
 * Reads a Fetch body once, stopping as soon as it passes `max` bytes, or (with
 * `timeoutMs` > 0) when the whole body has not arrived within that many ms.
 */
export async function readFetchBody(request: Request, max: number, timeoutMs = 0): Promise<BodyRead> {
  const tooLarge = (): BodyRead => ({
    ok: false,
    error: new WebhookError('payload_too_large', `The body is larger than ${max} bytes.`),
  });
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) return tooLarge();
  if (request.body === null) return { ok: true, bytes: new Uint8Array(0) };
  if (request.bodyUsed) {
    return {
      ok: false,
      error: new WebhookError('body_not_raw', 'The request body was already read.', {
        hint: 'Call handleWebhook(request) before anything reads request.json() or request.text(); a body stream can be read once.',
      }),
    };
  }
  const reader = request.body.getReader();
  // One growing buffer, not an array of chunks: a body trickled a byte at a time costs what it weighs.
  const body = new BodyBuffer(Number.isFinite(declared) && request.headers.has('content-length') ? declared : -1, max);
  // On timeout the reader is cancelled, which settles the pending read as done. Not a
  // Promise.race against one long-lived timeout promise: every race left a reaction on it
  // holding that read's chunk until the timeout, hundreds of bytes per chunk received.
  let late = false;
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          late = true;
          reader.cancel().catch(() => undefined);
        }, timeoutMs)
      : undefined;
  try {
    for (;;) {
      const next = await reader.read();
      if (late) {
        return {
          ok: false,
          error: new WebhookError('body_timeout', `The request body did not arrive within ${timeoutMs} ms.`, {
            hint: 'A stalled or very slow sender; raise `bodyTimeoutMs` if the vendor really is this slow.',
          }),
        };
      }
      const { done, value } = next;
      if (done) break;
      if (body.size + value.byteLength > max) {
        await reader.cancel().catch(() => undefined);
        return tooLarge();
      }
      body.push(value);
    }
  } finally {
    clearTimeout(timer);
  }
  return { ok: true, bytes: body.bytes() };
}

/**
 * The Fetch-runtime adapter (Hono, Next.js route handlers, Bun, Deno, Workers):
 * reads the raw body once, verifies, dedupes, runs handlers, and answers. A 2xx
 * is sent only after the handlers succeeded.
 */
export async function handleWebhook<V extends VendorRef = VendorId>(
  request: Request,
  options: HandleWebhookOptions<V> | Receiver<V>,
  connection?: ConnectionInfo,
): Promise<Response> {
  const receiver = receiverFor(options);
  if (request.method !== 'POST') {
    const refused = await receiver.reject(new WebhookError('method_not_allowed', 'Webhooks are delivered with POST.'));
    return json(refused.status, refused.body, { allow: 'POST' });
  }
  let read: BodyRead;
  try {
    read = await readFetchBody(request, receiver.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, checkBodyTimeout(receiver.options.bodyTimeoutMs));
  } catch (cause) {
    read = { ok: false, error: new WebhookError('body_timeout', 'The request body could not be read.', { cause }) };
  }
  // The rest of an unread body would keep the connection busy: ask the runtime to close it.
  if (!read.ok) {
    const refused = await receiver.reject(read.error);
    return json(refused.status, refused.body, read.error.code === 'body_not_raw' ? {} : { connection: 'close' });
  }
  const result = await receiver.receive({ body: read.bytes, headers: request.headers, remoteAddress: connection?.remoteAddress });
  return json(result.status, result.body, result.headers);
}
