// One benchmark case per row. Each library gets a body correctly signed in its own
// scheme (signatures computed here with plain node:crypto, or with svix's own `sign`)
// and a function that verifies AND parses, called as an app would call it: a library
// that returns a promise is awaited once, with no wrapper of ours around it. Every
// result goes through `check`, so a failing path can never be what is measured.
// `make` imports its library itself: each case runs in its own worker (see rounds.mjs).
import { createHmac, timingSafeEqual } from 'node:crypto';

const SECRET = 'whsec_bench_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e';
// svix / standardwebhooks secrets are base64 after the whsec_ prefix.
const SVIX_SECRET = `whsec_${Buffer.from('bench-secret-bytes-0123456789abcdef').toString('base64')}`;
const EVENT_ID = 'evt_01HZX3K9V7Q2M8N4P6R1S5T0W';
const SVIX_MSG_ID = 'msg_2Lh9GmQj8sTqk3Yw1Vb7Xc4Nr';

/** Throws unless `out` is the verified, parsed body (hookproof's result or a bare payload). */
export function check(out) {
  const payload = out.ok === true ? out.event.payload : out;
  if (payload.id !== EVENT_ID) throw new Error('the case did not return the verified, parsed body');
}

// What Node hands a handler as `req.headers`: lower-case names, plus the usual noise.
function nodeHeaders(extra) {
  return {
    host: 'hooks.example.com',
    'user-agent': 'vendor-webhooks/1.0',
    'content-type': 'application/json',
    'content-length': '0',
    'accept-encoding': 'gzip',
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-proto': 'https',
    ...extra,
  };
}

function hmacHex(secret, ...parts) {
  const h = createHmac('sha256', secret);
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

const nowSec = () => Math.floor(Date.now() / 1000);
const bodyOf = (text, kind) => (kind === 'Buffer' ? Buffer.from(text, 'utf8') : text);

// Floor: what a hand-written receiver does at minimum. Read the header, decode its hex,
// HMAC the raw bytes, compare in constant time, decode UTF-8, JSON.parse.
function floor(kind) {
  return async (text) => {
    const body = bodyOf(text, kind);
    const headers = nodeHeaders({ 'aidelly-signature': `sha256=${hmacHex(SECRET, body)}` });
    const toText = kind === 'Buffer' ? (b) => b.toString('utf8') : (t) => t;
    return () => {
      const expected = Buffer.from(headers['aidelly-signature'].slice(7), 'hex');
      const mac = createHmac('sha256', SECRET).update(body).digest();
      if (expected.length !== mac.length || !timingSafeEqual(mac, expected)) throw new Error('floor: mismatch');
      return JSON.parse(toText(body));
    };
  };
}

// hookproof, body-signed vendor (Aidelly: `Aidelly-Signature: sha256=<hex>` over the body).
function aidelly(kind) {
  return async (text) => {
    const { verify } = await import('@hookproof/core');
    const body = bodyOf(text, kind);
    const headers = nodeHeaders({ 'aidelly-signature': `sha256=${hmacHex(SECRET, body)}` });
    return () => verify({ vendor: 'aidelly', secret: SECRET, body, headers });
  };
}

// The same through createVerifier: options checked once, as the framework adapters do.
function aidellyPrepared(kind) {
  return async (text) => {
    const { createVerifier } = await import('@hookproof/core');
    const body = bodyOf(text, kind);
    const headers = nodeHeaders({ 'aidelly-signature': `sha256=${hmacHex(SECRET, body)}` });
    const verifier = createVerifier({ vendor: 'aidelly', secret: SECRET });
    return () => verifier(body, headers);
  };
}

// hookproof, timestamp-signed vendor (Autoposting: hex HMAC of "<ts>.<body>").
function autoposting(kind) {
  return async (text) => {
    const { verify } = await import('@hookproof/core');
    const body = bodyOf(text, kind);
    const ts = String(nowSec());
    const headers = nodeHeaders({
      'x-autoposting-signature': hmacHex(SECRET, `${ts}.`, body),
      'x-autoposting-timestamp': ts,
      'x-autoposting-event': 'post.published',
      'x-autoposting-delivery': 'dlv_01HZX3KA0B1C2D3E4F5G6H7J8',
    });
    return () => verify({ vendor: 'autoposting', secret: SECRET, body, headers });
  };
}

// stripe: `t=<ts>,v1=<hex>` over "<ts>.<body>"; constructEvent parses the JSON itself.
function stripe(kind, method) {
  return async (text) => {
    const { default: Stripe } = await import('stripe');
    const webhooks = new Stripe('sk_test_bench_unused', { telemetry: false }).webhooks;
    const body = bodyOf(text, kind);
    const ts = nowSec();
    const header = `t=${ts},v1=${hmacHex(SECRET, `${ts}.`, body)}`;
    return method === 'async'
      ? () => webhooks.constructEventAsync(body, header, SECRET)
      : () => webhooks.constructEvent(body, header, SECRET);
  };
}

// svix / standardwebhooks: base64 HMAC of "<id>.<ts>.<body>" with the decoded key.
function standardFamily(pkg, prefix) {
  return async (text) => {
    const { Webhook } = await import(pkg);
    const wh = new Webhook(SVIX_SECRET);
    const body = bodyOf(text, 'Buffer');
    const ts = nowSec();
    const headers = nodeHeaders({
      [`${prefix}-id`]: SVIX_MSG_ID,
      [`${prefix}-timestamp`]: String(ts),
      [`${prefix}-signature`]: wh.sign(SVIX_MSG_ID, new Date(ts * 1000), text),
    });
    return () => wh.verify(body, headers);
  };
}

// hookproof, the built-in Standard Webhooks vendor: the same delivery svix and
// standardwebhooks verify below (signed by standardwebhooks' own `sign`, webhook-* headers).
function hookproofStandard() {
  return async (text) => {
    const [{ verify }, { Webhook }] = await Promise.all([import('@hookproof/core'), import('standardwebhooks')]);
    const body = bodyOf(text, 'Buffer');
    const ts = nowSec();
    const headers = nodeHeaders({
      'webhook-id': SVIX_MSG_ID,
      'webhook-timestamp': String(ts),
      'webhook-signature': new Webhook(SVIX_SECRET).sign(SVIX_MSG_ID, new Date(ts * 1000), text),
    });
    return () => verify({ vendor: 'standard-webhooks', secret: SVIX_SECRET, body, headers });
  };
}

// @octokit/webhooks-methods: `sha256=<hex>` over the body; string payloads only. It
// verifies but does not parse, so JSON.parse is added to compare like with like.
function octokit() {
  return async (text) => {
    const { verify } = await import('@octokit/webhooks-methods');
    const signature = `sha256=${hmacHex(SECRET, text)}`;
    return async () => {
      if (!(await verify(SECRET, text, signature))) throw new Error('octokit: mismatch');
      return JSON.parse(text);
    };
  };
}

const FLOOR = 'floor: node:crypto HMAC + timingSafeEqual + JSON.parse';
const AIDELLY = 'hookproof verify (aidelly, body-signed)';
const AUTOPOSTING = 'hookproof verify (autoposting, timestamp-signed)';

/** @type {{ name: string, group: string, body: 'Buffer' | 'string', scheme: 'body' | 'timestamp' | 'standard', make: (text: string) => Promise<() => unknown> }[]} */
export const CASES = [
  { name: FLOOR, group: 'floor', body: 'Buffer', scheme: 'body', make: floor('Buffer') },
  { name: FLOOR, group: 'floor', body: 'string', scheme: 'body', make: floor('string') },
  { name: AIDELLY, group: 'hookproof', body: 'Buffer', scheme: 'body', make: aidelly('Buffer') },
  { name: AIDELLY, group: 'hookproof', body: 'string', scheme: 'body', make: aidelly('string') },
  { name: 'hookproof createVerifier (aidelly), options checked once', group: 'hookproof-prepared', body: 'Buffer', scheme: 'body', make: aidellyPrepared('Buffer') },
  { name: AUTOPOSTING, group: 'hookproof', body: 'Buffer', scheme: 'timestamp', make: autoposting('Buffer') },
  { name: AUTOPOSTING, group: 'hookproof', body: 'string', scheme: 'timestamp', make: autoposting('string') },
  { name: 'stripe webhooks.constructEvent', group: 'stripe', body: 'Buffer', scheme: 'timestamp', make: stripe('Buffer', 'sync') },
  { name: 'stripe webhooks.constructEvent', group: 'stripe', body: 'string', scheme: 'timestamp', make: stripe('string', 'sync') },
  { name: 'stripe webhooks.constructEventAsync', group: 'stripe-async', body: 'Buffer', scheme: 'timestamp', make: stripe('Buffer', 'async') },
  { name: 'hookproof verify (standard-webhooks)', group: 'hookproof-standard-webhooks', body: 'Buffer', scheme: 'standard', make: hookproofStandard() },
  { name: 'svix Webhook.verify', group: 'svix', body: 'Buffer', scheme: 'timestamp', make: standardFamily('svix', 'svix') },
  { name: 'standardwebhooks Webhook.verify', group: 'standardwebhooks', body: 'Buffer', scheme: 'timestamp', make: standardFamily('standardwebhooks', 'webhook') },
  { name: '@octokit/webhooks-methods verify + JSON.parse', group: 'octokit', body: 'string', scheme: 'body', make: octokit() },
];
