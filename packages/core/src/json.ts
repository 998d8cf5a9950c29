/**
 * JSON.parse plus removal of keys that enable prototype pollution downstream
 * (`__proto__`, and `constructor` objects carrying `prototype`). JSON.parse itself
 * does not pollute, but handlers that deep-merge a payload would, so such keys never
 * reach them. The walk is iterative: deeply nested input cannot overflow the stack.
 */
export type ParsedJson = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJson(text: string): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'not JSON' };
  }
  if (mayHoldDangerousKeys(text)) stripDangerousKeys(value);
  return { ok: true, value };
}

/**
 * A cheap superset test run on every body. What `stripDangerousKeys` removes, a
 * `__proto__` key or a `constructor` object holding a `prototype` key, is written either
 * literally (both words contain `proto`) or with a `\u` escape such as
 * `"\u005f_proto__"`, which a search for the whole word would miss. Why short needles:
 * see bench/README.md#the-prototype-key-scan.
 */
function mayHoldDangerousKeys(text: string): boolean {
  return text.includes('proto') || text.includes('\\u');
}

function stripDangerousKeys(root: unknown): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    const record = node as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(record, '__proto__')) delete record['__proto__'];
    if (Object.prototype.hasOwnProperty.call(record, 'constructor')) {
      const ctor = record['constructor'];
      if (typeof ctor === 'object' && ctor !== null && 'prototype' in ctor) delete record['constructor'];
    }
    for (const key of Object.keys(record)) stack.push(record[key]);
  }
}
