// @ts-check
// Node 20 has no built-in server for Fetch handlers; this bridges node:http to one so the
// example runs with nothing but Node. The request body is streamed, not buffered, so
// handleWebhook's maxBodyBytes still stops an oversized upload early. (On Bun, Deno or
// Workers, export the app itself; in a larger Node app, @hono/node-server does this.)
import { createServer } from 'node:http';
import { Readable } from 'node:stream';

/**
 * @param {(request: Request) => Response | Promise<Response>} fetchHandler
 * @returns {import('node:http').Server}
 */
export function serve(fetchHandler) {
  return createServer(async (req, res) => {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      /** @type {RequestInit & { duplex?: 'half' }} */
      const init = { method: req.method, headers };
      if (hasBody) {
        init.body = /** @type {ReadableStream<Uint8Array>} */ (/** @type {unknown} */ (Readable.toWeb(req)));
        init.duplex = 'half'; // required by Node's fetch for a streamed body
      }
      const response = await fetchHandler(new Request(new URL(req.url ?? '/', 'http://127.0.0.1'), init));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      console.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
}
