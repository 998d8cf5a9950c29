import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type OnWebhookError, type Receiver, type VendorChoice, type VendorRef, type WebhookError, type WebhookOptions } from '@hookproof/core';
import { createWebhookEngine, setupError, type EngineResult } from '@hookproof/core/adapter';
import { bodyNotRaw, isRaw, rawBodyParser, ReadFailure } from './body.js';
import './augment.js';

const NAME = '@hookproof/fastify';
const EMPTY = new Uint8Array(0);

/** Options mode: verify each request of the scope in a preHandler and expose `request.webhook`. */
// `onError` is spelt exactly as in receiver mode: with one type in both shapes of the
// options union, an inline `onError` gets its parameter types (no implicit any).
export type FastifyVerifyOptions = Omit<WebhookOptions<VendorChoice>, 'onError'> & {
  readonly onError?: OnWebhookError<VendorRef>;
};

/** A receiver from createReceiver(), of any vendor (`Receiver<V>` is invariant in `V`). */
export interface AnyReceiver {
  readonly options: { readonly maxBodyBytes?: number | undefined };
  receive(request: { body: unknown; headers: FastifyRequest['headers'] }): Promise<{ readonly status: number; readonly body: unknown }>;
}

/** Receiver mode: verify, dedupe, dispatch and answer. */
export interface FastifyReceiverOptions {
  readonly receiver: AnyReceiver;
  readonly onError?: OnWebhookError<VendorRef>;
  /**
   * Registers `POST path`, answered by the receiver, in a scope of its own (so the plugin can
   * be registered at the root). Without it, every route of the registering scope is answered.
   */
  readonly path?: string;
}

export type HookproofFastifyOptions = FastifyVerifyOptions | FastifyReceiverOptions;

// Fastify's own register options, which reach the plugin with the user's.
const REGISTER_KEYS = new Set(['prefix', 'logLevel', 'logSerializers']);

function isReceiverOptions(options: HookproofFastifyOptions): options is FastifyReceiverOptions {
  return typeof options === 'object' && options !== null && 'receiver' in options;
}

function engineFor(options: HookproofFastifyOptions) {
  if (typeof options !== 'object' || options === null) {
    throw setupError(`register(hookproof, { vendor, secret }) or register(hookproof, { receiver }) takes an options object.`, NAME);
  }
  const own = Object.fromEntries(Object.entries(options).filter(([key]) => !REGISTER_KEYS.has(key)));
  if (isReceiverOptions(options)) {
    const { receiver, onError, path, ...rest } = own as unknown as FastifyReceiverOptions & Record<string, unknown>;
    if (typeof receiver?.receive !== 'function') throw setupError(`\`receiver\` must come from createReceiver().`, NAME);
    const extra = Object.keys(rest);
    if (extra.length > 0) {
      throw setupError(`with a receiver, put ${extra.map((k) => `\`${k}\``).join(', ')} in createReceiver({ ... }); the plugin takes only receiver, onError and path.`, NAME);
    }
    if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
      throw setupError(`\`path\` must be a route path starting with '/', e.g. '/hooks/aidelly'.`, NAME);
    }
    return { engine: createWebhookEngine(receiver as unknown as Receiver<VendorRef>, { name: NAME, onError }), path };
  }
  if ('path' in own) {
    throw setupError(`\`path\` is for receivers (register(hookproof, { receiver, path })); with options, declare your own route in the scope.`, NAME);
  }
  return { engine: createWebhookEngine(own as unknown as WebhookOptions<VendorChoice>, { name: NAME }), path: undefined };
}

/** The bytes the scope's parser read (or its failure), else the raw bytes another parser kept, else `body_not_raw`. */
function keptBody(request: FastifyRequest): Uint8Array | string | WebhookError {
  const body: unknown = request.body ?? EMPTY;
  if (body instanceof ReadFailure) return body.error;
  if (isRaw(body)) return body;
  const kept = (request as unknown as { rawBody?: unknown }).rawBody;
  return isRaw(kept) ? kept : bodyNotRaw();
}

/**
 * Registered in a scope (`app.register(async (scope) => { await scope.register(hookproof, ...) })`),
 * the plugin parses every content type of that scope as a raw Buffer (other scopes keep
 * Fastify's JSON parsing), verifies each request in a `preHandler`, sets
 * `request.webhook` and `request.body` (the parsed payload), and answers failures with
 * `{ error, message }`. With `{ receiver }` it also dedupes, dispatches and answers.
 */
async function hookproofPlugin(instance: FastifyInstance, options: HookproofFastifyOptions): Promise<void> {
  const { engine, path } = engineFor(options);
  // The scope's bodies stay raw bytes, whatever the content type (vendors and proxies send
  // text/plain or none at times); the signature is over the bytes.
  const parseRaw = (scope: FastifyInstance): void => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', rawBodyParser(engine));
    scope.addContentTypeParser('*', rawBodyParser(engine));
  };
  const send = (reply: FastifyReply, result: EngineResult<VendorRef>): unknown => reply.code(result.status).headers(result.headers).send(result.body);
  // Callback handlers, not `async` ones: on the common path core has its answer at once and
  // Fastify follows no promise of ours (bench/README.md#the-synchronous-path).
  if (path !== undefined) {
    // The plugin owns this route, in a child scope so the raw parsing stays on it.
    await instance.register(async (own) => {
      parseRaw(own);
      own.post(path, (request, reply) => {
        engine.deliver(request.raw, keptBody(request), (result) => void send(reply, result), (error) => void reply.send(error));
      });
    });
    return;
  }
  parseRaw(instance);
  if (!instance.hasRequestDecorator('webhook')) instance.decorateRequest('webhook', undefined);
  instance.addHook('preHandler', (request, reply, done) => {
    engine.deliver(request.raw, keptBody(request), (result) => {
      // Answered here: Fastify skips the handler once the reply is sent, and `done` is not called.
      if (!result.next || result.event === undefined) return void send(reply, result);
      (request as { webhook: unknown }).webhook = result.event;
      // Handlers read the parsed payload, as with Fastify's JSON parser. A kept-raw parser's body stays.
      if (isRaw(request.body) || request.body === undefined) request.body = result.event.payload;
      done();
    }, (error) => done(error as Error));
  });
}

/** The plugin, for `fastify: '4.x || 5.x'`. Register it inside the scope that holds the webhook routes. */
export const hookproof = fp(hookproofPlugin, { fastify: '4.x || 5.x', name: NAME });
