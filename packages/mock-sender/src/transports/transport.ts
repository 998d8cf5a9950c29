import type { ReceivedResponse } from '../types.js';

/** One way of handing a request to the receiver under test. */
export interface Transport {
  /** The URL shown in results (an in-process target gets a descriptive one). */
  url(): Promise<string>;
  /** Sends the exact bytes; rejects on network errors; should stop when `signal` aborts. */
  send(headers: Readonly<Record<string, string>>, body: Uint8Array, signal: AbortSignal): Promise<ReceivedResponse>;
  close(): Promise<void>;
}

/** Responses are kept up to this size; the rest is read and dropped. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export function flattenHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.map(String).join(', ') : String(v);
  }
  return out;
}
