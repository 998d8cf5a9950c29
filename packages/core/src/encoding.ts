/**
 * Signature decoding. Three of the four vendors leave the encoding undocumented
 * (only Aidelly's guide shows its `sha256=<hex>`), so we accept every plausible form and compare decoded bytes:
 * hex in either case, base64 standard or url-safe, padded or not, with or without
 * a `sha256=` / `v1=` prefix, several signatures in one header. This widens the
 * accepted spellings, never the check itself: the bytes must still equal the MAC.
 */

/** A SHA-256 MAC is 32 bytes; any other decoded length is `malformed_signature`. */
export const MAC_BYTES = 32;
/** Header values beyond these bounds are refused before any decoding work. */
export const MAX_SIGNATURE_HEADER_CHARS = 4096;
export const MAX_SIGNATURES_PER_HEADER = 16;

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

const B64 = new Int16Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => {
  B64[c.charCodeAt(0)] = i;
});
B64['-'.charCodeAt(0)] = 62;
B64['_'.charCodeAt(0)] = 63;

// Lookup tables, not parseInt/substr per byte: see bench/README.md#decoding-signatures.
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
}
const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

/** Lower-case hex of `bytes[0, end)`. */
export function bytesToHex(bytes: Uint8Array, end = bytes.length): string {
  let s = '';
  for (let i = 0, n = Math.min(end, bytes.length); i < n; i++) s += HEX_PAIRS[bytes[i]!]!;
  return s;
}

/** Decodes standard or url-safe base64, padded or not; `undefined` if it is not base64. */
export function base64ToBytes(input: string): Uint8Array | undefined {
  // A loop, not /=+$/: that regex backtracks quadratically on a long run of '=' not at
  // the end, and diagnose() hands this function whole peer-supplied tokens (hardening/).
  let end = input.length;
  while (end > 0 && input.charCodeAt(end - 1) === 61 /* = */) end--;
  const s = end === input.length ? input : input.slice(0, end);
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

/** How a MAC is written: lowercase hex, standard base64 (padded), or url-safe base64 (unpadded). */
export type SignatureEncoding = 'hex' | 'base64' | 'base64url';

/** Writes MAC bytes in one of the encodings `verify` accepts (used by `sign()`). */
export function encodeMac(bytes: Uint8Array, encoding: SignatureEncoding): string {
  if (encoding === 'hex') return bytesToHex(bytes);
  const b64 = bytesToBase64(bytes);
  return encoding === 'base64' ? b64 : b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export type DecodedSignatures =
  { ok: true; macs: Uint8Array[] } | { ok: false; reason: 'empty' | 'too_long' | 'undecodable' | 'wrong_length' };

/**
 * Splits one or more header values into candidate MACs. Tokens that do not decode
 * to 32 bytes are skipped as long as one does; if none does, the reason says why.
 * Tokens are found by index, hex checked and decoded in one pass: see bench/README.md#decoding-signatures.
 */
export function decodeSignatures(values: readonly string[]): DecodedSignatures {
  const macs: Uint8Array[] = [];
  let sawWrongLength = false;
  let sawToken = false;
  let tokens = 0;
  for (const value of values) {
    if (value.length > MAX_SIGNATURE_HEADER_CHARS) return { ok: false, reason: 'too_long' };
    const n = value.length;
    // Most headers hold one signature: a native regex scan spares the per-character loop.
    const split = SEPARATOR.test(value);
    let i = 0;
    for (;;) {
      if (split) while (i < n && isSeparator(value.charCodeAt(i))) i++;
      if (i === n) break;
      let end = n;
      if (split) {
        end = i + 1;
        while (end < n && !isSeparator(value.charCodeAt(end))) end++;
      }
      sawToken = true;
      if (++tokens > MAX_SIGNATURES_PER_HEADER) return { ok: false, reason: 'too_long' };
      const start = i + prefixLength(value, i, end);
      i = end;
      const hex = end - start === 2 * MAC_BYTES ? hexMacAt(value, start) : undefined;
      if (hex !== undefined) {
        macs.push(hex);
        continue;
      }
      const token = value.slice(start, end);
      const bytes = BASE64.test(token) ? base64ToBytes(token) : undefined;
      if (bytes === undefined) continue;
      if (bytes.length !== MAC_BYTES) {
        sawWrongLength = true;
        continue;
      }
      const mac = slabMac();
      mac.set(bytes);
      macs.push(mac);
    }
  }
  if (macs.length > 0) return { ok: true, macs };
  if (!sawToken) return { ok: false, reason: 'empty' };
  return { ok: false, reason: sawWrongLength ? 'wrong_length' : 'undecodable' };
}

const SEPARATOR = /[\s,]/;

/** Exactly the characters of the regex class `[\s,]`: a comma or ECMAScript white space / line terminator. */
function isSeparator(c: number): boolean {
  if (c > 32 && c < 127) return c === 44;
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Length of a leading `sha256=` / `v1=` (`:` also, any ASCII case) in `value[start, end)`, else 0. */
function prefixLength(value: string, start: number, end: number): number {
  const n = end - start;
  const c0 = value.charCodeAt(start) | 0x20; // ASCII letters in any case
  if (
    n >= 7 &&
    c0 === 0x73 &&
    (value.charCodeAt(start + 1) | 0x20) === 0x68 &&
    (value.charCodeAt(start + 2) | 0x20) === 0x61 &&
    value.startsWith('256', start + 3)
  ) {
    return isPrefixEnd(value.charCodeAt(start + 6)) ? 7 : 0; // sha256= or sha256:
  }
  if (n >= 3 && c0 === 0x76 && value.charCodeAt(start + 1) === 0x31) {
    return isPrefixEnd(value.charCodeAt(start + 2)) ? 3 : 0; // v1= or v1:
  }
  return 0;
}

const isPrefixEnd = (c: number) => c === 0x3d /* = */ || c === 0x3a; /* : */

/*
 * MACs are carved from shared 8 KB slabs (off V8's heap, for timingSafeEqual), as Buffer's
 * pool does; each owns its own bytes, never reused or overwritten, even across awaits.
 * Why: see bench/README.md#decoding-signatures.
 */
const SLAB_BYTES = 8192;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabOffset = 0;

function slabMac(length = MAC_BYTES): Uint8Array {
  if (slabOffset + length > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabOffset = 0;
  }
  const mac = new Uint8Array(slab, slabOffset, length);
  slabOffset += length;
  return mac;
}

/** The `length` bytes spelled by 2 x `length` hex digits at `value[start]`, or `undefined` if any is not hex. */
function hexMacAt(value: string, start: number, length = MAC_BYTES): Uint8Array | undefined {
  const out = slabMac(length);
  for (let i = 0, j = start; i < length; i++, j += 2) {
    const hi = value.charCodeAt(j);
    const lo = value.charCodeAt(j + 1);
    const h = hi < 128 ? HEX_VALUE[hi]! : -1;
    const l = lo < 128 ? HEX_VALUE[lo]! : -1;
    if ((h | l) < 0) return undefined;
    out[i] = (h << 4) | l;
  }
  return out;
}

/**
 * One signature token of a strictly read scheme (a label already stripped) as the MAC
 * bytes: hex of exactly `length` bytes, or base64 (standard or url-safe, padded or not)
 * decoding to exactly `length` bytes; `'wrong_length'` for hex or base64 of another length,
 * `undefined` for anything else. Decoded straight into slab memory, like the MACs above.
 */
export function macFromToken(token: string, length: number): Uint8Array | 'wrong_length' | undefined {
  const n = token.length;
  if (n === 2 * length) {
    const hex = hexMacAt(token, 0, length);
    if (hex !== undefined) return hex;
  }
  let end = n;
  while (end > 0 && token.charCodeAt(end - 1) === 61 /* = */) end--;
  if (n - end > 2 || end === 0 || end % 4 === 1) return undefined;
  const size = Math.floor((end * 3) / 4);
  if (size !== length) {
    for (let i = 0; i < end; i++) {
      const c = token.charCodeAt(i);
      if ((c < 128 ? B64[c]! : -1) < 0) return undefined;
    }
    return 'wrong_length';
  }
  const out = slabMac(length);
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = token.charCodeAt(i);
    const v = c < 128 ? B64[c]! : -1;
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
