// One benchmark case per row: each library gets a body correctly signed in its own
// scheme (signatures computed here with plain node:crypto, or the library's own
// documented test helper for stripe/svix), and a task function that verifies AND
// parses, then checks the result cheaply so a failing path can never be measured.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { verify as hookproofVerify } from '@hookproof/core';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { verify as octokitVerify } from '@octokit/webhooks-methods';

const SECRET = 'whsec_bench_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e';
// svix / standardwebhooks secrets are base64 after the whsec_ prefix.
const SVIX_SECRET = `whsec_${Buffer.from('bench-secret-bytes-0123456789abcdef').toString('base64')}`;

const stripe = new Stripe('sk_test_bench_unused', { telemetry: false });
const svix = new SvixWebhook(SVIX_SECRET);
const standard = new StandardWebhook(SVIX_SECRET);

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

const hmacHex = (secret, ...parts) => {
  const h = createHmac('sha256', secret);
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

let sink; // results are kept alive so no call can be optimised away

/**
 * @param {string} text the JSON body
 * @returns {{ name: string, group: string, body: 'Buffer' | 'string', scheme: 'body' | 'timestamp', fn: () => unknown }[]}
 */
export function buildCases(text) {
  const buf = Buffer.from(text, 'utf8');
  const nowSec = Math.floor(Date.now() / 1000);
  const cases = [];
  const add = (name, group, body, scheme, fn) => cases.push({ name, group, body, scheme, fn });

  // Floor: what a hand-written receiver does at minimum. Decode the hex header, HMAC
  // the raw bytes, compare in constant time, decode UTF-8, JSON.parse.
  const floorHeader = `sha256=${hmacHex(SECRET, buf)}`;
  const floor = (body, toText) => () => {
    const expected = Buffer.from(floorHeader.slice(7), 'hex');
    const mac = createHmac('sha256', SECRET).update(body).digest();
    if (expected.length !== mac.length || !timingSafeEqual(mac, expected)) throw new Error('floor: mismatch');
    sink = JSON.parse(toText(body));
    return sink;
  };
  add('floor: node:crypto HMAC + timingSafeEqual + JSON.parse', 'floor', 'Buffer', 'body', floor(buf, (b) => b.toString('utf8')));
  add('floor: node:crypto HMAC + timingSafeEqual + JSON.parse', 'floor', 'string', 'body', floor(text, (t) => t));

  // hookproof, body-signed vendor (Aidelly: `Aidelly-Signature: sha256=<hex>` over the body).
  const aidellyHeaders = nodeHeaders({ 'aidelly-signature': `sha256=${hmacHex(SECRET, buf)}` });
  const hp = (vendor, body, headers) => async () => {
    const r = await hookproofVerify({ vendor, secret: SECRET, body, headers });
    if (!r.ok) throw r.error;
    sink = r;
    return r;
  };
  add('hookproof verify (aidelly, body-signed)', 'hookproof', 'Buffer', 'body', hp('aidelly', buf, aidellyHeaders));
  add('hookproof verify (aidelly, body-signed)', 'hookproof', 'string', 'body', hp('aidelly', text, aidellyHeaders));

  // hookproof, timestamp-signed vendor (Autoposting: hex HMAC of "<ts>.<body>").
  const ts = String(nowSec);
  const autopostingHeaders = nodeHeaders({
    'x-autoposting-signature': hmacHex(SECRET, `${ts}.`, buf),
    'x-autoposting-timestamp': ts,
    'x-autoposting-event': 'post.published',
    'x-autoposting-delivery': 'dlv_01HZX3KA0B1C2D3E4F5G6H7J8',
  });
  add('hookproof verify (autoposting, timestamp-signed)', 'hookproof', 'Buffer', 'timestamp', hp('autoposting', buf, autopostingHeaders));
  add('hookproof verify (autoposting, timestamp-signed)', 'hookproof', 'string', 'timestamp', hp('autoposting', text, autopostingHeaders));

  // stripe: `t=<ts>,v1=<hex>` over "<ts>.<body>"; constructEvent parses the JSON itself.
  const stripeHeader = `t=${nowSec},v1=${hmacHex(SECRET, `${nowSec}.`, buf)}`;
  const stripeSync = (body) => () => {
    sink = stripe.webhooks.constructEvent(body, stripeHeader, SECRET);
    return sink;
  };
  add('stripe webhooks.constructEvent', 'stripe', 'Buffer', 'timestamp', stripeSync(buf));
  add('stripe webhooks.constructEvent', 'stripe', 'string', 'timestamp', stripeSync(text));
  add('stripe webhooks.constructEventAsync', 'stripe-async', 'Buffer', 'timestamp', async () => {
    sink = await stripe.webhooks.constructEventAsync(buf, stripeHeader, SECRET);
    return sink;
  });

  // svix / standardwebhooks: base64 HMAC of "<id>.<ts>.<body>" with the decoded key.
  const msgId = 'msg_2Lh9GmQj8sTqk3Yw1Vb7Xc4Nr';
  const svixSig = svix.sign(msgId, new Date(nowSec * 1000), text);
  const svixHeaders = nodeHeaders({ 'svix-id': msgId, 'svix-timestamp': String(nowSec), 'svix-signature': svixSig });
  const standardHeaders = nodeHeaders({ 'webhook-id': msgId, 'webhook-timestamp': String(nowSec), 'webhook-signature': svixSig });
  add('svix Webhook.verify', 'svix', 'Buffer', 'timestamp', () => {
    sink = svix.verify(buf, svixHeaders);
    return sink;
  });
  add('standardwebhooks Webhook.verify', 'standardwebhooks', 'Buffer', 'timestamp', () => {
    sink = standard.verify(buf, standardHeaders);
    return sink;
  });

  // @octokit/webhooks-methods: `sha256=<hex>` over the body; string payloads only.
  // It verifies but does not parse, so JSON.parse is added to compare like with like.
  const octokitSig = `sha256=${hmacHex(SECRET, text)}`;
  add('@octokit/webhooks-methods verify + JSON.parse', 'octokit', 'string', 'body', async () => {
    if (!(await octokitVerify(SECRET, text, octokitSig))) throw new Error('octokit: mismatch');
    sink = JSON.parse(text);
    return sink;
  });

  return cases;
}

/** Runs every case once and checks it really verified the body (not a failure path). */
export async function checkCases(cases) {
  for (const c of cases) {
    const out = await c.fn();
    const payload = out && typeof out === 'object' && 'event' in out && out.ok === true ? out.event.payload : out;
    if (!payload || payload.id !== 'evt_01HZX3K9V7Q2M8N4P6R1S5T0W') {
      throw new Error(`${c.name} (${c.body}) did not return the parsed body`);
    }
  }
}
