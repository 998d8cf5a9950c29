/**
 * Overrides for an event: every field optional at every depth, with the field types
 * of core's payload types, so a misspelt or mistyped field is a compile error.
 * Arrays are replaced whole, not merged.
 */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export type JsonObject = { [key: string]: unknown };

export function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `base` with `overrides` merged in: plain objects recursively, anything else
 * (arrays included) replaced; a key set to `undefined` is removed. Neither input is
 * modified.
 */
export function deepMerge(base: JsonObject, overrides: unknown): JsonObject {
  if (overrides === undefined) return base;
  if (!isPlainObject(overrides)) {
    throw new TypeError(
      '@hookproof/mock-sender: event overrides must be a plain object, e.g. { data: { platform: "linkedin" } }.',
    );
  }
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete out[key];
    } else if (isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = deepMerge(out[key] as JsonObject, value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Frozen all the way down, so an event cannot drift from the bytes it was serialised to. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
