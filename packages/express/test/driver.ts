// The conformance driver for Express: one app per mount, requests through supertest.
import type { RequestListener } from 'node:http';
import { keepRawBody, webhook } from '@hookproof/express';
import { HOOK_PATH, isReceiverMount, type AdapterDriver } from '../../../conformance/driver.js';
import { lazyServer, sendWithSupertest } from '../../../conformance/http.js';

type Handler = (req: never, res: never, next: never) => unknown;

/** The part of express 4 and 5 the driver uses (their typings differ, their API here does not). */
export interface ExpressModule {
  (): RequestListener & { use(...handlers: Handler[]): unknown; post(path: string, ...handlers: Handler[]): unknown };
  json(options?: { verify?: typeof keepRawBody; type?: string | string[] }): Handler;
}

interface Req {
  webhook?: { vendor: string; type: unknown; id: string };
}
interface Res {
  locals: Record<string, unknown>;
  status(code: number): Res;
  json(body: unknown): void;
}

export function expressDriver(name: string, express: ExpressModule): AdapterDriver {
  return {
    name,
    packageName: '@hookproof/express',
    async mount(spec) {
      const app = express();
      if (spec.prior === 'json') app.use(express.json());
      if (spec.prior === 'json-keep-raw') app.use(express.json({ verify: keepRawBody }));
      const middleware = isReceiverMount(spec.webhook) ? webhook(spec.webhook.receiver, spec.webhook.settings) : webhook(spec.webhook);
      app.post(HOOK_PATH, middleware as Handler, ((req: Req, res: Res) => {
        const event = req.webhook!;
        // Both handles the adapter documents hold the same verified event.
        if (res.locals['webhook'] !== event) throw new Error('res.locals.webhook differs from req.webhook');
        res.json({ via: 'next', vendor: event.vendor, type: String(event.type), id: event.id });
      }) as Handler);
      // Anything reaching Express's error handler is a bug of ours: make it visible.
      app.use(((error: Error, _req: unknown, res: Res, _next: unknown) => {
        res.status(599).json({ unexpected: error.message });
      }) as unknown as Handler);
      const server = lazyServer(app);
      return { send: (request) => sendWithSupertest(app, request), listen: server.listen, close: server.close };
    },
  };
}
