// The conformance driver for Koa: one app per mount (routes with @koa/router, the way
// most Koa apps mount middleware), requests through supertest.
import type Koa from 'koa';
import type { Middleware } from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import getRawBody from 'raw-body';
import { webhook } from '@hookproof/koa';
import { HOOK_PATH, isReceiverMount, type AdapterDriver } from '../../../conformance/driver.js';
import { lazyServer, sendWithSupertest } from '../../../conformance/http.js';

export type KoaClass = new () => Koa;

/** Stands in for parsers that keep no raw bytes (koa-body, a hand-written JSON parser). */
const jsonParserWithoutRaw: Middleware = async (ctx, next) => {
  if (ctx.is('application/json')) {
    const text = await getRawBody(ctx.req, { encoding: 'utf8' });
    (ctx.request as { body?: unknown }).body = JSON.parse(text);
  }
  await next();
};

export function koaDriver(name: string, KoaApp: KoaClass): AdapterDriver {
  return {
    name,
    packageName: '@hookproof/koa',
    async mount(spec) {
      const app = new KoaApp();
      // Anything thrown past the middleware is a bug of ours: make it visible.
      app.use(async (ctx, next) => {
        try {
          await next();
        } catch (error) {
          ctx.status = 599;
          ctx.body = { unexpected: error instanceof Error ? error.message : String(error) };
        }
      });
      if (spec.prior === 'json') app.use(jsonParserWithoutRaw);
      if (spec.prior === 'json-keep-raw') app.use(bodyParser());
      const middleware = isReceiverMount(spec.webhook) ? webhook(spec.webhook.receiver, spec.webhook.settings) : webhook(spec.webhook);
      const router = new Router();
      router.post(HOOK_PATH, middleware as Middleware, (ctx) => {
        const event = ctx.state.webhook!;
        ctx.body = { via: 'next', vendor: event.vendor, type: String(event.type), id: event.id };
      });
      app.use(router.routes());
      const server = lazyServer(app.callback());
      return { send: (request) => sendWithSupertest(app.callback(), request), listen: server.listen, close: server.close };
    },
  };
}
