/**
 * The only runtime-specific code in core. `crypto-node.ts` is the default; the
 * `default`/`browser` export condition ships a build where `crypto-web.ts`
 * (Web Crypto, for Workers, Deno, Bun, Vercel Edge) stands in its place.
 */
export interface CryptoPort {
  readonly runtime: 'node' | 'web';
  hmacSha256(secret: string, parts: readonly (string | Uint8Array)[]): Uint8Array | Promise<Uint8Array>;
  sha256(data: string | Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Constant-time for equal lengths; a length mismatch is a plain `false`, never a throw. */
  equal(a: Uint8Array, b: Uint8Array): boolean;
  isUtf8(bytes: Uint8Array): boolean;
  utf8Decode(bytes: Uint8Array): string;
}
