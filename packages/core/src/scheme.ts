/**
 * Signing schemes as data: the one place that says what a vendor signs and how the
 * signature is written. `verify`, `sign`, `diagnose`, the mock sender and the docs
 * generator all read a profile's scheme through `schemeOf()`; none of them interprets
 * profile fields on its own.
 *
 * A scheme is plain data (`SigningScheme`): a signed-content template, the signature
 * header's syntax, where the timestamp and the id come from, the secret's encoding and
 * the HMAC hash. A profile without a `scheme` (the four original vendors, and profiles
 * written before schemes existed) gets one derived from its `signatureHeader`,
 * `signedContent`, `signaturePrefix`, `timestampHeader` and `timestampFormat` fields.
 */
import type { HmacAlgorithm, HmacKey } from './crypto-port.js';
import { base64ToBytes, encodeMac, macFromToken, type SignatureEncoding } from './encoding.js';
import { setupError } from './errors.js';
import { CONFLICT, headerValues, singleHeader, type HeadersLike } from './headers.js';

export type { HmacAlgorithm, HmacKey } from './crypto-port.js';

/**
 * How the HMAC key is made from the configured secret string:
 * - `utf8`: the UTF-8 bytes of the whole string, any prefix included (most vendors);
 * - `base64`: the string is base64 (standard or url-safe, padded or not) of the key bytes;
 * - `whsec-base64`: Standard Webhooks / Svix: an optional `whsec_` prefix, then base64 of the key bytes.
 *
 * A `Uint8Array` secret is always used as the raw key bytes.
 */
export type SecretEncoding = 'utf8' | 'base64' | 'whsec-base64';

/** How a timestamp is written; verification accepts unix seconds, unix milliseconds and ISO-8601 whatever the format. */
export type TimestampFormat = 'unix-s' | 'unix-ms' | 'iso';

/** One header name, or several accepted names (the first is the one `sign()` writes), e.g. `['webhook-id', 'svix-id']`. */
export type HeaderNames = string | readonly string[];

/** The signature header and its syntax. */
export interface SignatureSyntax {
  /** The header carrying the signature(s). */
  readonly header: HeaderNames;
  /**
   * The label before each signature, separator included: `'v1='` (Stripe), `'v1,'`
   * (Standard Webhooks), `'sha256='` (GitHub), `'v0='` (Slack, Zoom), `'h1='` (Paddle),
   * `''` for a bare signature (Shopify). An entry with any other label (`v1a,`, `v2,`,
   * Stripe's `v0=`) is never tried as an HMAC. Default `''`.
   */
  readonly prefix?: string;
  /** Between entries (several signatures during rotation, or `t=` beside `v1=`): `','`, `';'` or `' '`. Default `','`; white space always separates too. */
  readonly separator?: ',' | ';' | ' ';
  /** How `sign()` writes the MAC; verification accepts hex and base64 of the right length. Default `'hex'`. */
  readonly encoding?: SignatureEncoding;
}

/** Where the signed timestamp comes from: its own header, or a `key=value` entry of the signature header (`t=`, `ts=`). */
export type TimestampSource =
  | { readonly header: HeaderNames; readonly format?: TimestampFormat }
  | { readonly key: string; readonly format?: TimestampFormat };

/**
 * A vendor's HMAC signing scheme, as data. Example (Standard Webhooks):
 * `{ algorithm: 'sha256', secretEncoding: 'whsec-base64', signedContent: '{id}.{timestamp}.{body}',
 *    signature: { header: ['webhook-signature', 'svix-signature'], prefix: 'v1,', separator: ' ', encoding: 'base64' },
 *    timestamp: { header: ['webhook-timestamp', 'svix-timestamp'] }, id: { header: ['webhook-id', 'svix-id'] } }`.
 */
export interface SigningScheme {
  /** The HMAC hash. Default `'sha256'`. */
  readonly algorithm?: HmacAlgorithm;
  /** How the secret string becomes the key. Default `'utf8'`. */
  readonly secretEncoding?: SecretEncoding;
  /**
   * What the MAC covers: `{body}` (the raw bytes, exactly once), optionally `{timestamp}`
   * and `{id}` (the header values exactly as received), and any literal text:
   * `'{body}'`, `'{timestamp}.{body}'`, `'v0:{timestamp}:{body}'`, `'{id}.{timestamp}.{body}'`.
   */
  readonly signedContent: string;
  readonly signature: SignatureSyntax;
  /** Required when `signedContent` holds `{timestamp}`, and only then. */
  readonly timestamp?: TimestampSource;
  /** The signed message id; required when `signedContent` holds `{id}`, and only then. */
  readonly id?: { readonly header: HeaderNames };
}

/**
 * A profile's `signedContent`: `'body'`, `'timestamp.body'` (`<timestamp>.<raw body>`), or a
 * template holding `{body}` (see `SigningScheme.signedContent`).
 */
export type SignedContent = 'body' | 'timestamp.body' | `${string}{body}${string}`;

/** What a profile must hold for `schemeOf()`: its `scheme`, or the original signing fields. */
export interface SchemeFields {
  readonly id: string;
  readonly scheme?: SigningScheme | undefined;
  readonly signatureHeader: string;
  readonly signatureEncoding: SignatureEncoding;
  readonly signaturePrefix: string;
  readonly signedContent: string;
  readonly timestampHeader: string | undefined;
  readonly timestampFormat: TimestampFormat | undefined;
  readonly secretKey?: 'utf8-string' | 'base64' | 'whsec-base64';
}

/** A value a signed-content template can take from the delivery. */
export type TemplateField = 'id' | 'timestamp' | 'body';
/** A template as parts: a field, or literal text. */
export type TemplatePart = { readonly field: TemplateField } | { readonly text: string };

/** A scheme with every default filled in, header names lower-cased and the template parsed: what the hot path reads. */
export interface CompiledScheme {
  readonly algorithm: HmacAlgorithm;
  /** Bytes of one MAC: 20 (SHA-1), 32 (SHA-256), 64 (SHA-512). */
  readonly macBytes: number;
  readonly secretEncoding: SecretEncoding;
  /** The template as written, e.g. `{timestamp}.{body}`. */
  readonly signedContent: string;
  readonly template: readonly TemplatePart[];
  /** Signature header names as spelled (the first is written), and lower-cased for lookups. */
  readonly signatureNames: readonly string[];
  readonly signatureKeys: readonly string[];
  readonly prefix: string;
  readonly separator: ',' | ';' | ' ';
  readonly encoding: SignatureEncoding;
  /**
   * The original vendors' reading, kept for profiles without a `scheme`: bare, `sha256=`
   * or `v1=` (any case, `:` too) signatures separated by commas or white space.
   */
  readonly lenient: boolean;
  readonly timestamp:
    | {
        readonly names: readonly string[];
        readonly keys: readonly string[];
        readonly key: undefined;
        readonly format: TimestampFormat;
      }
    | {
        readonly names: readonly [];
        readonly keys: readonly [];
        readonly key: string;
        readonly format: TimestampFormat;
      }
    | undefined;
  readonly id: { readonly names: readonly string[]; readonly keys: readonly string[] } | undefined;
}

export const MAC_LENGTHS: Readonly<Record<HmacAlgorithm, number>> = { sha256: 32, sha1: 20, sha512: 64 };
const LENIENT_PREFIXES = new Set(['', 'sha256=', 'v1=']);
const FIELD = /\{([^{}]*)\}/g;

const names = (h: HeaderNames): readonly string[] => (typeof h === 'string' ? [h] : h);

function checkNames(where: string, value: unknown): readonly string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? (value as unknown[]) : [];
  if (list.length === 0 || !list.every((n) => typeof n === 'string' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(n))) {
    throw setupError(
      `${where} must be a header name or a non-empty list of header names, e.g. 'webhook-signature' or ['webhook-signature', 'svix-signature'].`,
    );
  }
  return list as string[];
}

/** Parses a signed-content template; a setup error names what is wrong with it. */
export function parseTemplate(template: string, where = 'signedContent'): TemplatePart[] {
  if (typeof template !== 'string')
    throw setupError(`${where} must be a template string such as '{timestamp}.{body}'.`);
  const parts: TemplatePart[] = [];
  let last = 0;
  let bodies = 0;
  for (const m of template.matchAll(FIELD)) {
    const name = m[1]!;
    if (name !== 'id' && name !== 'timestamp' && name !== 'body') {
      throw setupError(
        `${where} ${JSON.stringify(template)}: unknown field {${name}}; use {body}, {timestamp} and {id}.`,
      );
    }
    if (m.index > last) parts.push({ text: template.slice(last, m.index) });
    parts.push({ field: name });
    if (name === 'body') bodies++;
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  if (bodies !== 1)
    throw setupError(
      `${where} ${JSON.stringify(template)} must hold {body} exactly once: the raw body is what is signed.`,
    );
  return parts;
}

function legacyTemplate(signedContent: string): string {
  if (signedContent === 'body') return '{body}';
  if (signedContent === 'timestamp.body') return '{timestamp}.{body}';
  return signedContent;
}

/** Checks a scheme and fills in its defaults; throws a setup `TypeError` naming the fix. */
export function compileScheme(scheme: SigningScheme, where = 'scheme'): CompiledScheme {
  if (typeof scheme !== 'object' || scheme === null)
    throw setupError(`${where} must be an object: { signedContent, signature, ... }.`);
  const algorithm = scheme.algorithm ?? 'sha256';
  if (!Object.prototype.hasOwnProperty.call(MAC_LENGTHS, algorithm)) {
    throw setupError(
      `${where}.algorithm ${JSON.stringify(algorithm)} is not supported: use 'sha256', 'sha1' or 'sha512'.`,
    );
  }
  const secretEncoding = scheme.secretEncoding ?? 'utf8';
  if (secretEncoding !== 'utf8' && secretEncoding !== 'base64' && secretEncoding !== 'whsec-base64') {
    throw setupError(`${where}.secretEncoding must be 'utf8', 'base64' or 'whsec-base64'.`);
  }
  const template = parseTemplate(scheme.signedContent, `${where}.signedContent`);
  const uses = (f: TemplateField) => template.some((p) => 'field' in p && p.field === f);
  const sig = scheme.signature;
  if (typeof sig !== 'object' || sig === null)
    throw setupError(`${where}.signature must be an object: { header, prefix?, separator?, encoding? }.`);
  const signatureNames = checkNames(`${where}.signature.header`, sig.header);
  const prefix = sig.prefix ?? '';
  const separator = sig.separator ?? ',';
  if (typeof prefix !== 'string' || /\s/.test(prefix))
    throw setupError(`${where}.signature.prefix must be a string without white space, e.g. 'v1=' or 'v1,'.`);
  if (separator !== ',' && separator !== ';' && separator !== ' ')
    throw setupError(`${where}.signature.separator must be ',', ';' or ' '.`);
  if (prefix.includes(separator)) {
    throw setupError(
      `${where}.signature: the prefix ${JSON.stringify(prefix)} holds the separator ${JSON.stringify(separator)}; entries could not be told apart (Standard Webhooks: prefix 'v1,', separator ' ').`,
    );
  }
  const encoding = sig.encoding ?? 'hex';
  if (encoding !== 'hex' && encoding !== 'base64' && encoding !== 'base64url')
    throw setupError(`${where}.signature.encoding must be 'hex', 'base64' or 'base64url'.`);

  let timestamp: CompiledScheme['timestamp'];
  const ts = scheme.timestamp;
  if (uses('timestamp') !== (ts !== undefined)) {
    throw setupError(
      ts === undefined
        ? `${where}: signedContent holds {timestamp}, so \`timestamp\` must say where it comes from: { header: '...' } or { key: 't' } (inside the signature header).`
        : `${where}: \`timestamp\` is set but signedContent has no {timestamp}; an unsigned timestamp cannot stop a replay. Add {timestamp} to signedContent or remove \`timestamp\`.`,
    );
  }
  if (ts !== undefined) {
    const format = ts.format ?? 'unix-s';
    if (format !== 'unix-s' && format !== 'unix-ms' && format !== 'iso')
      throw setupError(`${where}.timestamp.format must be 'unix-s', 'unix-ms' or 'iso'.`);
    if ('key' in ts && ts.key !== undefined) {
      if (typeof ts.key !== 'string' || !/^[A-Za-z0-9_-]+$/.test(ts.key))
        throw setupError(
          `${where}.timestamp.key must be the name before '=' in the signature header, e.g. 't' (Stripe) or 'ts' (Paddle).`,
        );
      if (prefix === '' || prefix === `${ts.key}=`)
        throw setupError(
          `${where}: a timestamp inside the signature header needs a signature prefix other than '${ts.key}=' (e.g. 'v1=').`,
        );
      timestamp = { names: [], keys: [], key: ts.key, format };
    } else {
      const tsNames = checkNames(`${where}.timestamp.header`, (ts as { header?: unknown }).header);
      timestamp = { names: tsNames, keys: tsNames.map((n) => n.toLowerCase()), key: undefined, format };
    }
  }
  let id: CompiledScheme['id'];
  if (uses('id') !== (scheme.id !== undefined)) {
    throw setupError(
      scheme.id === undefined
        ? `${where}: signedContent holds {id}, so \`id: { header }\` must name the header carrying it.`
        : `${where}: \`id\` is set but signedContent has no {id}; only a signed id can be trusted.`,
    );
  }
  if (scheme.id !== undefined) {
    const idNames = checkNames(`${where}.id.header`, scheme.id.header);
    id = { names: idNames, keys: idNames.map((n) => n.toLowerCase()) };
  }
  return Object.freeze({
    algorithm,
    macBytes: MAC_LENGTHS[algorithm],
    secretEncoding,
    signedContent: scheme.signedContent,
    template,
    signatureNames,
    signatureKeys: signatureNames.map((n) => n.toLowerCase()),
    prefix,
    separator,
    encoding,
    lenient: false,
    timestamp,
    id,
  });
}

const compiled = new WeakMap<object, CompiledScheme>();

/**
 * The scheme of a profile, every default filled in: its `scheme`, or one derived from the
 * original signing fields. Compiled once per profile object. Throws a setup `TypeError`
 * for an invalid scheme. (The public `schemeOf` in scheme-of.ts also takes a vendor id.)
 */
export function schemeOf(profile: SchemeFields): CompiledScheme {
  let out = compiled.get(profile);
  if (out === undefined) {
    out =
      profile.scheme !== undefined
        ? compileScheme(profile.scheme, `vendor ${JSON.stringify(profile.id)}: scheme`)
        : fromFields(profile);
    compiled.set(profile, out);
  }
  return out;
}

function fromFields(profile: SchemeFields): CompiledScheme {
  const signedContent = legacyTemplate(profile.signedContent);
  const withTimestamp = signedContent.includes('{timestamp}') && profile.timestampHeader !== undefined;
  const base = compileScheme(
    {
      signedContent: withTimestamp || !signedContent.includes('{timestamp}') ? signedContent : '{body}',
      secretEncoding:
        profile.secretKey === undefined || profile.secretKey === 'utf8-string' ? 'utf8' : profile.secretKey,
      signature: {
        header: profile.signatureHeader,
        prefix: profile.signaturePrefix,
        encoding: profile.signatureEncoding,
      },
      ...(withTimestamp
        ? { timestamp: { header: profile.timestampHeader!, format: profile.timestampFormat ?? 'unix-s' } }
        : {}),
    },
    `vendor ${JSON.stringify(profile.id)}`,
  );
  // The original vendors' signatures come bare or with `sha256=`/`v1=` (their pages leave the
  // encoding open, see encoding.ts); a profile with another prefix is read strictly, so what
  // `sign()` writes for it is what `verify()` reads.
  // Only the two original shapes are read leniently; a template is new, so it is read strictly.
  const original = profile.signedContent === 'body' || profile.signedContent === 'timestamp.body';
  return Object.freeze({ ...base, lenient: original && LENIENT_PREFIXES.has(profile.signaturePrefix) });
}

/**
 * The original signing fields of a profile, derived from a scheme: what `defineVendor`,
 * the recipes and the built-in Standard Webhooks profile fill in, so code that shows a
 * profile (messages, the CLI, the docs) keeps one spelling.
 */
export function fieldsFromScheme(scheme: SigningScheme): {
  signatureHeader: string;
  signatureEncoding: SignatureEncoding;
  signaturePrefix: string;
  signedContent: SignedContent;
  timestampHeader: string | undefined;
  timestampFormat: TimestampFormat | undefined;
  secretKey: 'utf8-string' | 'base64' | 'whsec-base64';
} {
  const c = compileScheme(scheme);
  return {
    signatureHeader: c.signatureNames[0]!,
    signatureEncoding: c.encoding,
    signaturePrefix: c.prefix,
    signedContent: c.signedContent as SignedContent,
    timestampHeader: c.timestamp?.names[0],
    timestampFormat: c.timestamp?.format,
    secretKey: c.secretEncoding === 'utf8' ? 'utf8-string' : c.secretEncoding,
  };
}

/** The header names a profile's scheme reads, as spelled: signature, timestamp and id (for display and canonical casing). */
export function schemeHeaderNames(scheme: CompiledScheme): readonly string[] {
  return [...scheme.signatureNames, ...(scheme.timestamp?.names ?? []), ...(scheme.id?.names ?? [])];
}

/** Readable description of what is signed, e.g. `<id>.<timestamp>.<raw body>`. */
export function describeSignedContent(scheme: CompiledScheme): string {
  return scheme.template
    .map((p) => ('text' in p ? p.text : p.field === 'body' ? '<raw body>' : `<${p.field}>`))
    .join('');
}

// --- Secrets ----------------------------------------------------------------------------

const decodedSecrets = new Map<string, Uint8Array>();
const SECRET_CACHE_LIMIT = 32;

/**
 * The HMAC key for one configured secret, or `undefined` if the secret does not decode
 * (a setup error for the caller to report). Decoded keys are cached per secret string so
 * the crypto port's key cache (by identity) hits on every delivery.
 */
export function secretKey(secret: string | Uint8Array, encoding: SecretEncoding): HmacKey | undefined {
  if (typeof secret !== 'string') return secret.byteLength > 0 ? secret : undefined;
  if (encoding === 'utf8') return secret;
  const id = `${encoding}:${secret}`;
  let key = decodedSecrets.get(id);
  if (key === undefined) {
    const text = encoding === 'whsec-base64' && secret.startsWith('whsec_') ? secret.slice(6) : secret;
    const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? base64ToBytes(text) : undefined;
    if (bytes === undefined || bytes.length === 0) return undefined;
    if (decodedSecrets.size >= SECRET_CACHE_LIMIT) decodedSecrets.clear();
    decodedSecrets.set(id, (key = bytes));
  }
  return key;
}

/** The setup message for a secret that does not decode under the scheme's encoding. */
export function secretEncodingHint(encoding: SecretEncoding): string {
  return encoding === 'whsec-base64'
    ? "this vendor's secrets are 'whsec_' followed by base64 (Standard Webhooks); copy the whole secret from the vendor"
    : "this vendor's secrets are base64; copy the whole secret from the vendor";
}

// --- Signed content -------------------------------------------------------------------

/** The values a template's fields take besides the body: header values exactly as received (or as `sign()` writes them). */
export interface SignedValues {
  readonly id?: string | undefined;
  readonly timestamp?: string | undefined;
}

/** The signed content as parts for the HMAC: literal text and field values joined into strings, the body as given. */
export function signedParts(
  scheme: CompiledScheme,
  body: string | Uint8Array,
  values: SignedValues,
): (string | Uint8Array)[] {
  const out: (string | Uint8Array)[] = [];
  let pending = '';
  for (const part of scheme.template) {
    if ('text' in part) pending += part.text;
    else if (part.field === 'body') {
      if (pending !== '') out.push(pending);
      pending = '';
      out.push(body);
    } else pending += (part.field === 'id' ? values.id : values.timestamp) ?? '';
  }
  if (pending !== '') out.push(pending);
  return out;
}

// --- Reading a delivery's signature headers ---------------------------------------------

/** The first of `keys` present in `headers` (alternate names, e.g. `svix-*` beside `webhook-*`), with its values. */
export function firstHeaderValues(
  headers: HeadersLike | null | undefined,
  keys: readonly string[],
): { key: string; values: string[] } | undefined {
  for (const key of keys) {
    const values = headerValues(headers, key);
    if (values.length > 0) return { key, values };
  }
  return undefined;
}

/** One value of the first of `keys` present: `undefined` if none is, `CONFLICT` if it is sent twice with different values. */
export function firstSingleHeader(
  headers: HeadersLike | null | undefined,
  keys: readonly string[],
): string | undefined | typeof CONFLICT {
  for (const key of keys) {
    const v = singleHeader(headers, key);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Header values beyond these bounds are refused before any decoding work (as in encoding.ts). */
const MAX_HEADER_CHARS = 4096;
const MAX_ENTRIES = 16;

export type ParsedSignatureHeader =
  | { readonly ok: true; readonly macs: Uint8Array[]; readonly timestamp: string | undefined | typeof CONFLICT }
  | {
      readonly ok: false;
      readonly reason: 'empty' | 'too_long' | 'undecodable' | 'wrong_length' | 'no_known_label';
      readonly timestamp: string | undefined | typeof CONFLICT;
    };

/** A MAC spelled in hex or base64 (standard or url-safe, padded or not), if it decodes to exactly `length` bytes. */
export function decodeMac(token: string, length: number): Uint8Array | 'wrong_length' | undefined {
  return macFromToken(token, length);
}

/**
 * Reads a strict (labelled) signature header: entries split on the scheme's separator and
 * white space; an entry `<key>=<v>` for the timestamp key is the timestamp; an entry with the
 * scheme's prefix is a signature candidate; any other entry (an unknown label such as
 * `v1a,` or `v2,`, or Stripe's `v0=`) is skipped, never tried as an HMAC.
 */
export function parseSignatureHeader(scheme: CompiledScheme, values: readonly string[]): ParsedSignatureHeader {
  const macs: Uint8Array[] = [];
  const tsKey = scheme.timestamp?.key === undefined ? undefined : `${scheme.timestamp.key}=`;
  let timestamp: string | undefined | typeof CONFLICT;
  let entries = 0;
  let candidates = 0;
  let wrongLength = false;
  for (const value of values) {
    if (value.length > MAX_HEADER_CHARS) return { ok: false, reason: 'too_long', timestamp };
    const sep = scheme.separator;
    let start = 0;
    const n = value.length;
    while (start <= n) {
      let end = start;
      while (end < n && value[end] !== sep && !isSpace(value.charCodeAt(end))) end++;
      if (end > start) {
        if (++entries > MAX_ENTRIES) return { ok: false, reason: 'too_long', timestamp };
        const entry = value.slice(start, end);
        if (tsKey !== undefined && entry.startsWith(tsKey)) {
          const t = entry.slice(tsKey.length);
          timestamp = timestamp === undefined || timestamp === t ? t : CONFLICT;
        } else if (entry.startsWith(scheme.prefix)) {
          candidates++;
          const mac = decodeMac(entry.slice(scheme.prefix.length), scheme.macBytes);
          if (mac === 'wrong_length') wrongLength = true;
          else if (mac !== undefined) macs.push(mac);
        }
      }
      start = end + 1;
    }
  }
  if (macs.length > 0) return { ok: true, macs, timestamp };
  if (entries === 0) return { ok: false, reason: 'empty', timestamp };
  if (candidates === 0) return { ok: false, reason: 'no_known_label', timestamp };
  return { ok: false, reason: wrongLength ? 'wrong_length' : 'undecodable', timestamp };
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

// --- Writing -------------------------------------------------------------------------

/** The signature header value `sign()` writes for one MAC (and, where the scheme keeps it there, the timestamp). */
export function formatSignatureHeader(
  scheme: CompiledScheme,
  mac: Uint8Array,
  timestamp: string | undefined,
  encoding: SignatureEncoding = scheme.encoding,
): string {
  const signature = scheme.prefix + encodeMac(mac, encoding);
  if (scheme.timestamp?.key !== undefined && timestamp !== undefined)
    return `${scheme.timestamp.key}=${timestamp}${scheme.separator}${signature}`;
  return signature;
}
