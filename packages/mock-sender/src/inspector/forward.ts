import type { Forwarded } from './record.js';

/** Headers that describe one hop, not the delivery: the next hop sets its own. */
const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-connection',
  'proxy-authorization',
  'expect',
]);

export function endToEnd(headers: readonly (readonly [string, string])[]): [string, string][] {
  return headers.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())).map(([k, v]) => [k, v]);
}

/** What `send` keeps of the app's answer (the page shows it; a megabyte page is no help). */
const MAX_BODY = 64 * 1024;

/**
 * POSTs the exact bytes with the end-to-end headers as received, within `timeoutMs` (the
 * vendor's delivery deadline), and reports the answer; never throws.
 */
export async function postBytes(
  url: string,
  headers: readonly (readonly [string, string])[],
  body: Uint8Array,
  timeoutMs: number,
): Promise<Forwarded> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: endToEnd(headers),
      body: body.slice(),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type');
    return {
      url,
      status: res.status,
      body: text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}…` : text,
      ...(contentType === null ? {} : { contentType }),
      ms: performance.now() - started,
    };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const reason =
      e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { url, ms: performance.now() - started, error: reason };
  }
}
