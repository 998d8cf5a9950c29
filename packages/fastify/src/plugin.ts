import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VendorRef, WebhookError } from '@hookproof/core';
import { isRawBody, pluginEngine, type EngineResult } from '@hookproof/core/adapter';
import { bodyNotRaw, rawBodyParser, ReadFailure } from './body.js';
import './augment.js';
import type { HookproofFastifyOptions } from './types.js';

const NAME = '@hookproof/fastify';
const EMPTY = new Uint8Array(0);

// Fastify's own register options reach the plugin with the user's.
const FRAMEWORK_KEYS = new Set(['prefix', 'logLevel', 'logSerializers']);
const SHAPE = { name: NAME, call: 'register(hookproof, ', frameworkKeys: FRAMEWORK_KEYS };

/** The bytes the scope's parser read (or its failure), else the raw bytes another parser kept, else `body_not_raw`. */
function keptBody(request: FastifyRequest): Uint8Array | string | WebhookError {
  const body: unknown = request.body ?? EMPTY;
  if (body instanceof ReadFailure) return body.error;
  if (isRawBody(body)) return body;
  const kept = (request as unknown as { rawBody?: unknown }).rawBody;
  return isRawBody(kept) ? kept : bodyNotRaw();
}

/**
 * Registered in a scope (`app.register(async (scope) => { await scope.register(hookproof, ...) })`),
 * the plugin parses every content type of that scope as a raw Buffer (other scopes keep
 * Fastify's JSON parsing), verifies each request in a `preHandler`, sets
 * `request.webhook` and `request.body` (the parsed payload), and answers failures with
 * `{ error, message }`. With `{ receiver }` it also dedupes, dispatches and answers.
 */
async function hookproofPlugin(instance: FastifyInstance, options: HookproofFastifyOptions): Promise<void> {
  const { engine, path } = pluginEngine(options, SHAPE);
  // The scope's bodies stay raw bytes, whatever the content type (vendors and proxies send
  // text/plain or none at times); the signature is over the bytes.
  const parseRaw = (scope: FastifyInstance): void => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', rawBodyParser(engine));
    scope.addContentTypeParser('*', rawBodyParser(engine));
  };
  const send = (reply: FastifyReply, result: EngineResult<VendorRef>): unknown =>
    reply.code(result.status).headers(result.headers).send(result.body);
  // Callback handlers, not `async` ones: on the common path core has its answer at once and
  // Fastify follows no promise of ours (bench/README.md#the-synchronous-path).
  if (path !== undefined) {
    // The plugin owns this route, in a child scope so the raw parsing stays on it.
    await instance.register(async (own) => {
      parseRaw(own);
      own.post(path, (request, reply) => {
        engine.deliver(
          request.raw,
          keptBody(request),
          (result) => void send(reply, result),
          (error) => void reply.send(error),
          request.log,
        );
      });
    });
    return;
  }
  parseRaw(instance);
  if (!instance.hasRequestDecorator('webhook')) instance.decorateRequest('webhook', undefined);
  instance.addHook('preHandler', (request, reply, done) => {
    engine.deliver(
      request.raw,
      keptBody(request),
      (result) => {
        // Answered here: Fastify skips the handler once the reply is sent, and `done` is not called.
        if (!result.next || result.event === undefined) return void send(reply, result);
        (request as { webhook: unknown }).webhook = result.event;
        // Handlers read the parsed payload, as with Fastify's JSON parser. A kept-raw parser's body stays.
        if (isRawBody(request.body) || request.body === undefined) request.body = result.event.payload;
        done();
      },
      (error) => done(error as Error),
      request.log,
    );
  });
}

/** The plugin, for `fastify: '4.x || 5.x'`. Register it inside the scope that holds the webhook routes. */
export const hookproof = fp(hookproofPlugin, { fastify: '4.x || 5.x', name: NAME });
