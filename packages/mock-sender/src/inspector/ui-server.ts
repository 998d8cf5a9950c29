import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { vendors } from '@hookproof/core';
import { endToEnd } from './forward.js';
import type { Listener } from './listener.js';
import { PAGE_CSS, PAGE_HTML, PAGE_JS } from './page.js';
import type { Delivery } from './record.js';
import { resign, unsigned } from './resign.js';

/**
 * The page and its API are served apart from the receiver, on loopback only, whatever
 * `--host` the receiver uses. The page holds no secret: re-signing happens here.
 */
const SECURITY_HEADERS = {
  // Payloads are rendered with textContent only; the CSP is the second line: no inline
  // script, no script from anywhere but this origin, nothing framed, no form posts.
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-store',
} as const;

const MAX_REPEAT = 100;
const MAX_API_BODY = 2 * 1024 * 1024;

export interface InspectorServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface ReplayRequest {
  readonly seq: number;
  /** captured: the bytes and headers as received; resigned: signed again now; edited: `body`, signed now. */
  readonly mode: 'captured' | 'resigned' | 'edited';
  readonly body?: string;
  readonly times?: number;
}

/** Headers and bytes for one replay, signed with the listener's first secret where there is one. */
export async function replayInput(
  listener: Listener,
  original: Delivery,
  mode: ReplayRequest['mode'],
  editedBody: string | undefined,
) {
  const { vendor, secrets } = listener.options;
  const body =
    mode === 'edited'
      ? new TextEncoder().encode(editedBody ?? '')
      : new Uint8Array(Buffer.from(original.bodyBase64, 'base64'));
  const captured = endToEnd(original.headers);
  const secret = secrets[0];
  let headers: [string, string][] = captured;
  if (mode !== 'captured')
    headers = secret === undefined ? unsigned(vendor, captured) : await resign(vendor, captured, body, secret);
  return {
    method: 'POST',
    path: original.path,
    headers,
    body,
    source:
      mode === 'captured'
        ? ('replay' as const)
        : mode === 'edited'
          ? ('edited' as const)
          : ('replay-resigned' as const),
    replayOf: original.seq,
  };
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_API_BODY) chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(size > MAX_API_BODY ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
    req.on('error', () => resolve(undefined));
  });
}

function parseReplay(value: unknown): ReplayRequest | string {
  if (typeof value !== 'object' || value === null) return 'send a JSON object { seq, mode, body?, times? }';
  const v = value as Record<string, unknown>;
  if (typeof v['seq'] !== 'number') return '`seq` (the delivery number) is required';
  if (v['mode'] !== 'captured' && v['mode'] !== 'resigned' && v['mode'] !== 'edited')
    return '`mode` is captured, resigned or edited';
  if (v['mode'] === 'edited' && typeof v['body'] !== 'string') return '`body` (text) is required with mode edited';
  const times = v['times'] === undefined ? 1 : v['times'];
  if (typeof times !== 'number' || !Number.isInteger(times) || times < 1 || times > MAX_REPEAT)
    return `\`times\` is an integer from 1 to ${MAX_REPEAT}`;
  return { seq: v['seq'], mode: v['mode'], times, ...(typeof v['body'] === 'string' ? { body: v['body'] } : {}) };
}

export async function startInspector(listener: Listener, port = 0): Promise<InspectorServer> {
  const token = randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const tokenOk = (given: string | null | undefined) => {
    if (typeof given !== 'string') return false;
    const b = Buffer.from(given);
    return b.length === tokenBytes.length && timingSafeEqual(b, tokenBytes);
  };
  const { vendor } = listener.options;
  const profile = vendors[vendor];
  let origin = '';
  const hosts = new Set<string>();
  const clients = new Set<http.ServerResponse>();

  const server = http.createServer(async (req, res) => {
    const send = (status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) =>
      res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra }).end(body);
    const json = (status: number, value: unknown) =>
      send(status, 'application/json; charset=utf-8', JSON.stringify(value));
    // DNS rebinding: a hostile name that resolves to 127.0.0.1 carries its own Host.
    if (!hosts.has(req.headers.host ?? ''))
      return json(421, { error: 'wrong_host', message: `Open the inspector at ${origin}/.` });
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET') {
      if (url.pathname === '/') return send(200, 'text/html; charset=utf-8', PAGE_HTML.replace('__TOKEN__', token));
      if (url.pathname === '/app.js') return send(200, 'text/javascript; charset=utf-8', PAGE_JS);
      if (url.pathname === '/app.css') return send(200, 'text/css; charset=utf-8', PAGE_CSS);
      if (!tokenOk(url.searchParams.get('token')))
        return json(403, { error: 'bad_token', message: 'Reload the inspector page.' });
      if (url.pathname === '/api/state') {
        return json(200, {
          vendor,
          vendorName: profile.name,
          receiver: listener.url,
          forwardTo: listener.options.forwardTo ?? null,
          canResign: listener.options.secrets.length > 0,
          signsTimestamp: profile.signedContent === 'timestamp.body',
          events: profile.events,
          deliveries: listener.store.all(),
        });
      }
      if (url.pathname === '/api/stream') {
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'content-type': 'text/event-stream; charset=utf-8',
          connection: 'keep-alive',
        });
        res.write(': hookproof inspector\n\n');
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      if (url.pathname === '/api/export') {
        return send(200, 'application/json; charset=utf-8', JSON.stringify(listener.store.all(), null, 2), {
          'content-disposition': `attachment; filename="hookproof-${vendor}-deliveries.json"`,
        });
      }
      return json(404, { error: 'not_found' });
    }
    if (req.method === 'POST' && url.pathname === '/api/replay') {
      // A per-process token in a header: a page elsewhere cannot read it, and cannot set the header cross-origin without CORS.
      if (!tokenOk(req.headers['x-hookproof-token'] as string | undefined))
        return json(403, { error: 'bad_token', message: 'Reload the inspector page.' });
      if (req.headers.origin !== undefined && !hosts.has(req.headers.origin.replace(/^http:\/\//, '')))
        return json(403, { error: 'forbidden_origin' });
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
        return json(415, { error: 'unsupported_media_type', message: 'Send JSON.' });
      const parsed = parseReplay(await readJson(req));
      if (typeof parsed === 'string') return json(400, { error: 'bad_request', message: parsed });
      const original = listener.store.get(parsed.seq);
      if (original === undefined) return json(404, { error: 'not_found', message: `No delivery #${parsed.seq}.` });
      const results: Delivery[] = [];
      for (let i = 0; i < (parsed.times ?? 1); i++)
        results.push(await listener.process(await replayInput(listener, original, parsed.mode, parsed.body)));
      return json(200, {
        signed:
          parsed.mode === 'captured'
            ? 'as captured'
            : listener.options.secrets.length > 0
              ? 'now'
              : 'unsigned (no secret)',
        deliveries: results,
      });
    }
    return json(405, { error: 'method_not_allowed' });
  });

  const unsubscribe = listener.store.subscribe((d) => {
    const frame = `event: delivery\ndata: ${JSON.stringify(d)}\n\n`;
    for (const c of clients) c.write(frame);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${actual}`;
  for (const h of ['127.0.0.1', 'localhost', '[::1]']) hosts.add(`${h}:${actual}`);
  return {
    url: `${origin}/`,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const c of clients) c.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
