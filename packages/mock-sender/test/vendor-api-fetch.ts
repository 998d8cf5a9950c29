import { afterEach, expect } from 'vitest';
import nock from 'nock';

/** What an app sees from the vendor API: the status and the parsed JSON body (undefined when empty). */
export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown> | undefined;
}

/** The application under test calls the vendor's API with global fetch, as an app would. */
export async function callApi(method: 'GET' | 'POST' | 'DELETE', url: string, init: { headers?: Record<string, string>; body?: unknown } = {}): Promise<ApiAnswer> {
  const res = await fetch(url, {
    method,
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

const opened: { close(): Promise<void> }[] = [];

/** Closes what a test opened (senders, servers) after it, and checks no nock interceptor is left behind. */
export function closeAfterEach(): void {
  afterEach(async () => {
    for (const o of opened.splice(0).reverse()) await o.close();
    expect(nock.activeMocks()).toEqual([]);
  });
}

export function track<T extends { close(): Promise<void> }>(x: T): T {
  opened.push(x);
  return x;
}
