/**
 * The only runtime-specific code in core. `crypto-node.ts` is the default; the
 * `default`/`browser` export condition ships a build where `crypto-web.ts`
 * (Web Crypto, for Workers, Deno, Bun, Vercel Edge) stands in its place.
 */
export interface CryptoPort {
  readonly runtime: 'node' | 'web';
  hmacSha256(secret: string, parts: readonly (string | Uint8Array)[]): Uint8Array | Promise<Uint8Array>;
  /**
   * HMAC with any algorithm a signing scheme names. A string key is used as its UTF-8 bytes;
   * a `Uint8Array` key as the raw bytes (a decoded `whsec_` or base64 secret).
   */
  hmac(
    algorithm: HmacAlgorithm,
    key: HmacKey,
    parts: readonly (string | Uint8Array)[],
  ): Uint8Array | Promise<Uint8Array>;
  sha256(data: string | Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Constant-time for equal lengths; a length mismatch is a plain `false`, never a throw. */
  equal(a: Uint8Array, b: Uint8Array): boolean;
  isUtf8(bytes: Uint8Array): boolean;
  utf8Decode(bytes: Uint8Array): string;
}

/** The hash functions an HMAC signing scheme may use. */
export type HmacAlgorithm = 'sha256' | 'sha1' | 'sha512';

/** An HMAC key: a secret string (its UTF-8 bytes) or raw key bytes. */
export type HmacKey = string | Uint8Array;
