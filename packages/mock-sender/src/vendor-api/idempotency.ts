import { isPlainObject } from '../merge.js';

export interface ApiReply {
  readonly status: number;
  /** `undefined`: no body. */
  readonly body: unknown;
}

interface Stored {
  readonly fingerprint: string;
  readonly reply: ApiReply;
}

/** JSON with sorted keys, so `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** What makes two requests "the same" for an Idempotency-Key: method, path, the headers that set context, and the body. */
export function fingerprint(
  method: string,
  path: string,
  context: Readonly<Record<string, string>>,
  body: unknown,
): string {
  return canonical([method, path, context, body]);
}

export type Recall =
  { readonly kind: 'new' } | { readonly kind: 'replay'; readonly reply: ApiReply } | { readonly kind: 'conflict' };

/**
 * Idempotency keys, per API key. Aidelly requires an `Idempotency-Key` on create and
 * delete (REST API guide, "Webhooks": Subscribing, Listing and deleting subscriptions)
 * but does not say what a reused key does. Assumed, as careful APIs do: the same key
 * with the same request replays the first answer; the same key with a different
 * request is refused (422) rather than silently answered with the first response.
 */
export class IdempotencyKeys {
  readonly #stored = new Map<string, Stored>();

  recall(apiKey: string, key: string, print: string): Recall {
    const stored = this.#stored.get(`${apiKey}\u0000${key}`);
    if (stored === undefined) return { kind: 'new' };
    return stored.fingerprint === print ? { kind: 'replay', reply: stored.reply } : { kind: 'conflict' };
  }

  remember(apiKey: string, key: string, print: string, reply: ApiReply): void {
    this.#stored.set(`${apiKey}\u0000${key}`, { fingerprint: print, reply });
  }
}

export const IDEMPOTENCY_CONFLICT = {
  status: 422,
  code: 'idempotency_key_reused',
  message: 'This Idempotency-Key was already used with a different request; send a new key for a new request.',
} as const;
