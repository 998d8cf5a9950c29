/**
 * Signature decoding. Three of the four vendors leave the encoding undocumented
 * (VENDORS.md), so we accept every plausible form and compare decoded bytes:
 * hex in either case, base64 standard or url-safe, padded or not, with or without
 * a `sha256=` / `v1=` prefix, several signatures in one header. This widens the
 * accepted spellings, never the check itself: the bytes must still equal the MAC.
 */

/** A SHA-256 MAC is 32 bytes; any other decoded length is `malformed_signature`. */
export const MAC_BYTES = 32;
/** Header values beyond these bounds are refused before any decoding work. */
export const MAX_SIGNATURE_HEADER_CHARS = 4096;
export const MAX_SIGNATURES_PER_HEADER = 16;

const PREFIX = /^(?:sha256|v1)[=:]/i;
const HEX64 = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

const B64 = new Int16Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => {
  B64[c.charCodeAt(0)] = i;
});
B64['-'.charCodeAt(0)] = 62;
B64['_'.charCodeAt(0)] = 63;

// Lookup tables: decoding a header runs on every delivery, and parseInt/substr per
// byte cost more than the HMAC's own setup on a 1 KB body (bench/verify).
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
}
const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

/** Decodes hex already checked against `HEX64` (or of even length with only hex digits). */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0, j = 0; i < out.length; i++, j += 2) {
    out[i] = (HEX_VALUE[hex.charCodeAt(j) & 127]! << 4) | HEX_VALUE[hex.charCodeAt(j + 1) & 127]!;
  }
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX_PAIRS[bytes[i]!]!;
  return s;
}

/** Decodes standard or url-safe base64, padded or not; `undefined` if it is not base64. */
export function base64ToBytes(input: string): Uint8Array | undefined {
  const s = input.replace(/=+$/, '');
  if (s.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const v = code < 128 ? B64[code]! : -1;
    if (v < 0) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

const B64CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += B64CHARS[(n >> 18) & 63]! + B64CHARS[(n >> 12) & 63]!;
    s += i + 1 < bytes.length ? B64CHARS[(n >> 6) & 63]! : '=';
    s += i + 2 < bytes.length ? B64CHARS[n & 63]! : '=';
  }
  return s;
}

export type SignatureEncoding = 'hex' | 'base64' | 'base64url';

export function encodeMac(bytes: Uint8Array, encoding: SignatureEncoding): string {
  if (encoding === 'hex') return bytesToHex(bytes);
  const b64 = bytesToBase64(bytes);
  return encoding === 'base64' ? b64 : b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export type DecodedSignatures =
  | { ok: true; macs: Uint8Array[] }
  | { ok: false; reason: 'empty' | 'too_long' | 'undecodable' | 'wrong_length' };

/**
 * Splits one or more header values into candidate MACs. Tokens that do not decode
 * to 32 bytes are skipped as long as one does; if none does, the reason says why.
 */
export function decodeSignatures(values: readonly string[]): DecodedSignatures {
  const macs: Uint8Array[] = [];
  let sawWrongLength = false;
  let sawToken = false;
  let tokens = 0;
  for (const value of values) {
    if (value.length > MAX_SIGNATURE_HEADER_CHARS) return { ok: false, reason: 'too_long' };
    for (const raw of value.split(/[\s,]+/)) {
      if (raw === '') continue;
      sawToken = true;
      if (++tokens > MAX_SIGNATURES_PER_HEADER) return { ok: false, reason: 'too_long' };
      const token = raw.replace(PREFIX, '');
      if (HEX64.test(token)) {
        macs.push(hexToBytes(token));
        continue;
      }
      const bytes = BASE64.test(token) ? base64ToBytes(token) : undefined;
      if (bytes === undefined) continue;
      if (bytes.length === MAC_BYTES) macs.push(bytes);
      else sawWrongLength = true;
    }
  }
  if (macs.length > 0) return { ok: true, macs };
  if (!sawToken) return { ok: false, reason: 'empty' };
  return { ok: false, reason: sawWrongLength ? 'wrong_length' : 'undecodable' };
}
