// A conformance driver (conformance/driver.ts) for core's Fetch handler, `handleWebhook`,
// served by node:http the way Fetch-on-Node servers do it (@hono/node-server, Next.js):
// the socket's headers and body stream become a `Request`, the `Response` is written back.
// Receiver mode only: `handleWebhook` takes a receiver (or receiver options), it has no
// "verify and pass on" mode to answer `{ via: 'next' }` from.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { handleWebhook, type Receiver, type VendorRef } from '@hookproof/core';
import { HOOK_PATH, isReceiverMount, type AdapterDriver } from '../conformance/driver.js';
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
export function fetchListener(receiver: Receiver<VendorRef>) {
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
    handleWebhook(request, receiver, { remoteAddress: req.socket.remoteAddress })
      .then((response) => write(res, response))
      .catch((error: unknown) => {
        // handleWebhook never rejects: reaching this is a bug, made visible as a 599.
        if (!res.headersSent) res.writeHead(599, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ unexpected: error instanceof Error ? error.message : String(error) }));
      });
  };
}

export const fetchDriver: AdapterDriver = {
  name: 'fetch (handleWebhook)',
  packageName: '@hookproof/core',
  async mount(spec) {
    if (!isReceiverMount(spec.webhook)) throw new TypeError('the Fetch driver mounts receivers: handleWebhook has no options mode that calls next()');
    const listener = fetchListener(spec.webhook.receiver);
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
