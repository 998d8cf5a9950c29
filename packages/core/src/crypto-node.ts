import { createHmac, createHash, timingSafeEqual as nodeTimingSafeEqual } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { CryptoPort } from './crypto-port.js';

/**
 * The crypto port this build runs on (exported as `runtimeCrypto`): `runtime` is
 * `'node'` in the Node build and `'web'` in the Web Crypto build, handy to check which
 * export condition a bundler picked. Node's HMAC is synchronous, so this port's fast
 * path never waits on a promise.
 */
export const cryptoPort: CryptoPort = {
  runtime: 'node',
  hmacSha256(secret, parts) {
    const mac = createHmac('sha256', secret);
    for (const part of parts) mac.update(part);
    return mac.digest();
  },
  sha256(data) {
    return createHash('sha256').update(data).digest();
  },
  equal(a, b) {
    return a.byteLength === b.byteLength && nodeTimingSafeEqual(a, b);
  },
  isUtf8(bytes) {
    return isUtf8(bytes);
  },
  utf8Decode(bytes) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  },
};
