import { bytesToHex } from './encoding.js';
import { cryptoPort } from './crypto-node.js';
import type { IdSource } from './types.js';

/** A verified event as built before the optional schema check (which may replace `payload`). */
export interface Draft {
  readonly vendor: string;
  readonly type: string;
  readonly documented: boolean;
  readonly id: string;
  readonly idSource: IdSource;
  readonly deliveryId: string | undefined;
  readonly signedAt: number | undefined;
  payload: unknown;
  readonly raw: string;
}

/** A form-encoded body never starts with `{` or `[`; a JSON one always does (after white space). */
export function looksLikeJson(text: string): boolean {
  const c = text.trimStart().charAt(0);
  return c === '{' || c === '[';
}

/**
 * An `application/x-www-form-urlencoded` body (Slack's slash commands) as an object of its
 * fields; an empty body is an empty object. Own data properties only, so a field named
 * `__proto__` is just a field.
 */
export function parseForm(text: string): { ok: true; value: Record<string, string> } {
  return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) };
}

/** `sha256:` and the first 16 bytes (32 hex digits) of SHA-256 over the raw body. */
export function bodyDigestId(digest: Uint8Array): string {
  return `sha256:${bytesToHex(digest, 16)}`;
}

/** Node's `util.inspect.custom`, by its registered name (core imports nothing from node:util). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A verified event whose `id` is the body digest, hashed on first read (Node, where the
 * digest is synchronous): a bare `verify()` then costs one pass over the body. A class,
 * not an object literal with a getter: see bench/README.md#the-event-object. `toJSON`
 * and `util.inspect` show `id` like a plain field; a spread (`{ ...event }`) does not
 * copy it: read `event.id` itself.
 */
export class BodyDigestEvent implements Draft {
  readonly idSource = 'body-digest' as const;
  #body: string | Uint8Array;
  #id: string | undefined;

  constructor(
    readonly vendor: string,
    readonly type: string,
    readonly documented: boolean,
    readonly deliveryId: string | undefined,
    readonly signedAt: number | undefined,
    public payload: unknown,
    readonly raw: string,
    body: string | Uint8Array,
  ) {
    this.#body = body;
  }

  get id(): string {
    return (this.#id ??= bodyDigestId(cryptoPort.sha256(this.#body) as Uint8Array));
  }

  toJSON(): Omit<Draft, 'payload'> & { payload: unknown } {
    const { vendor, type, documented, id, idSource, deliveryId, signedAt, payload, raw } = this;
    return { vendor, type, documented, id, idSource, deliveryId, signedAt, payload, raw };
  }

  [INSPECT](): unknown {
    return this.toJSON();
  }
}
