// A conformance driver (conformance/driver.ts) for core's Fetch handler, `handleWebhook`,
// served by node:http the way Fetch-on-Node servers do it (@hono/node-server, Next.js):
// the socket's headers and body stream become a `Request`, the `Response` is written back.
// Receiver mode mounts the receiver. Options mode mounts `handleWebhook(request, options)`
// with the table's options (dedupe off, as the adapters' options mode does not dedupe) and
// an `onEvent` that records the event, so a 2xx can be answered `{ via: 'next', ... }` from
// the typed event, as the adapters' route behind the middleware does.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { handleWebhook, type AnyWebhookEvent, type HandleWebhookOptions, type HandleWebhookReceiver, type Receiver, type VendorRef } from '@hookproof/core';
import { HOOK_PATH, isReceiverMount, type AdapterDriver, type MountSpec } from '../conformance/driver.js';
import { sendWithSupertest } from '../conformance/http.js';

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(`http://127.0.0.1${req.url ?? '/'}`, {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

async function write(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

/** A node:http listener that hands POST /hooks to `handleWebhook(request, receiver, { remoteAddress })`. */
export function fetchListener(
  receiver: Receiver<VendorRef> | HandleWebhookOptions<VendorRef> | HandleWebhookReceiver<VendorRef>,
  passedOn?: () => AnyWebhookEvent | undefined,
  prior?: MountSpec['prior'],
) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if ((req.url ?? '').split('?')[0] !== HOOK_PATH) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      return;
    }
    let request: Request;
    try {
      request = toRequest(req);
    } catch {
      // What a Fetch runtime does with a header value `Headers` refuses (e.g. a NUL byte).
      res.writeHead(400, { 'content-type': 'application/json', connection: 'close' }).end('{"error":"bad_request"}');
      return;
    }
    // A body parser that ran first: `json` read the stream (nothing raw is left), `json-keep-raw` read a clone.
    const parsed = request.headers.get('content-type')?.startsWith('application/json') === true ? prior : undefined;
    const before = parsed === 'json' ? request.json() : parsed === 'json-keep-raw' ? request.clone().text() : Promise.resolve();
    before
      .catch(() => undefined)
      .then(() => handleWebhook(request, receiver, { remoteAddress: req.socket.remoteAddress }))
      .then(async (response) => {
        const event = passedOn?.();
        if (event === undefined || response.status !== 200) return write(res, response);
        return write(res, Response.json({ via: 'next', vendor: event.vendor, type: event.type, id: event.id }));
      })
      .catch((error: unknown) => {
        // handleWebhook never rejects: reaching this is a bug, made visible as a 599.
        if (!res.headersSent) res.writeHead(599, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ unexpected: error instanceof Error ? error.message : String(error) }));
      });
  };
}

export const fetchDriver: AdapterDriver = {
  name: 'fetch (handleWebhook)',
  packageName: '@hookproof',
  async mount(spec) {
    let listener: ReturnType<typeof fetchListener>;
    if (isReceiverMount(spec.webhook)) {
      const { receiver, settings } = spec.webhook;
      listener = fetchListener(settings?.onError === undefined ? receiver : { receiver, onError: settings.onError }, undefined, spec.prior);
    } else {
      let last: AnyWebhookEvent | undefined;
      const options = { ...(spec.webhook as HandleWebhookOptions<VendorRef>), dedupe: false as const, onEvent: (event: AnyWebhookEvent) => void (last = event) };
      // handleWebhook checks its options on first use: a GET does that, and is answered 405.
      await handleWebhook(new Request(`http://127.0.0.1${HOOK_PATH}`), options);
      listener = fetchListener(
        options,
        () => {
          const event = last;
          last = undefined;
          return event;
        },
        spec.prior,
      );
    }
    let server: Server | undefined;
    return {
      send: (request) => sendWithSupertest(listener, request),
      async listen() {
        if (server === undefined) {
          const s = createServer(listener);
          server = s;
          await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
        }
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      },
      async close() {
        const s = server;
        server = undefined;
        if (s === undefined) return;
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      },
    };
  },
};
