// The hostile-input matrix: what an attacker (or a broken proxy) can send to a public
// webhook URL, written as raw bytes on a socket, and the answer each gets. Every case
// runs through every target (targets.ts); docs/reliability.md is this table with the
// bounds measured. Signatures are computed with plain node:crypto (conformance/signing.ts).
import { createHmac } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import { HOOK_PATH } from '../conformance/driver.js';
import { SECRET } from '../conformance/signing.js';
import type { Exchange, Script } from './wire.js';

export const MiB = 1024 * 1024;
/** The matrix's receivers give up on a body after this long (default 10 s; short here to keep CI fast). */
export const BODY_TIMEOUT_MS = 300;
/** And answer 503 when handlers run longer than this. */
export const HANDLER_TIMEOUT_MS = 250;
/** A handler that sees `data.stall_ms` waits that long: the handler-timeout case. */
export const STALL_MS = 900;

/** Every correct MAC the matrix computed: none may ever appear in an answer or an error. */
export const computedMacs = new Set<string>();

export function aidellyMac(body: Buffer | string, secret = SECRET): string {
  const mac = createHmac('sha256', secret).update(body).digest();
  computedMacs.add(mac.toString('hex'));
  computedMacs.add(mac.toString('base64'));
  return mac.toString('hex');
}

/** A documented Aidelly envelope (its guide's "Payload shape") with `tag` making each body (and so its id) unique. */
export function aidellyBody(tag: string, data: Record<string, unknown> = {}): string {
  return JSON.stringify({
    event: 'post.published',
    workspace_id: 'w',
    brand_id: 'b',
    data: { post_id: tag, platform: 'linkedin', status: 'completed', published_at: '2026-02-18T17:30:00Z', platform_post_id: `urn:li:share:${tag}`, ...data },
    created_at: '2026-02-18T17:30:02Z',
  });
}

export interface HeadOptions {
  readonly version?: '1.0' | '1.1';
  readonly length?: number | 'none' | 'chunked';
  readonly extra?: readonly string[];
  readonly signature?: string | null;
  readonly close?: boolean;
}

/** A request head with the Aidelly signature of `body` (unless overridden). */
export function head(body: Buffer | string, options: HeadOptions = {}): string {
  const { version = '1.1', length = Buffer.byteLength(body), extra = [], close = true } = options;
  const lines = [`POST ${HOOK_PATH} HTTP/${version}`, 'Host: 127.0.0.1', 'Content-Type: application/json'];
  const signature = options.signature === undefined ? `sha256=${aidellyMac(body)}` : options.signature;
  if (signature !== null) lines.push(`Aidelly-Signature: ${signature}`);
  if (typeof length === 'number') lines.push(`Content-Length: ${length}`);
  if (length === 'chunked') lines.push('Transfer-Encoding: chunked');
  if (close && version === '1.1') lines.push('Connection: close');
  lines.push(...extra);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export function chunk(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);
}

/** What a case observed; the matrix checks it against the case's expectations. */
export interface Observation {
  readonly exchange: Exchange;
  /** Extra statuses of follow-up requests (retries), in order. */
  readonly then?: readonly (number | undefined)[];
}

export interface CaseTools {
  readonly url: string;
  /** One raw exchange on a fresh connection. */
  run(script: (s: Script) => Promise<void> | void, options?: { timeoutMs?: number; expect?: number; linger?: number }): Promise<Exchange>;
  /** A correctly signed delivery of `body`, returning its status. */
  deliver(body: string): Promise<number | undefined>;
  sleep(ms: number): Promise<void>;
}

export interface HostileCase {
  readonly name: string;
  /** The status of the first answer; `undefined`: no answer is possible (the client left). */
  readonly status: number | undefined;
  /** The `error` code in the JSON body, where hookproof (not Node's parser) answers. */
  readonly code?: string;
  /** Who answers: hookproof, or Node's HTTP parser before any adapter code runs. */
  readonly by: 'hookproof' | 'node' | 'none';
  /** The server must close the connection after answering (unread body, parse error). */
  readonly closes?: boolean;
  /** Upper bound on the time to the answer (ms), generous for a loaded 2-core CI box. */
  readonly maxMs: number;
  /** Upper bound on the bytes the server read for this case, where the body is hostile by size. */
  readonly maxServerBytes?: number;
  /** Statuses of follow-up deliveries, e.g. the vendor's retries. */
  readonly then?: readonly (number | undefined)[];
  /** A body handlers must (or must not) have seen; checked by the matrix. */
  readonly handlerSees?: 'nothing' | 'clean-proto' | 'last-duplicate-wins';
  run(t: CaseTools, tag: string): Promise<Observation>;
}

const fast = 3_000;
const timeoutBound = BODY_TIMEOUT_MS + 3_000;

/** Writes head and body in one go. */
const whole = (bytes: string | Buffer) => (s: Script) => s.write(bytes);

export const hostileCases: readonly HostileCase[] = [
  {
    name: 'valid delivery (control)',
    status: 200,
    by: 'hookproof',
    maxMs: fast,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return { exchange: await t.run(whole(head(body) + body)) };
    },
  },
  {
    name: 'HTTP/1.0 client, Content-Length',
    status: 200,
    by: 'hookproof',
    closes: true,
    maxMs: fast,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return { exchange: await t.run(whole(head(body, { version: '1.0' }) + body), { linger: 300 }) };
    },
  },
  {
    name: 'HTTP/1.0 client, no Content-Length (body until close)',
    // HTTP/1.0 requests have no close-delimited body: the request ends at the head, and
    // the body bytes are parsed as a next request, which Node refuses and closes at once
    // (its 400 goes out before the adapter's answer to the bodiless first request).
    status: 400,
    by: 'node',
    closes: true,
    maxMs: fast,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return { exchange: await t.run(whole(head(body, { version: '1.0', length: 'none' }) + body)) };
    },
  },
  {
    name: 'slowloris body: 1 byte every 50 ms',
    status: 408,
    code: 'body_timeout',
    by: 'hookproof',
    closes: true,
    maxMs: timeoutBound,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return {
        exchange: await t.run(async (s) => {
          await s.write(head(body));
          for (let i = 0; i < body.length && !s.done; i++) {
            await s.write(body[i]!);
            await s.sleep(50);
          }
        }, { linger: 300 }),
      };
    },
  },
  {
    name: 'body stops mid-stream, connection left open',
    status: 408,
    code: 'body_timeout',
    by: 'hookproof',
    closes: true,
    maxMs: timeoutBound,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return { exchange: await t.run(whole(head(body) + body.slice(0, body.length >> 1)), { linger: 300 }) };
    },
  },
  {
    name: 'body stops mid-stream, client disconnects',
    status: undefined,
    by: 'none',
    maxMs: fast,
    then: [200],
    async run(t, tag) {
      const body = aidellyBody(tag);
      const exchange = await t.run(async (s) => {
        await s.write(head(body) + body.slice(0, 40));
        await s.sleep(30);
      }, { timeoutMs: 150 });
      // The server keeps serving, and the vendor's retry is processed.
      return { exchange, then: [await t.deliver(body)] };
    },
  },
  {
    name: 'Content-Length shorter than the body',
    // The first N bytes are the body (a truncated one, whose MAC would fail); the rest is
    // parsed as a next request, which Node refuses with 400 and closes the connection.
    status: 400,
    by: 'node',
    closes: true,
    maxMs: fast,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return { exchange: await t.run(whole(head(body, { length: 20, close: false }) + body), { expect: 2 }) };
    },
  },
  {
    name: 'Content-Length longer than the body, connection left open',
    status: 408,
    code: 'body_timeout',
    by: 'hookproof',
    closes: true,
    maxMs: timeoutBound,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return { exchange: await t.run(whole(head(body, { length: body.length + 100 }) + body), { linger: 300 }) };
    },
  },
  {
    name: 'Content-Length longer than the body, client half-closes',
    // End of stream inside a declared body is a parse error: Node answers 400 and closes.
    status: 400,
    by: 'node',
    closes: true,
    maxMs: fast,
    then: [200],
    async run(t, tag) {
      const body = aidellyBody(tag);
      const exchange = await t.run(async (s) => {
        await s.write(head(body, { length: body.length + 100 }) + body);
        s.end();
      }, { timeoutMs: 1_000 });
      return { exchange, then: [await t.deliver(body)] };
    },
  },
  {
    name: 'oversize body with Content-Length (2 MiB, limit 1 MiB)',
    status: 413,
    code: 'payload_too_large',
    by: 'hookproof',
    closes: true,
    maxMs: fast,
    // Refused from the header: the server reads little beyond what the client pushed at once.
    maxServerBytes: 1 * MiB,
    async run(t, tag) {
      const body = Buffer.alloc(2 * MiB, 0x20);
      Buffer.from(aidellyBody(tag)).copy(body);
      return {
        exchange: await t.run(async (s) => {
          await s.write(head(body));
          for (let i = 0; i < body.length && !s.done; i += 64 * 1024) await s.write(body.subarray(i, i + 64 * 1024));
        }),
      };
    },
  },
  {
    name: 'oversize chunked body, no Content-Length (up to 32 MiB)',
    status: 413,
    code: 'payload_too_large',
    by: 'hookproof',
    closes: true,
    maxMs: fast,
    // Stops reading once past the limit: 1 MiB plus what is in flight.
    maxServerBytes: 1.5 * MiB,
    async run(t) {
      const piece = chunk(Buffer.alloc(64 * 1024, 0x20));
      return {
        exchange: await t.run(async (s) => {
          await s.write(head('', { length: 'chunked', signature: `sha256=${'ab'.repeat(32)}` }));
          for (let sent = 0; sent < 32 * MiB && !s.done; sent += piece.length) await s.write(piece);
        }, { timeoutMs: 8_000 }),
      };
    },
  },
  {
    name: 'gzip Content-Encoding, signed over the compressed bytes',
    status: 415,
    code: 'unsupported_encoding',
    by: 'hookproof',
    maxMs: fast,
    async run(t, tag) {
      const body = gzipSync(aidellyBody(tag));
      return { exchange: await t.run(whole(Buffer.concat([Buffer.from(head(body, { extra: ['Content-Encoding: gzip'] })), body]))) };
    },
  },
  {
    name: 'deflate Content-Encoding, signed over the plain JSON',
    status: 415,
    code: 'unsupported_encoding',
    by: 'hookproof',
    maxMs: fast,
    async run(t, tag) {
      const plain = aidellyBody(tag);
      const body = deflateSync(plain);
      const h = head(body, { extra: ['Content-Encoding: deflate'], signature: `sha256=${aidellyMac(plain)}` });
      return { exchange: await t.run(whole(Buffer.concat([Buffer.from(h), body]))) };
    },
  },
  {
    name: 'invalid UTF-8, correctly signed',
    status: 400,
    code: 'invalid_json',
    by: 'hookproof',
    maxMs: fast,
    async run(t, tag) {
      const body = Buffer.concat([Buffer.from(aidellyBody(tag).slice(0, -1)), Buffer.from([0x2c, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x3a, 0x31, 0x7d])]);
      return { exchange: await t.run(whole(Buffer.concat([Buffer.from(head(body)), body]))) };
    },
  },
  {
    name: 'JSON with duplicate keys, correctly signed',
    // JSON.parse keeps the last value, as every JS consumer of the same bytes would.
    status: 200,
    by: 'hookproof',
    maxMs: fast,
    handlerSees: 'last-duplicate-wins',
    async run(t, tag) {
      const body = aidellyBody(tag).replace('"data":{', '"data":{"dup":"first","dup":"last",');
      return { exchange: await t.run(whole(head(body) + body)) };
    },
  },
  {
    name: '__proto__ and constructor.prototype keys, correctly signed',
    status: 200,
    by: 'hookproof',
    maxMs: fast,
    handlerSees: 'clean-proto',
    async run(t, tag) {
      const body = aidellyBody(tag).replace(
        '"data":{',
        '"__proto__":{"polluted":"yes"},"data":{"constructor":{"prototype":{"polluted":"yes"}},"nested":{"__proto__":{"polluted":"yes"},"\\u005f_proto__":{"polluted":"yes"}},',
      );
      return { exchange: await t.run(whole(head(body) + body)) };
    },
  },
  {
    name: 'deeply nested JSON (100 000 levels), correctly signed',
    status: 200,
    by: 'hookproof',
    maxMs: fast,
    async run(t, tag) {
      const depth = 100_000;
      const body = aidellyBody(tag).replace('"data":{', `"deep":${'['.repeat(depth)}${']'.repeat(depth)},"data":{`);
      return { exchange: await t.run(whole(head(body) + body)) };
    },
  },
  {
    name: '1 500 extra headers within the 16 KB header limit',
    status: 200,
    by: 'hookproof',
    maxMs: fast,
    async run(t, tag) {
      const body = aidellyBody(tag);
      const extra = Array.from({ length: 1500 }, (_, i) => `x${i.toString(36)}: 1`);
      return { exchange: await t.run(whole(head(body, { extra }) + body)) };
    },
  },
  {
    name: '5 000 headers, over the 16 KB header limit',
    status: 431,
    by: 'node',
    closes: true,
    maxMs: fast,
    maxServerBytes: 256 * 1024,
    async run(t, tag) {
      const body = aidellyBody(tag);
      const extra = Array.from({ length: 5000 }, (_, i) => `x-h-${i}: value`);
      return { exchange: await t.run(whole(head(body, { extra }) + body)) };
    },
  },
  {
    name: '64 KB signature header',
    status: 431,
    by: 'node',
    closes: true,
    maxMs: fast,
    maxServerBytes: 256 * 1024,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return { exchange: await t.run(whole(head(body, { signature: `sha256=${'a'.repeat(64 * 1024)}` }) + body)) };
    },
  },
  {
    name: '12 KB signature header (under Node\'s limit)',
    status: 401,
    code: 'malformed_signature',
    by: 'hookproof',
    maxMs: fast,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return { exchange: await t.run(whole(head(body, { signature: `sha256=${'a'.repeat(12 * 1024)}` }) + body)) };
    },
  },
  {
    name: '12 KB signature header of separators and prefixes',
    // Over 4 096 characters: refused before any decoding work.
    status: 401,
    code: 'malformed_signature',
    by: 'hookproof',
    maxMs: fast,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return { exchange: await t.run(whole(head(body, { signature: ` ,\t`.repeat(4 * 1024) }) + body)) };
    },
  },
  {
    name: '17 signatures in one header',
    status: 401,
    code: 'malformed_signature',
    by: 'hookproof',
    maxMs: fast,
    async run(t, tag) {
      const body = aidellyBody(tag);
      const sig = `sha256=${aidellyMac(body)}`;
      return { exchange: await t.run(whole(head(body, { signature: Array.from({ length: 17 }, () => sig).join(', ') }) + body)) };
    },
  },
  {
    name: 'control character (0x01) in a header value',
    status: 400,
    by: 'node',
    closes: true,
    maxMs: fast,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return { exchange: await t.run(whole(head(body, { extra: ['X-Note: a\x01b'] }) + body)) };
    },
  },
  {
    name: 'NUL byte in the signature header',
    status: 400,
    by: 'node',
    closes: true,
    maxMs: fast,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return { exchange: await t.run(whole(head(body, { signature: `sha256=${aidellyMac(body)}\x00` }) + body)) };
    },
  },
  {
    name: 'bytes 0x80-0xff (obs-text) in the signature header',
    status: 401,
    code: 'malformed_signature',
    by: 'hookproof',
    maxMs: fast,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return { exchange: await t.run(whole(head(body, { signature: `sha256=\xff\xfe${aidellyMac(body).slice(2)}` }) + body)) };
    },
  },
  {
    name: 'Transfer-Encoding and Content-Length together (smuggling)',
    status: 400,
    by: 'node',
    closes: true,
    maxMs: fast,
    async run(t, tag) {
      const body = aidellyBody(tag);
      return { exchange: await t.run(whole(head(body, { extra: ['Transfer-Encoding: chunked'] }) + chunk(body).toString('latin1') + '0\r\n\r\n')) };
    },
  },
  {
    name: 'garbage request line',
    status: 400,
    by: 'node',
    closes: true,
    maxMs: fast,
    async run(t) {
      return { exchange: await t.run(whole('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n')) };
    },
  },
  {
    name: 'empty body with a signature',
    status: 401,
    code: 'signature_mismatch',
    by: 'hookproof',
    maxMs: fast,
    async run(t, tag) {
      return { exchange: await t.run(whole(head('', { signature: `sha256=${aidellyMac(tag)}` }))) };
    },
  },
  {
    name: 'two deliveries pipelined on one connection',
    status: 200,
    by: 'hookproof',
    maxMs: fast,
    async run(t, tag) {
      const a = aidellyBody(`${tag}-a`);
      const b = aidellyBody(`${tag}-b`);
      const exchange = await t.run(whole(head(a, { close: false }) + a + head(b) + b), { expect: 2 });
      return { exchange, then: exchange.responses.slice(1).map((r) => r.status) };
    },
    then: [200],
  },
  {
    name: 'handler slower than handlerTimeoutMs, then the vendor\'s retries',
    // 503 at the deadline; a retry while the handler runs is 409; one after it is `duplicate` (200).
    status: 503,
    code: 'handler_timeout',
    by: 'hookproof',
    maxMs: HANDLER_TIMEOUT_MS + 3_000,
    then: [409, 200],
    async run(t, tag) {
      const body = aidellyBody(tag, { stall_ms: STALL_MS });
      const exchange = await t.run(whole(head(body) + body));
      const during = await t.deliver(body);
      await t.sleep(STALL_MS + 200);
      return { exchange, then: [during, await t.deliver(body)] };
    },
  },
];
