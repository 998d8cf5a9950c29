import type { CryptoPort } from './crypto-port.js';

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const decoder = new TextDecoder('utf-8');

// importKey is the slow part of Web Crypto HMAC; a receiver uses one or two secrets,
// so a small cache keyed by the secret string removes it from the hot path.
const keyCache = new Map<string, Promise<CryptoKey>>();
const KEY_CACHE_LIMIT = 32;

function importKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (key === undefined) {
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keyCache.set(secret, key);
  }
  return key;
}

function concat(parts: readonly (string | Uint8Array)[]): Uint8Array {
  if (parts.length === 1) {
    const only = parts[0]!;
    return typeof only === 'string' ? encoder.encode(only) : only;
  }
  const chunks = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : p));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The Web Crypto port (Workers, Deno, Bun, Vercel Edge); `runtime` is `'web'`. */
export const cryptoPort: CryptoPort = {
  runtime: 'web',
  async hmacSha256(secret, parts) {
    const key = await importKey(secret);
    return new Uint8Array(await crypto.subtle.sign('HMAC', key, concat(parts) as Uint8Array<ArrayBuffer>));
  },
  async sha256(data) {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  },
  equal(a, b) {
    if (a.byteLength !== b.byteLength) return false;
    let diff = 0;
    for (let i = 0; i < a.byteLength; i++) diff |= a[i]! ^ b[i]!;
    return diff === 0;
  },
  isUtf8(bytes) {
    try {
      strictDecoder.decode(bytes);
      return true;
    } catch {
      return false;
    }
  },
  utf8Decode(bytes) {
    return decoder.decode(bytes);
  },
};
