// The conformance driver for Fastify: the plugin registered in its own scope, requests
// through fastify.inject() (or a real listen on 127.0.0.1 for chunked bodies and the
// `listen` transport), one app per mount.
import type { FastifyInstance } from 'fastify';
import hookproof from '@hookproof/fastify';
import { HOOK_PATH, isReceiverMount, type AdapterDriver, type MountSpec, type WireRequest, type WireResponse } from '../../../conformance/driver.js';
import { parseJson, sendWithSupertest } from '../../../conformance/http.js';

/** What fastify 4's and 5's default exports have in common here. */
export type FastifyFactory = (options?: { logger?: boolean }) => FastifyInstance;

async function inject(app: FastifyInstance, wire: WireRequest): Promise<WireResponse> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of wire.headers) {
    const key = name.toLowerCase();
    const prev = headers[key];
    headers[key] = prev === undefined ? value : [prev].flat().concat(value);
  }
  const res = await app.inject({ method: 'POST', url: HOOK_PATH, headers, payload: wire.body });
  return { status: res.statusCode, body: parseJson(res.body), text: res.body, headers: res.headers as Record<string, string | string[] | undefined> };
}

/** Registers the plugin the way the README shows: inside a scope holding the webhook route. */
async function webhookScope(scope: FastifyInstance, spec: MountSpec): Promise<void> {
  const { webhook } = spec;
  if (isReceiverMount(webhook)) {
    await scope.register(hookproof, { receiver: webhook.receiver, ...(webhook.settings?.onError ? { onError: webhook.settings.onError } : {}), path: HOOK_PATH });
    return;
  }
  await scope.register(hookproof, webhook);
  if (spec.prior !== undefined) {
    // A parser registered after ours in the same scope, as an app might by mistake.
    const keep = spec.prior === 'json-keep-raw';
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      if (keep) (request as unknown as { rawBody: Buffer }).rawBody = body as Buffer;
      try {
        done(null, JSON.parse(body.toString('utf8')));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  }
  scope.post(HOOK_PATH, async (request) => {
    const event = request.webhook;
    if (event === undefined) throw new Error('request.webhook is not set');
    return { via: 'next', vendor: event.vendor, type: String(event.type), id: event.id };
  });
}

export function fastifyDriver(name: string, Fastify: FastifyFactory, transport: 'inject' | 'listen' = 'inject'): AdapterDriver {
  return {
    name: transport === 'listen' ? `${name} (listening on 127.0.0.1)` : name,
    packageName: '@hookproof/fastify',
    async mount(spec) {
      const app = Fastify({ logger: false });
      // Anything reaching Fastify's error handler is a bug of ours: make it visible.
      app.setErrorHandler((error, _request, reply) => reply.code(599).send({ unexpected: error instanceof Error ? error.message : String(error) }));
      await app.register(async (scope) => webhookScope(scope, spec));
      try {
        await app.ready();
      } catch (error) {
        await app.close();
        throw error;
      }
      let listening = false;
      const ensureListening = async () => {
        if (!listening) await app.listen({ port: 0, host: '127.0.0.1' });
        listening = true;
      };
      return {
        async send(request) {
          if (transport === 'inject' && request.chunked !== true) return inject(app, request);
          await ensureListening();
          return sendWithSupertest(app.server, request);
        },
        async listen() {
          await ensureListening();
          const address = app.server.address();
          if (address === null || typeof address === 'string') throw new Error('not listening on a port');
          return `http://127.0.0.1:${address.port}`;
        },
        close: () => app.close(),
      };
    },
  };
}
