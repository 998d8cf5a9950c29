import type { FastifyLike, FetchHandler } from '../types.js';
import { MAX_RESPONSE_BYTES, flattenHeaders, type Transport } from './transport.js';

/** A Fetch handler called in-process: no socket, the bytes go in a `Request` as they are. */
export function fetchTransport(handler: FetchHandler, path: string): Transport {
  const url = new URL(path, 'http://127.0.0.1');
  return {
    url: async () => url.href,
    async send(headers, body, signal) {
      const response = await handler(new Request(url, { method: 'POST', headers, body: body.slice(), signal }));
      const text = await response.text();
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: text.slice(0, MAX_RESPONSE_BYTES),
      };
    },
    close: async () => undefined,
  };
}

/** A Fastify instance through `inject`: the full request lifecycle without a socket. */
export function fastifyTransport(app: FastifyLike, path: string): Transport {
  return {
    url: async () => new URL(path, 'http://127.0.0.1').href,
    async send(headers, body) {
      // inject cannot be aborted: a timeout stops waiting for it (as a vendor hangs up)
      // while the handler runs to completion, as it would on a real server.
      const res = await app.inject({ method: 'POST', url: path, headers: { ...headers }, payload: Buffer.from(body) });
      return {
        status: res.statusCode,
        headers: flattenHeaders(res.headers),
        body: res.payload.slice(0, MAX_RESPONSE_BYTES),
      };
    },
    close: async () => undefined,
  };
}
