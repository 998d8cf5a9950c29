import { setupError } from './errors.js';

/**
 * Every option of every entry point, once: who reads it, where its value is checked, and
 * its default. `verify`, `createVerifier`, `createReceiver`, the adapters' options mode and
 * `handleWebhook` all check their keys here, so an unknown key (a typo such as `tolerance`)
 * is refused with the same did-you-mean everywhere instead of being ignored.
 */

/** Which stage of the pipeline reads an option. */
export type OptionOwner = 'delivery' | 'verify' | 'transport' | 'secret' | 'receiver' | 'adapter' | 'fetch';

export interface OptionSpec {
  readonly owner: OptionOwner;
  /** The function that checks its value (each throws a `TypeError` naming the fix). */
  readonly check: string;
  readonly default: string;
}

export const OPTIONS = {
  // verify() takes one delivery with its options.
  body: { owner: 'delivery', check: 'verify (any body type is peer input: never thrown)', default: 'required' },
  headers: { owner: 'delivery', check: 'verify (peer input)', default: 'required' },
  // The signature check (verify.ts).
  vendor: {
    owner: 'verify',
    check: 'resolveVendor (resolve.ts); several / auto: resolveVendors (vendor-secret.ts)',
    default: 'required',
  },
  secret: {
    owner: 'verify',
    check: 'normaliseSecrets (resolve.ts); maps and functions: checkSecretShape, secretStage (vendor-secret.ts)',
    default: 'required unless allowUnsigned',
  },
  toleranceSec: {
    owner: 'verify',
    check: 'checkTolerance (resolve.ts)',
    default: "the vendor profile's window (Autoposting: 300)",
  },
  now: { owner: 'verify', check: 'used if a function', default: 'Date.now' },
  allowUnsigned: { owner: 'verify', check: 'prepare (verify.ts)', default: 'false' },
  requiredHeaders: { owner: 'verify', check: 'prepare (verify.ts)', default: 'none' },
  maxBodyBytes: { owner: 'verify', check: 'checkMaxBodyBytes (resolve.ts)', default: '1 MiB' },
  schema: { owner: 'verify', check: 'schemaFor (schema.ts)', default: 'none' },
  // The transport guard and the body reader (guard.ts, body-clock.ts).
  bodyTimeoutMs: { owner: 'transport', check: 'checkBodyTimeout (guard.ts)', default: '10 000 ms' },
  allowIps: { owner: 'transport', check: 'createDeliveryGuard (guard.ts)', default: 'any address' },
  trustProxy: { owner: 'transport', check: 'createDeliveryGuard (guard.ts)', default: 'false' },
  // A secret function (secret-source.ts).
  secretCacheMs: { owner: 'secret', check: 'checkSecretCacheMs (secret-source.ts)', default: '5 min' },
  secretTimeoutMs: { owner: 'secret', check: 'checkSecretTimeoutMs (secret-source.ts)', default: '5 s' },
  // Dedupe and hand-off, receivers only (pipeline.ts, claim-ttl.ts).
  dedupe: { owner: 'receiver', check: 'checkHandOff (pipeline.ts)', default: 'an in-memory store' },
  dedupeTtlMs: { owner: 'receiver', check: 'checkHandOff (pipeline.ts)', default: '24 h' },
  claimTtlMs: { owner: 'receiver', check: 'resolveClaimTtl (claim-ttl.ts)', default: "from the vendor's retry policy" },
  handlerTimeoutMs: { owner: 'receiver', check: 'checkHandOff (pipeline.ts)', default: 'none' },
  earlyAck: { owner: 'receiver', check: 'checkHandOff (pipeline.ts)', default: 'false' },
  queue: { owner: 'receiver', check: 'checkQueue (queue.ts)', default: 'none: the handlers run in the request' },
  // Where failures are logged (delivery-log.ts): every receiving entry point.
  logger: {
    owner: 'transport',
    check: 'checkLogger (delivery-log.ts)',
    default: "the framework's logger, else consoleLogger('warn')",
  },
  // The adapters and handleWebhook: customise failure answers (a receiver has .onError to observe them).
  onError: { owner: 'adapter', check: 'checkOnError (options.ts)', default: 'none' },
  // handleWebhook(request, options) only.
  onEvent: { owner: 'fetch', check: 'must be a function', default: 'none' },
} as const satisfies Readonly<Record<string, OptionSpec>>;

export type OptionName = keyof typeof OPTIONS;

/** An entry point that checks its options against the table. */
export type OptionEntry = 'verify' | 'createVerifier' | 'createReceiver' | 'adapter' | 'handleWebhook';

/** The entry points, and the owners whose options each takes. */
const ENTRIES: Readonly<Record<OptionEntry, readonly OptionOwner[]>> = {
  verify: ['delivery', 'verify'],
  createVerifier: ['verify'],
  createReceiver: ['verify', 'transport', 'secret', 'receiver'],
  adapter: ['verify', 'transport', 'secret', 'adapter'],
  handleWebhook: ['verify', 'transport', 'secret', 'receiver', 'adapter', 'fetch'],
};

const NAMES = Object.keys(OPTIONS) as OptionName[];
const ACCEPTED: Readonly<Record<OptionEntry, ReadonlySet<string>>> = Object.fromEntries(
  Object.entries(ENTRIES).map(([entry, owners]) => [
    entry,
    new Set(NAMES.filter((n) => owners.includes(OPTIONS[n].owner))),
  ]),
) as unknown as Record<OptionEntry, ReadonlySet<string>>;

/** Where an option that is known but not accepted here belongs, as the fix to name. */
const ELSEWHERE: Readonly<Partial<Record<OptionOwner, string>>> = {
  receiver: 'belongs to a receiver: pass createReceiver({ vendor, secret, KEY }) (a receiver dedupes and dispatches)',
  transport: 'is read by the receiving side, not by the signature check: pass it to createReceiver() or an adapter',
  secret: 'is for a `secret` function, which createReceiver() and the adapters take',
  adapter: 'is an adapter option: with a receiver, use receiver.onError(handler) or webhook(receiver, { onError })',
  fetch: 'is a handleWebhook() option: with createReceiver(), use receiver.onAny(handler)',
  delivery: 'is the delivery itself: pass it to verify(), or to the function createVerifier() returns',
};

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

/** The option `key` was probably meant to be: a prefix (`tolerance`, `maxBody`) or a near miss (`secrets`). */
export function closestOption(key: string, among: Iterable<string> = NAMES): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of among) {
    const k = known.toLowerCase();
    const d = lower.length >= 4 && (k.startsWith(lower) || lower.startsWith(k)) ? 0 : editDistance(lower, k);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Throws a setup `TypeError` for the first key `entry` does not take: one known elsewhere
 * names where it belongs, any other gets a did-you-mean. `ignore` lists keys an entry
 * handles itself (e.g. Fastify's own register options). A plain loop: `verify()` runs it
 * on every call.
 */
export function checkOptionKeys(options: object, entry: OptionEntry, ignore?: ReadonlySet<string>): void {
  if (typeof options !== 'object' || options === null) return;
  const accepted = ACCEPTED[entry];
  for (const key in options) {
    if (accepted.has(key) || ignore?.has(key) === true) continue;
    if (!Object.prototype.hasOwnProperty.call(options, key)) continue;
    throw unknownOption(key, entry);
  }
}

function unknownOption(key: string, entry: OptionEntry): TypeError {
  const accepted = ACCEPTED[entry];
  const spec = (OPTIONS as Readonly<Record<string, OptionSpec>>)[key];
  if (spec !== undefined && Object.prototype.hasOwnProperty.call(OPTIONS, key)) {
    const where = ELSEWHERE[spec.owner] ?? 'is not an option here';
    return setupError(`\`${key}\` ${where.replace('KEY', key)}.`);
  }
  const near = closestOption(key, accepted);
  return setupError(
    `unknown option \`${key}\`${near === undefined ? '' : `: did you mean \`${near}\``}? Options are ${[...accepted].join(', ')}.`,
  );
}

/** `onError`, wherever it is taken. */
export function checkOnError(onError: unknown): void {
  if (onError !== undefined && typeof onError !== 'function') {
    throw setupError('`onError` must be a function (error, event) => ({ status?, body?, headers? }) or undefined.');
  }
}

/**
 * One shape for every package's setup errors: `<package>: <what is wrong and the fix>`.
 * Core's own errors say `@hookproof:`; a port relabels them with its package name so the
 * user sees where to look.
 */
export function relabel<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith('@hookproof: ') && name !== '@hookproof') {
      throw new TypeError(`${name}: ${error.message.slice('@hookproof: '.length)}`);
    }
    throw error;
  }
}
