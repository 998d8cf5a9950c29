import { detectVendor } from './detect.js';
import { WebhookError, setupError } from './errors.js';
import { checkBodyTimeout, createDeliveryGuard, DELIVERY_OPTION_KEYS, type DeliveryOptions } from './guard.js';
import type { HeadersLike } from './headers.js';
import { RECEIVE_NOW, type Receiver, type ReceiveResult, type ReceivesNow } from './receiver.js';
import type { BodyRead, BodyStream } from './read-body.js';
import { bodyReading } from './body-clock.js';
import { resolveVendor } from './resolve.js';
import { schemeOf } from './scheme.js';
import { checkSecretCacheMs, checkSecretTimeoutMs, secretLookup, type SecretResolver } from './secret-source.js';
import type { Secrets, VendorName, VendorRef, VerifyResult, WebhookEvent } from './types.js';
import { createCheck, DEFAULT_MAX_BODY_BYTES, isPromise, promised, type Check, type VerifyOptions } from './verify.js';
import type { VendorProfile } from './vendors/profile.js';
import { vendors, vendorIds, type VendorId } from './vendors/index.js';

/**
 * The one request flow behind every framework adapter (express, fastify, koa): options
 * are checked once at mount time, then each request is `handle({ body, headers })`
 * -> the status and JSON body to send, or `next: true` to pass a verified event on.
 * Adapters only read the raw body, call this, and write the response.
 */

/** An event of any vendor in `V`: narrow on `vendor`, then on `type`. */
export type EventFor<V extends VendorRef> = V extends VendorRef ? WebhookEvent<V> : never;

/** Every event an adapter can expose when the vendor is not known statically. */
export type AnyWebhookEvent = EventFor<VendorRef>;

/** `secret` per vendor id, for apps receiving several vendors on one route. */
export type SecretMap<V extends VendorRef = VendorId> = { readonly [K in VendorName<V>]?: Secrets };

export type { SecretResolver } from './secret-source.js';

export type SecretSource<V extends VendorRef = VendorId> = Secrets | SecretMap<V> | SecretResolver<V>;

/** What `onError` may change in a failure response; anything left out keeps the default. */
export interface ErrorResponse {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type OnWebhookError<V extends VendorRef = VendorId> = (
  error: WebhookError,
  event: EventFor<V> | undefined,
) => ErrorResponse | undefined | void | Promise<ErrorResponse | undefined | void>;

/** A vendor option: a built-in id, a profile, or `'auto'` (every built-in vendor). */
export type VendorChoice = VendorRef | 'auto';

/** The vendors a `vendor` option stands for: `'auto'` is every built-in one. */
export type ResolveVendor<V extends VendorChoice> = V extends 'auto' ? VendorId : V extends VendorRef ? V : never;

export interface WebhookOptions<V extends VendorChoice = VendorId> extends Omit<VerifyOptions, 'vendor' | 'secret'>, DeliveryOptions {
  /**
   * One vendor (id or profile), several, or `'auto'`: every built-in vendor (or, with a
   * secret map, the vendors in it), told apart by which signature header is present.
   * Several vendors need a secret map when two of them sign the same content (see `secret`).
   */
  vendor: V | readonly V[];
  /**
   * The signing secret(s): a string, an array during rotation, a map per vendor id, or a
   * function `(vendorId) => secret(s)` (may be async) for secret managers.
   * Optional only with `allowUnsigned` (and refused with it).
   *
   * With several vendors, two that sign the same content (Aidelly, Audenci and Timbrix all
   * sign the raw body alone) cannot share a secret: a delivery captured from one would
   * verify as the other with its header renamed. Pass a map with a different secret per
   * vendor; a shared string or array is a setup `TypeError` then. A `secret` function is
   * asked per vendor and must likewise answer a different secret for each (not checked).
   */
  secret?: SecretSource<NoInfer<ResolveVendor<V>>>;
  /** How long a secret returned by a `secret` function is reused, in ms. Default 5 min; 0 = ask every time. */
  secretCacheMs?: number;
  /**
   * How long a `secret` function may take before the delivery is answered 503
   * `secret_unavailable` (the vendor retries), in ms. Default 5 s, well under the
   * vendors' delivery deadlines (Aidelly: 2xx within 10 s).
   */
  secretTimeoutMs?: number;
  /** Customise failure responses (status, body, headers). Return nothing to keep the default. */
  onError?: OnWebhookError<NoInfer<ResolveVendor<V>>>;
}

/** Settings of an adapter that wraps a receiver: `webhook(receiver, { onError })`. */
export interface ReceiverAdapterSettings<V extends VendorRef = VendorId> {
  onError?: OnWebhookError<V>;
}

export interface EngineResult<V extends VendorRef = VendorId> {
  /** `true`: the event is verified and the request goes on to the app (options mode). Otherwise answer with `status` and `body`. */
  readonly next: boolean;
  readonly status: number;
  /** JSON to send: `{ ok, id, type }`, or `{ error, message }` for a failure (never secrets or signatures). */
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  readonly event?: EventFor<V>;
  readonly error?: WebhookError;
}

/** What an adapter hands the engine for one delivery. `remoteAddress` is needed only with `allowIps`. */
export interface EngineRequest {
  readonly body: unknown;
  readonly headers: HeadersLike | null | undefined;
  readonly remoteAddress?: string | undefined;
}

export interface WebhookEngine<V extends VendorRef = VendorId> {
  /** `verify`: verify and pass on; `receive`: a receiver verifies, dedupes, dispatches and answers. */
  readonly mode: 'verify' | 'receive';
  /** Stop reading a body past this many bytes (answer 413). */
  readonly maxBodyBytes: number;
  /** Give up on a body still arriving after this many ms (answer 408); 0 = no limit. */
  readonly bodyTimeoutMs: number;
  /**
   * Races a body read against `bodyTimeoutMs`: rejects with a `body_timeout` WebhookError
   * (which `readError` passes through) and swallows the read's own late rejection.
   */
  readWithin<T>(read: Promise<T>): Promise<T>;
  /**
   * The callback form of `readWithin`, for adapters that read the stream themselves:
   * `onTimeout` gets a `body_timeout` WebhookError if the returned `stop` is not called
   * within `bodyTimeoutMs`. No timer per request: one shared, unref'd timer per engine.
   */
  watchBody(onTimeout: (error: WebhookError) => void): () => void;
  /**
   * Reads a Node.js request stream (raw-body's rules: 413 before reading a declared
   * oversize, stop past the limit, content-length mismatch refused, `bodyTimeoutMs`) and
   * calls `done` once, in the tick the body ends. Never throws.
   */
  readBody(stream: BodyStream, contentLength: string | undefined, done: (read: BodyRead) => void): void;
  /** Never rejects. `remoteAddress` (the socket's peer) is needed only with `allowIps`. */
  handle(request: EngineRequest): Promise<EngineResult<V>>;
  /**
   * `handle` without the promise when nothing on the way is asynchronous: the result
   * itself for a static secret checked with Node's synchronous HMAC (and, for a receiver
   * made by `createReceiver`, synchronous handlers and store), a promise otherwise. Test
   * with `instanceof Promise`. Never throws, never rejects. For adapters on a hot path: a
   * promise and a microtask per delivery are measurable under load (bench/adapters).
   */
  handleNow(request: EngineRequest): EngineResult<V> | Promise<EngineResult<V>>;
  /** The response for a failure found by the adapter itself (body too large, already parsed, unreadable). */
  fail(error: WebhookError): Promise<EngineResult<V>>;
  /** A body-read error (raw-body's, or any stream error) as a `WebhookError`. */
  readError(cause: unknown): WebhookError;
}

export interface EngineSettings<V extends VendorRef = VendorId> {
  /** Package name used in setup errors, e.g. `@hookproof/express`. */
  readonly name?: string;
  /** For receivers, which carry no `onError` of their own. */
  readonly onError?: OnWebhookError<V> | undefined;
}


// Keys this file reads itself or hands to createVerifier; anything else is likely a typo.
const KNOWN_OPTIONS = new Set([
  'vendor', 'secret', 'secretCacheMs', 'secretTimeoutMs', 'onError', 'toleranceSec', 'now', 'allowUnsigned', 'requiredHeaders', 'maxBodyBytes', 'schema',
  ...DELIVERY_OPTION_KEYS,
]);
const RECEIVER_ONLY = new Set(['dedupe', 'dedupeTtlMs', 'claimTtlMs', 'handlerTimeoutMs', 'earlyAck', 'queue']);

function isReceiver(value: unknown): value is Receiver<VendorRef> {
  return typeof value === 'object' && value !== null && typeof (value as Receiver).receive === 'function';
}

/** Re-labels core's setup errors with the adapter's package name, so the user sees where to look. */
function relabel<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith('@hookproof: ')) {
      throw new TypeError(`${name}: ${error.message.slice('@hookproof: '.length)}`);
    }
    throw error;
  }
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

function closestKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of [...KNOWN_OPTIONS, ...RECEIVER_ONLY]) {
    // A prefix (`tolerance`, `maxBody`) or a near miss (`secrets`, `tolleranceSec`).
    const k = known.toLowerCase();
    const d = lower.length >= 4 && (k.startsWith(lower) || lower.startsWith(k)) ? 0 : editDistance(lower, k);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}

function isSecrets(value: unknown): value is Secrets {
  // A Uint8Array is one secret (raw key bytes), not a per-vendor map.
  return typeof value === 'string' || Array.isArray(value) || value instanceof Uint8Array;
}

interface Resolved {
  readonly profiles: readonly VendorProfile[];
  /** When several vendors share one route, pick by signature header. */
  readonly detect: boolean;
}

function resolveVendors(options: WebhookOptions<VendorChoice>): Resolved {
  const { vendor, secret } = options;
  if (vendor === 'auto') {
    if (typeof secret === 'object' && secret !== null && !isSecrets(secret)) {
      const ids = Object.keys(secret);
      if (ids.length === 0) throw setupError('`secret` is an empty map: add one entry per vendor, e.g. { aidelly: process.env.AIDELLY_SECRET }.');
      return { profiles: ids.map((id) => resolveVendor(id as VendorId)), detect: true };
    }
    return { profiles: vendorIds.map((id) => vendors[id]), detect: true };
  }
  if (Array.isArray(vendor)) {
    if (vendor.length === 0) throw setupError("`vendor` is an empty array: list at least one vendor, or use 'auto'.");
    const profiles = (vendor as readonly VendorRef[]).map((v) => resolveVendor(v));
    const ids = new Set<string>();
    for (const p of profiles) {
      if (ids.has(p.id)) throw setupError(`\`vendor\` lists ${JSON.stringify(p.id)} twice: list each vendor once.`);
      ids.add(p.id);
    }
    return { profiles, detect: profiles.length > 1 };
  }
  return { profiles: [resolveVendor(vendor as VendorRef)], detect: false };
}

function checkOptions(options: WebhookOptions<VendorChoice>): void {
  if (typeof options !== 'object' || options === null) {
    throw setupError('pass options ({ vendor, secret }) or a receiver from createReceiver().');
  }
  for (const key of Object.keys(options)) {
    if (KNOWN_OPTIONS.has(key)) continue;
    if (RECEIVER_ONLY.has(key)) {
      throw setupError(`\`${key}\` belongs to a receiver: pass createReceiver({ vendor, secret, ${key} }) instead of options to dedupe and dispatch.`);
    }
    const near = closestKey(key);
    throw setupError(`unknown option \`${key}\`${near === undefined ? '' : `: did you mean \`${near}\``}? Options are ${[...KNOWN_OPTIONS].join(', ')}.`);
  }
  if (options.vendor === undefined) {
    throw setupError(`\`vendor\` is required: one of ${vendorIds.map((v) => `'${v}'`).join(', ')}, a profile from defineVendor(), an array of them, or 'auto'.`);
  }
  const { secret, onError } = options;
  if (secret === undefined && options.allowUnsigned !== true) {
    throw setupError(
      '`secret` is required: the signing secret from the vendor dashboard (e.g. process.env.WEBHOOK_SECRET), an array during rotation, a map per vendor, or an async function for a secret manager.',
    );
  }
  if (secret !== undefined && !isSecrets(secret) && typeof secret !== 'function' && (typeof secret !== 'object' || secret === null)) {
    throw setupError(`\`secret\` is ${secret === null ? 'null' : typeof secret}: pass a string, an array of strings, a map per vendor id, or a function.`);
  }
  checkSecretCacheMs(options.secretCacheMs);
  checkSecretTimeoutMs(options.secretTimeoutMs);
  if (onError !== undefined && typeof onError !== 'function') {
    throw setupError('`onError` must be a function (error, event) => ({ status?, body?, headers? }) or undefined.');
  }
}

/**
 * Two vendors that sign the same content (by their profiles' `signedContent`, e.g. the
 * raw body alone) must not share a secret on one route: a delivery captured from one,
 * re-sent with the other's signature header, would verify as the other vendor's event.
 */
function checkSharedSecret(profiles: readonly VendorProfile[], secret: WebhookOptions<VendorChoice>['secret']): void {
  if (profiles.length < 2 || secret === undefined || typeof secret === 'function') return;
  const shared = isSecrets(secret);
  // Empty or non-string entries are left to the per-vendor check, which names them.
  const secretsOf = (p: VendorProfile): readonly unknown[] =>
    (shared ? [secret].flat() : [(secret as Record<string, Secrets | undefined>)[p.id] ?? []].flat()).filter((s) => typeof s === 'string' && s !== '');
  for (const [i, a] of profiles.entries()) {
    for (const b of profiles.slice(i + 1)) {
      if (!sameSignedContent(a, b)) continue;
      const theirs = new Set(secretsOf(b));
      if (!secretsOf(a).some((s) => theirs.has(s))) continue;
      const same = profiles.filter((p) => sameSignedContent(p, a)).map((p) => p.id);
      const what = a.signedContent === 'body' ? 'the raw body alone' : `the same content (${a.signedContent})`;
      throw setupError(
        `${same.join(', ')} all sign ${what}, so with one secret a delivery captured from one would verify as another. Give each vendor its own secret: secret: { ${same.map((id) => `${id}: process.env.${id.toUpperCase().replaceAll('-', '_')}_WEBHOOK_SECRET`).join(', ')} }.`,
      );
    }
  }
}

/** Same MAC input and key for the same secret: the scheme's template, hash and secret encoding. */
function sameSignedContent(a: VendorProfile, b: VendorProfile): boolean {
  const x = schemeOf(a);
  const y = schemeOf(b);
  return x.signedContent === y.signedContent && x.algorithm === y.algorithm && x.secretEncoding === y.secretEncoding;
}

function verifierOptions(options: WebhookOptions<VendorChoice>, profile: VendorProfile, secret: Secrets | undefined): VerifyOptions<VendorRef> {
  const { vendor: _vendor, secret: _secret, secretCacheMs: _cache, secretTimeoutMs: _timeout, onError: _onError, bodyTimeoutMs: _bt, allowIps: _ips, trustProxy: _tp, ...rest } = options;
  return { ...rest, vendor: profile, ...(secret === undefined ? {} : { secret }) } as VerifyOptions<VendorRef>;
}

/** Checks options (throws a `TypeError` naming the fix) and returns the per-request flow. */
export function createWebhookEngine<V extends VendorRef>(receiver: Receiver<V>, settings?: EngineSettings<V>): WebhookEngine<V>;
export function createWebhookEngine<V extends VendorChoice = VendorId>(
  options: WebhookOptions<V>,
  settings?: EngineSettings<ResolveVendor<V>>,
): WebhookEngine<ResolveVendor<V>>;
export function createWebhookEngine(
  source: WebhookOptions<VendorChoice> | Receiver<VendorRef>,
  settings: EngineSettings<VendorRef> = {},
): WebhookEngine<VendorRef> {
  const name = settings.name ?? '@hookproof';
  return relabel(name, () =>
    isReceiver(source) ? receiverEngine(source, settings.onError) : optionsEngine(source as WebhookOptions<VendorChoice>),
  );
}

function withOnError(onError: OnWebhookError<VendorRef> | undefined) {
  return async (error: WebhookError, event: EventFor<VendorRef> | undefined, base?: ReceiveResult<VendorRef>): Promise<EngineResult<VendorRef>> => {
    let status = base?.status ?? error.status;
    let body: unknown = base?.body ?? error.toJSON();
    // The rest of an unread body would keep the socket busy (Node drains it for keep-alive).
    let headers: Readonly<Record<string, string>> = base?.headers ?? (UNREAD_BODY.has(error.code) ? CLOSE : {});
    if (onError !== undefined && status >= 400) {
      try {
        const custom = await onError(error, event);
        if (custom !== undefined && custom !== null) {
          if (Number.isInteger(custom.status) && custom.status! >= 100 && custom.status! <= 599) status = custom.status!;
          if (custom.body !== undefined) body = custom.body;
          if (custom.headers !== undefined) headers = custom.headers;
        }
      } catch {
        // A failing onError must not turn a clean 4xx into a crash: keep the default answer.
      }
    }
    return event === undefined ? { next: false, status, body, headers, error } : { next: false, status, body, headers, error, event };
  };
}

const UNREAD_BODY = new Set<string>(['payload_too_large', 'body_timeout']);
const CLOSE: Readonly<Record<string, string>> = { connection: 'close' };

function receiverEngine(receiver: Receiver<VendorRef>, onError: OnWebhookError<VendorRef> | undefined): WebhookEngine<VendorRef> {
  if (onError !== undefined && typeof onError !== 'function') {
    throw setupError('`onError` must be a function (error, event) => ({ status?, body?, headers? }) or undefined.');
  }
  const maxBodyBytes = receiver.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bodyTimeoutMs = checkBodyTimeout(receiver.options.bodyTimeoutMs);
  const failWith = withOnError(onError);
  // A receiver from createReceiver answers without a promise when it can; any other is awaited.
  const own = (receiver as Partial<ReceivesNow<VendorRef>>)[RECEIVE_NOW];
  const receive = typeof own === 'function' ? own : (request: EngineRequest) => receiver.receive(request);
  const answer = (result: ReceiveResult<VendorRef>): EngineResult<VendorRef> | Promise<EngineResult<VendorRef>> => {
    const event = result.event as EventFor<VendorRef> | undefined;
    if (result.error !== undefined && result.status >= 400) return failWith(result.error, event, result);
    // Literals, not spreads: `{ ...out, event, ...(cond ? {} : { error }) }` cost ~0.6 us per
    // delivery (V8's generic object clone), more than the rest of this function (bench/adapters).
    const { status, body, error } = result;
    if (event === undefined) return { next: false, status, body, headers: {} };
    return error === undefined ? { next: false, status, body, headers: {}, event } : { next: false, status, body, headers: {}, event, error };
  };
  const handleNow = (request: EngineRequest): EngineResult<VendorRef> | Promise<EngineResult<VendorRef>> => {
    let received: ReceiveResult<VendorRef> | Promise<ReceiveResult<VendorRef>>;
    try {
      received = receive(request);
    } catch (cause) {
      // A hand-written receiver broke its never-throws contract: as before, the adapter's rejection path.
      return Promise.reject(cause);
    }
    return isPromise(received) ? received.then(answer) : answer(received);
  };
  return {
    mode: 'receive',
    maxBodyBytes,
    bodyTimeoutMs,
    ...bodyReading(maxBodyBytes, bodyTimeoutMs),
    handle: (request) => promised(handleNow(request)),
    handleNow,
    // The receiver's own onError handlers see these failures too (a 413 is a failure like any other).
    fail: async (error) => failWith(error, undefined, typeof receiver.reject === 'function' ? await receiver.reject(error) : undefined),
  };
}

function optionsEngine(options: WebhookOptions<VendorChoice>): WebhookEngine<VendorRef> {
  checkOptions(options);
  const { profiles, detect } = resolveVendors(options);
  if (options.allowUnsigned === true && profiles.length > 1) {
    throw setupError('`allowUnsigned` needs a single vendor (an unsigned delivery carries no signature header to tell vendors apart).');
  }
  const { secret } = options;
  checkSharedSecret(profiles, secret);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bodyTimeoutMs = checkBodyTimeout(options.bodyTimeoutMs);
  const guard = createDeliveryGuard(options);
  const cacheMs = checkSecretCacheMs(options.secretCacheMs);
  const timeoutMs = checkSecretTimeoutMs(options.secretTimeoutMs);
  const clock = options.now ?? Date.now;
  const failWith = withOnError(options.onError as OnWebhookError<VendorRef> | undefined);

  // Static secrets: one verifier per vendor, built (and checked) now.
  const verifiers = new Map<string, Check<VendorRef>>();
  // Secrets from a function: one cached lookup per vendor.
  const lookups = new Map<string, () => Promise<Check<VendorRef> | WebhookError>>();
  const resolver = typeof secret === 'function' ? (secret as SecretResolver<VendorRef>) : undefined;
  for (const profile of profiles) {
    if (resolver !== undefined) {
      // Check every other option now, with a stand-in secret, so mistakes surface at mount time.
      createCheck(verifierOptions(options, profile, 'stand-in'));
      lookups.set(profile.id, secretLookup(profile.id, resolver, (s) => createCheck(verifierOptions(options, profile, s)), cacheMs, clock, timeoutMs));
      continue;
    }
    let own: Secrets | undefined;
    if (secret === undefined || isSecrets(secret)) {
      own = secret;
    } else {
      own = (secret as Record<string, Secrets | undefined>)[profile.id];
      if (own === undefined) {
        throw setupError(`\`secret\` has no entry for ${JSON.stringify(profile.id)}: add secret: { ${profile.id}: process.env.${profile.id.toUpperCase()}_WEBHOOK_SECRET, ... }.`);
      }
    }
    verifiers.set(profile.id, createCheck(verifierOptions(options, profile, own)));
  }

  const passOn = (result: VerifyResult<VendorRef>): EngineResult<VendorRef> | Promise<EngineResult<VendorRef>> => {
    if (!result.ok) return failWith(result.error, undefined);
    const event = result.event as EventFor<VendorRef>;
    return { next: true, status: 200, body: { ok: true, id: event.id, type: String(event.type) }, headers: {}, event };
  };
  const checkWith = (verifier: Check<VendorRef>, request: EngineRequest) => {
    const checked = verifier(request?.body, request?.headers);
    return isPromise(checked) ? checked.then(passOn) : passOn(checked);
  };
  // Static secrets and Node's synchronous HMAC: no promise at all (bench/adapters).
  const handleNow = (request: EngineRequest): EngineResult<VendorRef> | Promise<EngineResult<VendorRef>> => {
    try {
      return verifyNow(request);
    } catch (cause) {
      // Defence in depth: a bug of ours reaches the adapter's rejection path (its error handler), never a throw.
      return Promise.reject(cause);
    }
  };
  const verifyNow = (request: EngineRequest): EngineResult<VendorRef> | Promise<EngineResult<VendorRef>> => {
    const headers = request?.headers;
    const refused = guard({ headers, remoteAddress: request?.remoteAddress });
    if (refused !== undefined) return failWith(refused, undefined);
    const profile = detect ? detectVendor(headers ?? {}, profiles) : profiles[0]!;
    if (profile === undefined) {
      return failWith(
        new WebhookError('missing_signature', 'No known webhook signature header is present.', {
          hint: `Expected one of ${profiles.map((p) => p.signatureHeader).join(', ')}.`,
        }),
        undefined,
      );
    }
    const verifier = verifiers.get(profile.id);
    if (verifier !== undefined) return checkWith(verifier, request);
    return lookups.get(profile.id)!().then((found) => (found instanceof WebhookError ? failWith(found, undefined) : checkWith(found, request)));
  };
  return {
    mode: 'verify',
    maxBodyBytes,
    bodyTimeoutMs,
    ...bodyReading(maxBodyBytes, bodyTimeoutMs),
    handle: (request) => promised(handleNow(request)),
    handleNow,
    fail: (error) => failWith(error, undefined),
  };
}
