// Sends a WireRequest with supertest: repeated headers as separate lines, chunked bodies
// with several writes and no content-length.
import type { RequestListener, Server } from 'node:http';
import request from 'supertest';
import { HOOK_PATH, type WireRequest, type WireResponse } from './driver.js';

/** Chunks a chunked body is written in. */
const CHUNK = 16 * 1024;

export async function sendWithSupertest(target: Server | RequestListener, wire: WireRequest): Promise<WireResponse> {
  const test = request(target).post(HOOK_PATH);
  const grouped = new Map<string, string[]>();
  for (const [name, value] of wire.headers) grouped.set(name, [...(grouped.get(name) ?? []), value]);
  // An array goes to Node's setHeader, which sends one header line per value.
  for (const [name, values] of grouped) test.set(name, (values.length === 1 ? values[0]! : values) as string);
  if (wire.chunked === true) {
    // superagent streams written chunks without a content-length (transfer-encoding: chunked).
    for (let i = 0; i < wire.body.length; i += CHUNK) test.write(wire.body.subarray(i, i + CHUNK));
  } else {
    // Written, not .send(): superagent would JSON-encode a Buffer sent with a JSON content type.
    test.set('Content-Length', String(wire.body.length));
    if (wire.body.length > 0) test.write(wire.body);
  }
  const response = await test;
  return { status: response.status, body: parseJson(response.text), text: response.text, headers: response.headers as Record<string, string | string[] | undefined> };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
