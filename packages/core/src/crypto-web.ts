import type { CryptoPort, HmacAlgorithm, HmacKey } from './crypto-port.js';

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const decoder = new TextDecoder('utf-8');

// importKey is the slow part of Web Crypto HMAC; a receiver uses one or two secrets,
// so a small cache keyed by the secret string (and the hash) removes it from the hot
// path. Raw key bytes (decoded `whsec_` secrets) are cached by identity.
const keyCache = new Map<string, Promise<CryptoKey>>();
const byteKeys = new WeakMap<Uint8Array, Map<HmacAlgorithm, Promise<CryptoKey>>>();
const KEY_CACHE_LIMIT = 32;
const HASH: Readonly<Record<HmacAlgorithm, string>> = { sha256: 'SHA-256', sha1: 'SHA-1', sha512: 'SHA-512' };

function load(bytes: Uint8Array, algorithm: HmacAlgorithm): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    bytes as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: HASH[algorithm] },
    false,
    ['sign'],
  );
}

function importKey(secret: HmacKey, algorithm: HmacAlgorithm): Promise<CryptoKey> {
  if (typeof secret !== 'string') {
    let byAlgorithm = byteKeys.get(secret);
    if (byAlgorithm === undefined) byteKeys.set(secret, (byAlgorithm = new Map()));
    let key = byAlgorithm.get(algorithm);
    if (key === undefined) byAlgorithm.set(algorithm, (key = load(secret.slice(), algorithm)));
    return key;
  }
  const id = `${algorithm}:${secret}`;
  let key = keyCache.get(id);
  if (key === undefined) {
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    key = load(encoder.encode(secret), algorithm);
    keyCache.set(id, key);
  }
  return key;
}

async function hmac(
  algorithm: HmacAlgorithm,
  secret: HmacKey,
  parts: readonly (string | Uint8Array)[],
): Promise<Uint8Array> {
  const key = await importKey(secret, algorithm);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, concat(parts) as Uint8Array<ArrayBuffer>));
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
  hmacSha256(secret, parts) {
    return hmac('sha256', secret, parts);
  },
  hmac,
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
