/**
 * Anything a runtime hands over as request headers. Names in any case; repeated headers as arrays.
 * Node's `IncomingHttpHeaders` fits the record member; naming it would put `import 'node:http'`
 * into the published types and break edge projects that have no `@types/node`.
 */
export type HeadersLike = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

function isFetchHeaders(h: HeadersLike): h is Headers {
  return typeof (h as Headers).get === 'function' && typeof (h as Headers).has === 'function';
}

/**
 * Every value of header `name` (case-insensitive), trimmed, empty ones dropped.
 * Never throws, whatever the peer or a framework put in the object.
 */
export function headerValues(headers: HeadersLike | null | undefined, name: string): string[] {
  const out: string[] = [];
  collect(rawValue(headers, name), out);
  return out;
}

function rawValue(headers: HeadersLike | null | undefined, name: string): unknown {
  if (headers === null || typeof headers !== 'object') return undefined;
  // Called with lower-case names on the hot path, where this returns `name` itself.
  const lower = name.toLowerCase();
  const record = headers as Record<string, unknown>;
  // Node's IncomingHttpHeaders first (bench/README.md#keys-hashes-and-headers).
  // A Fetch `Headers` has no own properties named like headers.
  if (Object.prototype.hasOwnProperty.call(record, lower)) {
    const own = record[lower];
    if (own !== undefined) return own;
  }
  if (isFetchHeaders(headers)) {
    try {
      return headers.get(lower);
    } catch {
      return undefined;
    }
  }
  let raw: unknown;
  // Plain records written by hand keep the vendor's casing; Node lower-cases for us.
  for (const key of Object.keys(record)) {
    if (key.length === lower.length && key.toLowerCase() === lower) {
      raw = appendValue(raw, record[key]);
    }
  }
  return raw;
}

function appendValue(acc: unknown, next: unknown): unknown {
  if (acc === undefined) return next;
  return ([] as unknown[]).concat(acc, next);
}

function collect(raw: unknown, out: string[]): void {
  if (typeof raw === 'string') {
    const v = raw.trim();
    if (v !== '') out.push(v);
  } else if (typeof raw === 'number') {
    out.push(String(raw));
  } else if (Array.isArray(raw)) {
    for (const item of raw) collect(item, out);
  }
}

export const CONFLICT: unique symbol = Symbol('hookproof.header-conflict');

/** One header value; several distinct values make it ambiguous (`CONFLICT`). */
export function singleHeader(
  headers: HeadersLike | null | undefined,
  name: string,
): string | undefined | typeof CONFLICT {
  const raw = rawValue(headers, name);
  if (typeof raw === 'string') {
    const v = raw.trim();
    return v === '' ? undefined : v;
  }
  const values: string[] = [];
  collect(raw, values);
  if (values.length === 0) return undefined;
  const first = values[0]!;
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return CONFLICT;
  return first;
}

export function hasHeader(headers: HeadersLike | null | undefined, name: string): boolean {
  return headerValues(headers, name).length > 0;
}
