// Sends a WireRequest with supertest: repeated headers as separate lines, chunked bodies
// with several writes and no content-length.
import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { HOOK_PATH, type WireRequest, type WireResponse } from './driver.js';

/** Chunks a chunked body is written in. */
const CHUNK = 16 * 1024;

export async function sendWithSupertest(target: Server | RequestListener, wire: WireRequest): Promise<WireResponse> {
  const test = request(target).post(HOOK_PATH);
  const grouped = new Map<string, string[]>();
  for (const [name, value] of wire.headers) grouped.set(name, [...(grouped.get(name) ?? []), value]);
  // An array goes to Node's setHeader, which sends one header line per value.
  for (const [name, values] of grouped) test.set(name, (values.length === 1 ? values[0]! : values) as string);
  if (wire.chunked === true) {
    // superagent streams written chunks without a content-length (transfer-encoding: chunked).
    for (let i = 0; i < wire.body.length; i += CHUNK) test.write(wire.body.subarray(i, i + CHUNK));
  } else {
    // Written, not .send(): superagent would JSON-encode a Buffer sent with a JSON content type.
    test.set('Content-Length', String(wire.body.length));
    if (wire.body.length > 0) test.write(wire.body);
  }
  const response = await test;
  return { status: response.status, body: parseJson(response.text), text: response.text, headers: response.headers as Record<string, string | string[] | undefined> };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A server for `listener` on 127.0.0.1 and an ephemeral port, created on first use. */
export function lazyServer(listener: RequestListener): { listen(): Promise<string>; close(): Promise<void> } {
  let server: Server | undefined;
  return {
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
      if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}

/**
 * Starts a POST that announces (or streams) a large body but sends only `sent` bytes of
 * it, and resolves with the response if the server answers before the body is complete:
 * proof that it stopped reading instead of waiting for the rest. Rejects after `timeoutMs`.
 */
export function answerBeforeBodyEnds(
  baseUrl: string,
  headers: Readonly<Record<string, string>>,
  sent: Buffer,
  timeoutMs = 5000,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${HOOK_PATH}`, { method: 'POST', headers: { ...headers } });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms while the body was incomplete`));
    }, timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: parseJson(Buffer.concat(chunks).toString('utf8')) });
      });
    });
    req.flushHeaders();
    req.write(sent);
  });
}
