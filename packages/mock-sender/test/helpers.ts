import { createHmac } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReceiver, type ReceiverOptions, type VendorId } from '@hookproof/core';

export interface Recorded {
  readonly n: number;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

export interface Reply {
  status: number;
  body?: string;
  /** Wait this long before answering (real time). */
  delayMs?: number;
}

export interface TestServer {
  readonly url: string;
  readonly requests: Recorded[];
  /** Requests whose connection closed before the server answered (the sender hung up). */
  readonly abandoned: number[];
  close(): Promise<void>;
}

/** A plain node:http server written here, not one of our adapters. */
export async function startServer(reply: (req: Recorded) => Reply | Promise<Reply>): Promise<TestServer> {
  const requests: Recorded[] = [];
  const abandoned: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const rec: Recorded = { n: requests.length + 1, url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) };
      requests.push(rec);
      const r = await reply(rec);
      const answer = () => {
        if (res.destroyed || res.socket?.destroyed) {
          abandoned.push(rec.n);
          return;
        }
        res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body ?? '{}');
      };
      if (r.delayMs === undefined) answer();
      else {
        const t = setTimeout(() => {
          timers.delete(t);
          answer();
        }, r.delayMs);
        timers.add(t);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    requests,
    abandoned,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface RunningReceiver {
  readonly url: string;
  /** What core answered, in arrival order. */
  readonly results: { status: number; code: string | undefined }[];
  close(): Promise<void>;
}

/** Core's receiver behind a plain node:http server: the end-to-end check for faults. */
export async function startReceiver<V extends VendorId>(options: ReceiverOptions<V>, handlerDelayMs = 0): Promise<RunningReceiver> {
  const receiver = createReceiver(options);
  if (handlerDelayMs > 0) receiver.onAny(() => new Promise((r) => setTimeout(r, handlerDelayMs)));
  const results: { status: number; code: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const out = await receiver.receive({ body: new Uint8Array(Buffer.concat(chunks)), headers: req.headers });
      results.push({ status: out.status, code: out.error?.code });
      res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    results,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Independent expectation: HMAC-SHA256 with plain node:crypto, lowercase hex. */
export function hmacHex(secret: string, content: string | Buffer): string {
  return createHmac('sha256', secret).update(content).digest('hex');
}

/** The signature each vendor documents, computed by hand from the vendors' pages, for a recorded request. */
export function expectedSignature(vendor: VendorId, secret: string, rec: Recorded): { header: string; value: string } {
  const header = {
    autoposting: 'x-autoposting-signature',
    aidelly: 'aidelly-signature',
    audenci: 'x-audenci-signature',
    timbrix: 'x-webhook-signature',
    'standard-webhooks': 'webhook-signature',
  }[vendor];
  if (vendor === 'standard-webhooks') {
    // Standard Webhooks specification, "Signature scheme": v1, + base64 HMAC-SHA256 of "<id>.<timestamp>.<body>", keyed by the base64 after whsec_.
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const content = Buffer.concat([Buffer.from(`${String(rec.headers['webhook-id'])}.${String(rec.headers['webhook-timestamp'])}.`), rec.body]);
    return { header, value: `v1,${createHmac('sha256', key).update(content).digest('base64')}` };
  }
  if (vendor === 'autoposting') {
    const ts = String(rec.headers['x-autoposting-timestamp']);
    return { header, value: hmacHex(secret, Buffer.concat([Buffer.from(`${ts}.`), rec.body])) };
  }
  return { header, value: (vendor === 'aidelly' ? 'sha256=' : '') + hmacHex(secret, rec.body) };
}
