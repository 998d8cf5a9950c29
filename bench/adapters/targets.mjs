// The servers bench/adapters drives, one per child process. Each mounts its handler the
// way the package README shows (packages/{express,fastify,koa}/README.md) or, for the
// baselines, the way a developer would write it by hand on that framework. Every one
// answers POST /hooks with 200 and JSON after verifying the one signed delivery.
import { createServer } from 'node:http';
import { PATH, SECRET } from './delivery.mjs';
import { readBody, verifyByHand } from './hand.mjs';

/** An http.Server listening on 127.0.0.1:0 -> its port. */
function listenNode(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, close: () => new Promise((r) => server.close(r)) }));
  });
}

/** A trivial handler for receiver mode: reads the typed payload, as an app would. */
let seen = 0;
const onPublished = (event) => {
  if (event.payload.data.post_id) seen++;
};

async function receiver() {
  const { createReceiver } = await import('@hookproof/core');
  // dedupe off: the bench sends one delivery over and over; with the default store every
  // request after the first would be a 200 `duplicate` that skips the handlers.
  return createReceiver({ vendor: 'aidelly', secret: SECRET, dedupe: false }).on('post.published', onPublished);
}

// --- express -------------------------------------------------------------------------

async function expressApp() {
  const { default: express } = await import('express');
  const app = express();
  app.disable('x-powered-by');
  return app;
}

const expressTargets = {
  async 'express/hand'() {
    const app = await expressApp();
    app.post(PATH, (req, res, next) => {
      readBody(req).then((raw) => {
        const out = verifyByHand(raw, req.headers['aidelly-signature']);
        res.status(out.status).json(out.body);
      }, next);
    });
    return listenNode(createServer(app));
  },
  // The same hand-written check as a middleware in front of the route's handler: the shape
  // of `webhook(options)`. Not a gated baseline; it shows what Express charges for the
  // second handler on a route, which any verifying middleware pays.
  async 'express/hand-middleware'() {
    const app = await expressApp();
    const verifyMiddleware = (req, res, next) => {
      readBody(req).then((raw) => {
        const out = verifyByHand(raw, req.headers['aidelly-signature']);
        if (out.status !== 200) return res.status(out.status).json(out.body);
        req.webhook = { id: out.body.id, type: out.body.type, payload: out.payload };
        next();
      }, next);
    };
    app.post(PATH, verifyMiddleware, (req, res) => {
      const event = req.webhook;
      res.json({ ok: true, id: event.id, type: event.type });
    });
    return listenNode(createServer(app));
  },
  async 'express/hookproof'() {
    const { webhook } = await import('@hookproof/express');
    const app = await expressApp();
    app.post(PATH, webhook({ vendor: 'aidelly', secret: SECRET }), (req, res) => {
      const event = req.webhook;
      res.json({ ok: true, id: event.id, type: event.type });
    });
    return listenNode(createServer(app));
  },
  async 'express/hookproof-receiver'() {
    const { webhook } = await import('@hookproof/express');
    const app = await expressApp();
    app.post(PATH, webhook(await receiver()));
    return listenNode(createServer(app));
  },
};

// --- fastify -------------------------------------------------------------------------

async function fastifyListen(setup) {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  await setup(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: app.server.address().port, close: () => app.close() };
}

const fastifyTargets = {
  'fastify/hand': () =>
    fastifyListen(async (app) => {
      // The idiomatic hand-written way: a scope whose JSON parser keeps the Buffer.
      app.register(async (scope) => {
        scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
        scope.post(PATH, async (request, reply) => {
          const out = verifyByHand(request.body, request.headers['aidelly-signature']);
          return reply.code(out.status).send(out.body);
        });
      });
    }),
  'fastify/hookproof': async () => {
    const { default: hookproof } = await import('@hookproof/fastify');
    return fastifyListen(async (app) => {
      app.register(async (hooks) => {
        await hooks.register(hookproof, { vendor: 'aidelly', secret: SECRET });
        hooks.post(PATH, async (request) => {
          const event = request.webhook;
          return { ok: true, id: event.id, type: event.type };
        });
      });
    });
  },
  'fastify/hookproof-receiver': async () => {
    const { default: hookproof } = await import('@hookproof/fastify');
    const r = await receiver();
    return fastifyListen(async (app) => {
      app.register(hookproof, { receiver: r, path: PATH });
    });
  },
};

// --- koa -----------------------------------------------------------------------------

async function koaListen(...middleware) {
  const { default: Koa } = await import('koa');
  const app = new Koa();
  for (const m of middleware) app.use(m);
  return listenNode(createServer(app.callback()));
}

const koaTargets = {
  'koa/hand': () =>
    koaListen(async (ctx) => {
      const out = verifyByHand(await readBody(ctx.req), ctx.get('aidelly-signature'));
      ctx.status = out.status;
      ctx.body = out.body;
    }),
  'koa/hookproof': async () => {
    const { webhook } = await import('@hookproof/koa');
    return koaListen(webhook({ vendor: 'aidelly', secret: SECRET }), (ctx) => {
      const event = ctx.state.webhook;
      ctx.body = { ok: true, id: event.id, type: event.type };
    });
  },
  'koa/hookproof-receiver': async () => {
    const { webhook } = await import('@hookproof/koa');
    return koaListen(webhook(await receiver()));
  },
};

// --- plain node:http -----------------------------------------------------------------

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

const nodeTargets = {
  'node/hand': () =>
    listenNode(
      createServer((req, res) => {
        if (req.method !== 'POST' || req.url !== PATH) return sendJson(res, 404, { error: 'not_found' });
        readBody(req).then(
          (raw) => {
            const out = verifyByHand(raw, req.headers['aidelly-signature']);
            sendJson(res, out.status, out.body);
          },
          (error) => sendJson(res, error.status ?? 400, { error: 'unreadable' }),
        );
      }),
    ),
  'node/octokit': async () => {
    const { Webhooks, createNodeMiddleware } = await import('@octokit/webhooks');
    const webhooks = new Webhooks({ secret: SECRET });
    webhooks.on('push', (event) => {
      if (event.payload.data.post_id) seen++;
    });
    // Its default logger prints every refused delivery; the bench's sanity check sends one.
    const quiet = () => {};
    const middleware = createNodeMiddleware(webhooks, { path: PATH, log: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
    return listenNode(createServer((req, res) => middleware(req, res, () => sendJson(res, 404, { error: 'not_found' }))));
  },
  // hookproof's core receiver on the same bare server as the octokit row: no framework.
  'node/hookproof-receiver': async () => {
    const r = await receiver();
    return listenNode(
      createServer((req, res) => {
        if (req.method !== 'POST' || req.url !== PATH) return sendJson(res, 404, { error: 'not_found' });
        readBody(req).then(
          (body) => r.receive({ body, headers: req.headers }).then((out) => sendJson(res, out.status, out.body)),
          (error) => sendJson(res, error.status ?? 400, { error: 'unreadable' }),
        );
      }),
    );
  },
};

export const TARGETS = { ...expressTargets, ...fastifyTargets, ...koaTargets, ...nodeTargets };

/** Which header scheme a target expects. */
export const schemeOf = (name) => (name === 'node/octokit' ? 'github' : 'aidelly');
