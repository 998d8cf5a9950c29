import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The conformance vectors in fixtures/signatures.json (computed with plain node:crypto). */
export interface Vector {
  vendor: 'autoposting' | 'aidelly' | 'audenci' | 'timbrix';
  name: string;
  body: string;
  headers: Record<string, string>;
  secret: string | string[];
  nowMs: number;
  options?: { allowUnsigned?: boolean; toleranceSec?: number };
  expect: { ok: boolean; type?: string; secretIndex?: number; code?: string; status?: number };
}

export const vectorFile = JSON.parse(
  readFileSync(new URL('./fixtures/signatures.json', import.meta.url), 'utf8'),
) as { nowMs: number; vectors: Vector[] };

/** Independent expectation: HMAC-SHA256 with plain node:crypto, lowercase hex. */
/**
 * The secret a vector's receiver is configured with. The shared vectors pair
 * `allowUnsigned` with a secret, which is now a setup error (a secret makes the signature
 * mandatory): an unsigned delivery is what a webhook created without a secret sends, so
 * it is checked with none.
 */
export function configuredSecret(v: Pick<Vector, 'secret' | 'options'>): string | string[] {
  return v.options?.allowUnsigned === true ? [] : v.secret;
}

/** The id of an event whose body carries none: `sha256:` + 32 hex digits of SHA-256 over the raw body. */
export function bodyDigestId(body: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
}

export function hmacHex(secret: string, content: string | Uint8Array): string {
  return createHmac('sha256', secret).update(content).digest('hex');
}

export const SECRET = 'whsec_c29tZS1zaWduaW5nLXNlY3JldA';
export const NOW_MS = 1767225600000;
export const NOW_S = NOW_MS / 1000;

/** Headers a vendor sends, built by hand from the vendors' pages, signed with node:crypto. */
export function handSigned(
  vendor: Vector['vendor'],
  body: string,
  secret = SECRET,
  ts = String(NOW_S),
): Record<string, string> {
  switch (vendor) {
    case 'autoposting':
      return { 'X-Autoposting-Signature': hmacHex(secret, `${ts}.${body}`), 'X-Autoposting-Timestamp': ts };
    case 'aidelly':
      return { 'Aidelly-Signature': `sha256=${hmacHex(secret, body)}` };
    case 'audenci':
      return { 'X-Audenci-Signature': hmacHex(secret, body) };
    case 'timbrix':
      return { 'X-Webhook-Signature': hmacHex(secret, body) };
  }
}

export const sampleBodies: Record<Vector['vendor'], string> = {
  autoposting: JSON.stringify({ id: 'evt_1', event: 'post.published', timestamp: '2026-01-01T00:00:00.000Z', orgId: 'org_1', data: { postId: 'p1' } }),
  aidelly: JSON.stringify({ event: 'post.published', workspace_id: 'w', brand_id: 'b', data: { post_id: 'p', platform: 'linkedin', status: 'completed', published_at: '2026-02-18T17:30:00Z', platform_post_id: 'urn:li:share:1' }, created_at: '2026-02-18T17:30:02Z' }),
  audenci: JSON.stringify({ event: 'post.published', timestamp: '2026-02-03T10:30:00Z', data: { postId: 'clx123abc', title: 'T', platforms: ['instagram'], scheduledFor: '2026-02-03T10:00:00Z', platformResults: {} }, organizationId: 'o', brandId: 'b' }),
  timbrix: JSON.stringify({ event: 'member.added', timestamp: '2026-01-01T00:00:00Z', data: { memberId: 'm1' } }),
};

export type BuiltIn = Vector['vendor'];
export const builtIns: readonly BuiltIn[] = ['autoposting', 'aidelly', 'audenci', 'timbrix'];

/** The signature header of each vendor as its page spells it (typed in, not read from the profiles). */
export const signatureHeaderOf: Record<BuiltIn, string> = {
  autoposting: 'X-Autoposting-Signature',
  aidelly: 'Aidelly-Signature',
  audenci: 'X-Audenci-Signature',
  timbrix: 'X-Webhook-Signature',
};

/** The documented event each sample body carries. */
export const sampleType: Record<BuiltIn, string> = {
  autoposting: 'post.published',
  aidelly: 'post.published',
  audenci: 'post.published',
  timbrix: 'member.added',
};

/** Raw HMAC-SHA256 bytes with plain node:crypto. */
export function hmacBytes(secret: string, content: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(content).digest();
}

/** A copy of `bytes` with bit `bit` (0 = lowest bit of byte 0) inverted. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = new Uint8Array(bytes);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** `text` with the character at `index` replaced by the next one in `alphabet` (one changed byte). */
export function changeChar(text: string, index: number, alphabet = '0123456789abcdef'): string {
  const c = text[index]!;
  const at = alphabet.indexOf(c.toLowerCase());
  const next = at < 0 ? alphabet[0]! : alphabet[(at + 1) % alphabet.length]!;
  return text.slice(0, index) + next + text.slice(index + 1);
}

/** A promise with its resolver, to hold a handler open while a concurrent request arrives. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
