/**
 * An object the vendor documents no fields of (Autoposting's `data`, Timbrix's `data`, the
 * `data` of Audenci events its page only names): every key is undocumented and reads as
 * `unknown`, to be checked before use.
 */
export type UndocumentedFields = { readonly [key: string]: unknown };

/**
 * Reads a field the vendor's documentation does not show, e.g.
 * `undocumentedField(event.payload.data, 'ad_id')` or, along a path,
 * `undocumentedField(event.payload, 'data', 'campaign', 'id')`.
 *
 * Documented fields are typed, so a misspelt one is a compile error; a field the vendor
 * never promised is read through this function instead, which says so at the call site
 * and returns `unknown` (check it before use). Only own properties are read: the result is
 * `undefined` when a step is missing, is not an object, or is an inherited name such as
 * `constructor`. It never throws.
 */
export function undocumentedField(value: unknown, ...path: readonly [string, ...string[]]): unknown {
  let at: unknown = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.prototype.hasOwnProperty.call(at, key)) return undefined;
    at = (at as { readonly [key: string]: unknown })[key];
  }
  return at;
}
