import http from 'node:http';
import https from 'node:https';
import type { ReceivedResponse } from '../types.js';
import { MAX_RESPONSE_BYTES, flattenHeaders, type Transport } from './transport.js';

/** Posts the bytes with node:http(s): nothing re-encodes them, and `content-length` is theirs. */
export function postBytes(
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: Uint8Array,
  signal: AbortSignal,
): Promise<ReceivedResponse> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(body.byteLength) },
        // One connection per attempt, as a vendor's delivery worker makes; no pooled socket outlives the test.
        agent: false,
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: flattenHeaders(res.headers),
            body: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function urlTransport(target: string | URL): Transport {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new TypeError(
      `@hookproof/mock-sender: target ${JSON.stringify(String(target))} is not a URL; use e.g. 'http://127.0.0.1:3000/webhooks'.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`@hookproof/mock-sender: target must be an http(s) URL, got ${url.protocol}`);
  }
  return {
    url: async () => url.href,
    send: (headers, body, signal) => postBytes(url, headers, body, signal),
    close: async () => undefined,
  };
}
