// bench/verify's diagnose section: `diagnose()` next to `verify()` on the same failed
// delivery, so its cost is read as a multiple of verify's. diagnose runs on deliveries
// that failed, which a peer controls (`hookproof listen` diagnoses every one), so the
// bodies are what an attacker would send: random bytes ("junk"), and a JSON event, for
// which diagnose also tries re-serialisations. Both are signed with another secret, so
// every row takes the failing path; `check` makes sure it did.
import { createHmac } from 'node:crypto';
import { jsonBody } from './body.mjs';

const SECRET = 'whsec_bench_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e';
const OTHER_SECRET = 'whsec_bench_not_the_configured_one';

/** Throws unless `out` is verify's signature_mismatch or diagnose's wrong_secret verdict. */
export function check(out) {
  const failed = 'cause' in out ? out.ok === false && out.cause === 'wrong_secret' : out.ok === false && out.error.code === 'signature_mismatch';
  if (!failed) throw new Error(`the case did not take the failing path: ${JSON.stringify(out).slice(0, 200)}`);
}

/** `bytes` of deterministic noise (xorshift32): not UTF-8, not JSON. */
export function junkBody(bytes) {
  const out = Buffer.alloc(bytes);
  let x = 0x9e3779b9;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A JSON event of exactly `bytes` bytes: body.mjs's envelope with its media list repeated. */
export function eventBody(bytes) {
  if (bytes <= 64 * 1024) return Buffer.from(jsonBody(bytes));
  const base = JSON.parse(jsonBody(4096));
  const items = base.data.media;
  const media = [];
  base.data.note = '';
  let size = Buffer.byteLength(JSON.stringify(base));
  for (let i = 0; size + 300 < bytes; i++) {
    const item = items[i % items.length];
    media.push(item);
    size += Buffer.byteLength(JSON.stringify(item)) + 1;
  }
  base.data.media = media;
  const text = JSON.stringify(base);
  base.data.note = 'x'.repeat(bytes - Buffer.byteLength(text));
  const out = Buffer.from(JSON.stringify(base));
  if (out.length !== bytes) throw new Error(`event body is ${out.length} bytes, not ${bytes}`);
  return out;
}

const nowSec = () => Math.floor(Date.now() / 1000);

// Autoposting: the timestamp-signed vendor, for which diagnose has one guess more.
function make(fn, kind) {
  return async (bytes) => {
    const core = await import('@hookproof/core');
    const body = kind === 'junk' ? junkBody(bytes) : eventBody(bytes);
    const ts = String(nowSec());
    const headers = {
      host: 'hooks.example.com',
      'content-type': 'application/json',
      'x-autoposting-signature': createHmac('sha256', OTHER_SECRET).update(`${ts}.`).update(body).digest('hex'),
      'x-autoposting-timestamp': ts,
      'x-autoposting-event': 'post.published',
    };
    const input = { vendor: 'autoposting', secret: SECRET, body, headers };
    return () => core[fn](input);
  };
}

/** Rows in pairs: verify then diagnose, on the same body kind. */
export const DIAGNOSE_CASES = ['junk', 'json'].flatMap((kind) => [
  { name: `verify (autoposting, ${kind}, wrong secret)`, group: 'verify', body: kind, scheme: 'timestamp', make: make('verify', kind) },
  { name: `diagnose (autoposting, ${kind}, wrong secret)`, group: 'diagnose', body: kind, scheme: 'timestamp', make: make('diagnose', kind) },
]);
