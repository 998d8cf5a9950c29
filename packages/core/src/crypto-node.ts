import * as nodeCrypto from 'node:crypto';
import {
  createHmac,
  createHash,
  createSecretKey,
  timingSafeEqual as nodeTimingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { CryptoPort, HmacAlgorithm, HmacKey } from './crypto-port.js';

// KeyObjects cached by secret string (see bench/README.md#keys-hashes-and-headers);
// crypto-web.ts does the same with importKey.
// Raw key bytes (decoded `whsec_` secrets) are cached by identity: a verifier decodes
// its secrets once and the scheme module caches the decoded bytes per secret string.
const keyCache = new Map<string, KeyObject>();
const byteKeys = new WeakMap<Uint8Array, KeyObject>();
const KEY_CACHE_LIMIT = 32;

function keyFor(secret: HmacKey): KeyObject {
  if (typeof secret !== 'string') {
    let key = byteKeys.get(secret);
    if (key === undefined) {
      key = createSecretKey(Buffer.from(secret));
      byteKeys.set(secret, key);
    }
    return key;
  }
  let key = keyCache.get(secret);
  if (key === undefined) {
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keyCache.set(secret, key);
  }
  return key;
}

function hmac(algorithm: HmacAlgorithm, secret: HmacKey, parts: readonly (string | Uint8Array)[]): Uint8Array {
  const mac = createHmac(algorithm, keyFor(secret));
  for (const part of parts) mac.update(part);
  return mac.digest();
}

const oneShotHash: typeof nodeCrypto.hash | undefined =
  typeof nodeCrypto.hash === 'function' ? nodeCrypto.hash : undefined;

/**
 * The crypto port this build runs on (exported as `runtimeCrypto`): `runtime` is
 * `'node'` in the Node build and `'web'` in the Web Crypto build, handy to check which
 * export condition a bundler picked. Node's HMAC is synchronous, so this port's fast
 * path never waits on a promise.
 */
export const cryptoPort: CryptoPort = {
  runtime: 'node',
  hmacSha256(secret, parts) {
    return hmac('sha256', secret, parts);
  },
  hmac,
  sha256(data) {
    // One-shot crypto.hash (Node >= 20.12): see bench/README.md#keys-hashes-and-headers.
    return oneShotHash === undefined
      ? createHash('sha256').update(data).digest()
      : oneShotHash('sha256', data, 'buffer');
  },
  equal(a, b) {
    return a.byteLength === b.byteLength && nodeTimingSafeEqual(a, b);
  },
  isUtf8(bytes) {
    return isUtf8(bytes);
  },
  utf8Decode(bytes) {
    // Bodies usually arrive as Buffers already; a new view per call costs more than the check.
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return buf.toString('utf8');
  },
};
