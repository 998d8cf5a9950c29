import { cryptoPort } from './crypto-node.js';
import { base64ToBytes, decodeSignatures, MAC_BYTES } from './encoding.js';
import type { WebhookErrorCode } from './errors.js';
import { headerValues, singleHeader, type HeadersLike } from './headers.js';
import { resolveVendor } from './resolve.js';
import type { VendorRef } from './types.js';
import { vendors, vendorIds } from './vendors/index.js';
import { verify, type VerifyInput } from './verify.js';
import { detectVendor } from './detect.js';
import { knownSchemes } from './known-schemes.js';
import {
  describeSignedContent,
  firstHeaderValues,
  firstSingleHeader,
  parseSignatureHeader,
  schemeOf,
  secretKey,
  type CompiledScheme,
} from './scheme.js';

/** The mistakes `diagnose()` recognises, from a consumed body to a wrong secret. */
export type DiagnosisCause =
  | 'body_not_raw'
  | 'wrong_vendor'
  | 'missing_signature'
  | 'signature_encoding'
  | 'body_reserialized'
  | 'trailing_newline'
  | 'byte_order_mark'
  | 'secret_prefix'
  | 'secret_encoding'
  | 'timestamp_not_signed'
  | 'clock_skew'
  | 'wrong_secret'
  | 'other_scheme'
  | 'not_json'
  | 'payload_too_large'
  | 'missing_timestamp'
  | 'malformed_timestamp';

/** What `diagnose()` resolves: the verdict, the most likely cause and a one-sentence fix. */
export interface Diagnosis {
  readonly ok: boolean;
  /** The code `verify` returned. */
  readonly code: WebhookErrorCode | undefined;
  /** The most likely cause, if one was found. */
  readonly cause: DiagnosisCause | undefined;
  /** One sentence for a developer: what went wrong and how to fix it. Never contains secrets or MACs. */
  readonly summary: string;
  /** Every cause that fits, most likely first. */
  readonly findings: readonly { readonly cause: DiagnosisCause; readonly message: string }[];
}

type Finding = { cause: DiagnosisCause; message: string };

const encoder = new TextEncoder();
// One for the module: constructing a TextDecoder costs more than decoding a secret.
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Bodies up to this size are also parsed and re-serialised the ways common senders write
 * JSON. Parsing and serialising cost several times an HMAC over the same bytes, so on a
 * larger body that search alone would cost many `verify` calls; `diagnose()` runs on
 * deliveries that failed, which a hostile peer controls (bench/README.md#diagnose-against-verify).
 * Real webhook bodies are a few KB (every vendor example is under 1 KB).
 */
const DIAGNOSE_REFORMAT_MAX_BYTES = 8 * 1024;

function asBytes(body: unknown): Uint8Array | undefined {
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return undefined;
}

const asciiEscape = (json: string): string =>
  json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const COMMA = 0x2c;
const COLON = 0x3a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True if the character at `i` is escaped by an odd run of backslashes before it. */
function escapedAt(text: string, i: number): boolean {
  let n = 0;
  while (text.charCodeAt(i - 1 - n) === BACKSLASH) n++;
  return n % 2 === 1;
}

/**
 * Python's `json.dumps` layout (", " and ": " separators) of a compact JSON text: a space
 * after every separator outside strings. Strings are skipped with `indexOf` rather than
 * read character by character (each backslash run is looked at once: linear).
 */
function pythonSpacing(compact: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < compact.length; i++) {
    const c = compact.charCodeAt(i);
    if (c === QUOTE) {
      let end = i;
      do end = compact.indexOf('"', end + 1);
      while (end > 0 && escapedAt(compact, end));
      if (end < 0) break;
      i = end;
    } else if (c === COMMA || c === COLON) {
      out += `${compact.slice(from, i + 1)} `;
      from = i + 1;
    }
  }
  return out + compact.slice(from);
}

/**
 * The texts a sender may have signed for the same JSON value. A body re-serialised by
 * the receiver (`JSON.stringify(req.body)`) matches one of them if the sender wrote
 * JSON the way JavaScript (compact or indented by 2), Python's `json.dumps` (", " and
 * ": " separators, non-ASCII escaped or not, or compact with non-ASCII escaped) or PHP's
 * `json_encode` (escaped "/" and non-ASCII) do. Variants that cannot differ from another
 * (no non-ASCII, no "/") are not built.
 */
function senderSerialisations(value: unknown): string[] {
  const compact = JSON.stringify(value);
  const nonAscii = /[^\x00-\x7f]/.test(compact);
  const slash = compact.includes('/');
  if (!nonAscii) {
    const out = [compact, JSON.stringify(value, null, 2), pythonSpacing(compact)];
    if (slash) out.push(compact.replace(/\//g, '\\/'));
    return out;
  }
  const python = pythonSpacing(compact);
  const escaped = asciiEscape(compact);
  const out = [compact, JSON.stringify(value, null, 2), asciiEscape(python), python, escaped];
  // PHP escapes "/" and non-ASCII by default; code that keeps Unicode raw
  // (JSON_UNESCAPED_UNICODE) nearly always keeps "/" raw too, which is the compact text.
  if (slash) out.push(escaped.replace(/\//g, '\\/'));
  return out;
}

const NEWLINE = 0x0a;
const CR = 0x0d;

/** `input.body` with a trailing LF or CRLF removed, if it ends with one. */
function withoutTrailingNewline(bytes: Uint8Array): Uint8Array | undefined {
  const n = bytes.byteLength;
  if (n === 0 || bytes[n - 1] !== NEWLINE) return undefined;
  return bytes.subarray(0, n >= 2 && bytes[n - 2] === CR ? n - 2 : n - 1);
}

const startsWithBom = (bytes: Uint8Array): boolean =>
  bytes.byteLength >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;

/** One guess at what the sender signed: the signed content, and with which key. */
interface Guess {
  readonly cause: DiagnosisCause;
  readonly message: string;
  /** The parts after the timestamp prefix (if the vendor signs one and `withTimestamp`). */
  readonly parts: readonly (string | Uint8Array)[];
  readonly withTimestamp: boolean;
  /** A key other than the configured secrets (a variant of one of them). */
  readonly key?: string | Uint8Array;
}

const REFORMATTED =
  'The body was parsed and re-serialised before verification (e.g. JSON.stringify(req.body)): the signature covers the raw bytes, so verify those. See "raw body" in the docs.';

/**
 * Explains why a delivery fails verification: tries the usual mistakes (body
 * re-serialised by a parser, trailing newline, secret with or without `whsec_`,
 * base64 secrets, wrong encoding, clock skew, a parser that consumed the body) and
 * reports which one makes the signature match. Never throws on peer input.
 *
 * Safe on hostile input: a body over `maxBodyBytes` is refused before any work
 * (`payload_too_large`), as `verify` does; every guess is one HMAC over at most the body
 * and a few bytes, so a failed delivery costs a bounded multiple of `verify` (the JSON
 * re-serialisation guesses are tried on bodies up to 8 KiB only).
 */
export async function diagnose<V extends VendorRef>(input: VerifyInput<V>): Promise<Diagnosis> {
  const result = await verify(input);
  if (result.ok) {
    return { ok: true, code: undefined, cause: undefined, summary: 'The signature is valid.', findings: [] };
  }
  const { error } = result;
  const code = error.code;
  const findings: Finding[] = [];
  const done = (): Diagnosis => ({
    ok: false,
    code,
    cause: findings[0]?.cause,
    summary: findings[0]?.message ?? `${error.message}${error.hint === undefined ? '' : ` ${error.hint}`}`,
    findings,
  });
  const profile = resolveVendor(input.vendor);
  const bytes = code === 'payload_too_large' ? undefined : asBytes(input.body);

  if (code === 'payload_too_large') {
    // Checked by verify before any crypto; nothing more is read, decoded or hashed.
    findings.push({
      cause: 'payload_too_large',
      message: `${error.message} Nothing was checked: raise maxBodyBytes if ${profile.name} really sends bodies this large.`,
    });
    return done();
  }
  if (code === 'body_not_raw' || bytes === undefined) {
    findings.push({
      cause: 'body_not_raw',
      message:
        'A body parser consumed the body before verification: pass the raw bytes (see the raw-body section of the docs).',
    });
    return done();
  }
  // A delivery that verifies under another known scheme (a built-in vendor or a recipe) is
  // that vendor's, whatever else looks wrong: say so instead of blaming the secret.
  if (
    code === 'missing_signature' ||
    code === 'malformed_signature' ||
    code === 'signature_mismatch' ||
    code === 'missing_timestamp' ||
    code === 'malformed_timestamp'
  ) {
    const other = await otherScheme(input, profile.id, profile.name);
    if (other !== undefined) {
      findings.push(other);
      return done();
    }
  }
  if (code === 'missing_signature') {
    const other = detectVendor(input.headers);
    if (other !== undefined && other !== profile.id) {
      findings.push({
        cause: 'wrong_vendor',
        message: `The request carries ${vendors[other].name}'s signature header (${vendors[other].signatureHeader}), not ${profile.name}'s: check the vendor option for this route.`,
      });
    } else {
      findings.push({
        cause: 'missing_signature',
        message: `No ${profile.signatureHeader} header: a proxy may strip it, or the webhook has no secret configured at ${profile.name}.`,
      });
    }
    return done();
  }
  if (code === 'timestamp_out_of_tolerance') {
    findings.push({
      cause: 'clock_skew',
      message: `${error.message} Either a replay, or this server's clock is off: check NTP, or widen toleranceSec.`,
    });
    return done();
  }
  if (code === 'invalid_json' || code === 'invalid_payload') {
    findings.push({
      cause: 'not_json',
      message: `The signature is valid, but ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`,
    });
    return done();
  }
  const scheme = schemeOf(profile);
  if (code === 'missing_timestamp' || code === 'malformed_timestamp') {
    const header = profile.timestampHeader ?? 'timestamp';
    findings.push(
      code === 'missing_timestamp'
        ? {
            cause: 'missing_timestamp',
            message: `No ${header} header: ${profile.name} signs "${describeSignedContent(scheme).replace('<raw body>', '<body>')}", so the signature cannot be checked without it. A proxy may strip it, or the sender does not send it.`,
          }
        : {
            cause: 'malformed_timestamp',
            message: `The ${header} header is not one unix or ISO-8601 time (missing digits, or repeated with different values): pass it unchanged.`,
          },
    );
  } else if (code !== 'malformed_signature' && code !== 'signature_mismatch') {
    // Failures before the signature check (requiredHeaders, ...) or after it (a schema that threw):
    // verify's own message and hint say it all, and no signature guess applies.
    return done();
  }

  if (!scheme.lenient) return diagnoseScheme(input, profile.name, scheme, bytes, findings, done);
  const values = headerValues(input.headers, profile.signatureHeader);
  const decoded = decodeSignatures(values);
  if (!decoded.ok) {
    if (findings.length > 0) return done();
    const tokens = values.flatMap((v) => v.split(/[\s,]+/)).filter((t) => t !== '');
    const lengths = tokens.map(
      (t) =>
        base64ToBytes(t.replace(/^(?:sha256|v1)[=:]/i, ''))?.length ?? (/^[0-9a-f]+$/i.test(t) ? t.length / 2 : -1),
    );
    if (tokens.some((t) => /^[0-9a-f]{40}$/i.test(t.replace(/^sha1=/i, '')))) {
      findings.push({
        cause: 'signature_encoding',
        message: 'The signature is 20 bytes: that is SHA-1, but this vendor signs with HMAC-SHA256.',
      });
    } else if (
      tokens.some(
        (t) => (base64ToBytes(t)?.length ?? 0) === 64 && /^[0-9a-f]{64}$/i.test(decoder.decode(base64ToBytes(t))),
      )
    ) {
      findings.push({
        cause: 'signature_encoding',
        message: 'The signature is base64 of a hex string (encoded twice): decode one layer before sending.',
      });
    } else {
      findings.push({
        cause: 'signature_encoding',
        message: `The signature header does not decode to a 32-byte MAC (decoded lengths: ${lengths.join(', ')}); pass the header value unchanged.`,
      });
    }
    return done();
  }

  const secrets = (typeof input.secret === 'string' ? [input.secret] : [...(input.secret ?? [])]).filter(
    (s): s is string => typeof s === 'string',
  );
  const timestampSigned = profile.signedContent === 'timestamp.body';
  const tsValue =
    profile.timestampHeader === undefined ? undefined : singleHeader(input.headers, profile.timestampHeader);
  const prefix = timestampSigned && typeof tsValue === 'string' ? `${tsValue}.` : undefined;
  const macs = decoded.macs.filter((m) => m.length === MAC_BYTES);
  const matches = async (key: string | Uint8Array, guess: Guess): Promise<boolean> => {
    const parts = guess.withTimestamp && prefix !== undefined ? [prefix, ...guess.parts] : guess.parts;
    const mac = await cryptoPort.hmac('sha256', key, parts);
    return anyEqual(macs, mac);
  };

  if (findings.length > 0) {
    // No usable timestamp: the one guess left is a sender that signs the body alone.
    if (timestampSigned) {
      const guess: Guess = {
        cause: 'timestamp_not_signed',
        message: `The signature covers the body alone, but ${profile.name} signs "<timestamp>.<body>".`,
        parts: [bytes],
        withTimestamp: false,
      };
      for (const secret of secrets)
        if (await matches(secret, guess)) findings.push({ cause: guess.cause, message: guess.message });
    }
    return done();
  }

  // Every guess below is one HMAC over at most the body plus a few bytes, per secret.
  const guesses: Guess[] = [];
  const trimmed = withoutTrailingNewline(bytes);
  if (trimmed !== undefined)
    guesses.push({
      cause: 'trailing_newline',
      message:
        'The body gained a trailing newline after signing (a logger, proxy or test fixture added it): verify the bytes exactly as received.',
      parts: [trimmed],
      withTimestamp: true,
    });
  guesses.push({
    cause: 'trailing_newline',
    message:
      'The body lost its trailing newline before verification (trimmed by a parser or proxy): verify the bytes exactly as received.',
    parts: [bytes, '\n'],
    withTimestamp: true,
  });
  if (startsWithBom(bytes))
    guesses.push({
      cause: 'byte_order_mark',
      message: 'A byte-order mark was added before the body: verify the bytes exactly as received.',
      parts: [bytes.subarray(3)],
      withTimestamp: true,
    });
  if (timestampSigned)
    guesses.push({
      cause: 'timestamp_not_signed',
      message: `The signature covers the body alone, but ${profile.name} signs "<timestamp>.<body>".`,
      parts: [bytes],
      withTimestamp: false,
    });
  if (bytes.byteLength <= DIAGNOSE_REFORMAT_MAX_BYTES && cryptoPort.isUtf8(bytes)) {
    const text = cryptoPort.utf8Decode(bytes);
    try {
      const value: unknown = JSON.parse(text);
      const variants = senderSerialisations(value);
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[i]!;
        // A handful of strings: comparing them is cheaper than hashing them into a Set.
        if (variant === text || variants.indexOf(variant) !== i) continue;
        guesses.push({ cause: 'body_reserialized', message: REFORMATTED, parts: [variant], withTimestamp: true });
      }
    } catch {
      // Not JSON (or nested too deep to re-serialise): only the byte-level guesses apply.
    }
  }
  const keyGuesses: Guess[] = [];
  for (const s of secrets) {
    if (s.startsWith('whsec_'))
      keyGuesses.push({
        cause: 'secret_prefix',
        message: 'The sender signs with the secret without its whsec_ prefix: configure the same form on both sides.',
        key: s.slice(6),
        parts: [bytes],
        withTimestamp: true,
      });
    else
      keyGuesses.push({
        cause: 'secret_prefix',
        message: 'The sender signs with the whole secret including the whsec_ prefix: configure the whole string.',
        key: `whsec_${s}`,
        parts: [bytes],
        withTimestamp: true,
      });
    const b64 = base64ToBytes(s.replace(/^whsec_/, ''));
    if (b64 !== undefined && b64.length > 0) {
      const raw = decoder.decode(b64);
      if (encoder.encode(raw).length === b64.length)
        keyGuesses.push({
          cause: 'secret_encoding',
          message: 'The sender uses the base64-decoded secret as the key: this vendor uses the secret string as given.',
          key: raw,
          parts: [bytes],
          withTimestamp: true,
        });
    }
  }

  for (const secret of secrets) {
    for (const guess of guesses)
      if (await matches(secret, guess)) findings.push({ cause: guess.cause, message: guess.message });
  }
  for (const guess of keyGuesses) {
    if (await matches(guess.key!, guess)) findings.push({ cause: guess.cause, message: guess.message });
  }
  if (findings.length === 0) {
    const other = vendorIds.find(
      (id) => id !== profile.id && singleHeader(input.headers, vendors[id].signatureHeader) !== undefined,
    );
    if (other !== undefined) {
      findings.push({
        cause: 'wrong_vendor',
        message: `The request also carries ${vendors[other].name}'s signature header: is the route configured for the right vendor?`,
      });
    }
    const unchecked =
      bytes.byteLength > DIAGNOSE_REFORMAT_MAX_BYTES
        ? ` (A body over ${DIAGNOSE_REFORMAT_MAX_BYTES} bytes is not re-serialised: if a parser ran before verification, that may be the cause.)`
        : '';
    findings.push({
      cause: 'wrong_secret',
      message: `No common mistake explains the mismatch: the secret is most likely wrong (copy it again from the vendor dashboard; during rotation pass both).${unchecked}`,
    });
  }
  return done();
}

/** Whether a candidate equals the MAC: the one comparison site of diagnose, in constant time. */
function anyEqual(candidates: readonly Uint8Array[], mac: Uint8Array): boolean {
  return candidates.some((m) => cryptoPort.equal(m, mac));
}

/** Error codes `verify` returns only after the signature matched. */
const SIGNATURE_MATCHED = new Set<WebhookErrorCode>(['timestamp_out_of_tolerance', 'invalid_json', 'invalid_payload']);

/**
 * The first known scheme (built-in vendor or recipe) other than the configured vendor's
 * whose signature header is present and whose signature matches with the configured
 * secret(s): one `verify` per such scheme, so bounded like `verify` itself.
 */
async function otherScheme(
  input: VerifyInput<VendorRef>,
  ownId: string,
  ownName: string,
): Promise<Finding | undefined> {
  for (const known of knownSchemes()) {
    if (known.id === ownId) continue;
    const scheme = schemeOf(known.profile);
    if (firstHeaderValues(input.headers, scheme.signatureKeys) === undefined) continue;
    let result;
    try {
      result = await verify({
        vendor: known.profile,
        secret: input.secret,
        body: input.body,
        headers: input.headers,
        ...(input.now === undefined ? {} : { now: input.now }),
        ...(input.maxBodyBytes === undefined ? {} : { maxBodyBytes: input.maxBodyBytes }),
      });
    } catch {
      continue; // the secret does not decode under that scheme: not this one
    }
    if (result.ok || SIGNATURE_MATCHED.has(result.error.code)) {
      // Another built-in vendor: the route is configured for the wrong one.
      if (known.builtIn) {
        return {
          cause: 'wrong_vendor',
          message: `The request carries ${known.name}'s signature header (${scheme.signatureNames[0]}), not ${ownName}'s, and it verifies with your secret: configure this route with ${known.use}.`,
        };
      }
      return {
        cause: 'other_scheme',
        message: `The delivery is signed the way ${known.name} signs (${scheme.signatureNames[0]}, HMAC-${scheme.algorithm.toUpperCase()} over "${describeSignedContent(scheme)}"), and your secret matches it: verify it with ${known.use}.`,
      };
    }
  }
  return undefined;
}

/**
 * The usual mistakes for a vendor read strictly through its scheme (Standard Webhooks, recipes,
 * profiles with a `scheme`): the same byte-level and key guesses, with the signed content
 * rebuilt from the scheme's template.
 */
async function diagnoseScheme(
  input: VerifyInput<VendorRef>,
  name: string,
  scheme: CompiledScheme,
  bytes: Uint8Array,
  findings: Finding[],
  done: () => Diagnosis,
): Promise<Diagnosis> {
  const parsed = parseSignatureHeader(scheme, firstHeaderValues(input.headers, scheme.signatureKeys)?.values ?? []);
  if (!parsed.ok) {
    if (findings.length > 0) return done();
    findings.push({
      cause: 'signature_encoding',
      message:
        parsed.reason === 'no_known_label'
          ? `The ${scheme.signatureNames[0]} header holds no "${scheme.prefix}" signature (other labels are not checked): is the sender using another signature version?`
          : `The ${scheme.signatureNames[0]} header does not hold a ${scheme.macBytes}-byte HMAC-${scheme.algorithm.toUpperCase()} after "${scheme.prefix}"; pass the header value unchanged.`,
    });
    return done();
  }
  const ts =
    scheme.timestamp === undefined
      ? undefined
      : scheme.timestamp.key === undefined
        ? firstSingleHeader(input.headers, scheme.timestamp.keys)
        : parsed.timestamp;
  const id = scheme.id === undefined ? undefined : firstSingleHeader(input.headers, scheme.id.keys);
  const tsText = typeof ts === 'string' ? ts : undefined;
  const idText = typeof id === 'string' ? id : undefined;
  const content = (body: readonly (string | Uint8Array)[]): (string | Uint8Array)[] =>
    scheme.template.flatMap((p) =>
      'text' in p ? [p.text] : p.field === 'body' ? [...body] : [(p.field === 'id' ? idText : tsText) ?? ''],
    );
  const matches = async (secret: string | Uint8Array, guess: Guess): Promise<boolean> => {
    const key = secretKey(guess.key ?? secret, scheme.secretEncoding);
    if (key === undefined) return false;
    const mac = await cryptoPort.hmac(scheme.algorithm, key, guess.withTimestamp ? content(guess.parts) : guess.parts);
    return anyEqual(parsed.macs, mac);
  };
  const secrets =
    typeof input.secret === 'string' || input.secret instanceof Uint8Array ? [input.secret] : [...(input.secret ?? [])];
  const signs = describeSignedContent(scheme);
  const guesses: Guess[] = [];
  const trimmed = withoutTrailingNewline(bytes);
  if (trimmed !== undefined)
    guesses.push({
      cause: 'trailing_newline',
      message:
        'The body gained a trailing newline after signing (a logger, proxy or test fixture added it): verify the bytes exactly as received.',
      parts: [trimmed],
      withTimestamp: true,
    });
  guesses.push({
    cause: 'trailing_newline',
    message:
      'The body lost its trailing newline before verification (trimmed by a parser or proxy): verify the bytes exactly as received.',
    parts: [bytes, '\n'],
    withTimestamp: true,
  });
  if (startsWithBom(bytes))
    guesses.push({
      cause: 'byte_order_mark',
      message: 'A byte-order mark was added before the body: verify the bytes exactly as received.',
      parts: [bytes.subarray(3)],
      withTimestamp: true,
    });
  if (scheme.signedContent !== '{body}')
    guesses.push({
      cause: 'timestamp_not_signed',
      message: `The signature covers the body alone, but ${name} signs "${signs}".`,
      parts: [bytes],
      withTimestamp: false,
    });
  if (bytes.byteLength <= DIAGNOSE_REFORMAT_MAX_BYTES && cryptoPort.isUtf8(bytes)) {
    const text = cryptoPort.utf8Decode(bytes);
    try {
      const variants = senderSerialisations(JSON.parse(text));
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[i]!;
        if (variant === text || variants.indexOf(variant) !== i) continue;
        guesses.push({ cause: 'body_reserialized', message: REFORMATTED, parts: [variant], withTimestamp: true });
      }
    } catch {
      // Not JSON: only the byte-level guesses apply.
    }
  }
  const keyGuesses: Guess[] = [];
  for (const s of secrets) {
    if (typeof s !== 'string') continue;
    // The other form of the secret: whole string vs without whsec_, or the string itself where the scheme decodes it.
    if (scheme.secretEncoding === 'utf8') {
      keyGuesses.push(
        s.startsWith('whsec_')
          ? {
              cause: 'secret_prefix',
              message:
                'The sender signs with the secret without its whsec_ prefix: configure the same form on both sides.',
              key: s.slice(6),
              parts: [bytes],
              withTimestamp: true,
            }
          : {
              cause: 'secret_prefix',
              message:
                'The sender signs with the whole secret including the whsec_ prefix: configure the whole string.',
              key: `whsec_${s}`,
              parts: [bytes],
              withTimestamp: true,
            },
      );
    } else {
      keyGuesses.push({
        cause: 'secret_encoding',
        message: `The sender keys the HMAC with the secret string as given, but ${name} decodes it (base64 after whsec_): configure the same form on both sides.`,
        key: encoder.encode(s),
        parts: [bytes],
        withTimestamp: true,
      });
    }
  }
  for (const secret of secrets) {
    for (const guess of guesses)
      if (await matches(secret, guess)) findings.push({ cause: guess.cause, message: guess.message });
  }
  for (const guess of keyGuesses) {
    if (await matches(guess.key!, guess)) findings.push({ cause: guess.cause, message: guess.message });
  }
  if (findings.length === 0) {
    findings.push({
      cause: 'wrong_secret',
      message: `No common mistake explains the mismatch: the secret is most likely wrong (copy it again from ${name}; during rotation pass both).`,
    });
  }
  return done();
}
