import http from 'node:http';
import { describe, expect, it } from 'vitest';

// This file must not import nock: it checks what the mock sender does to globals on its own.
describe('globals', () => {
  it('importing the package patches nothing; mockVendorApi patches fetch and http, restore() puts them back', async () => {
    const fetchBefore = globalThis.fetch;
    const requestBefore = http.request;
    const { createMockSender } = await import('@hookproof/mock-sender');
    const sender = createMockSender({ vendor: 'timbrix' });
    sender.event('member.added');
    expect(globalThis.fetch).toBe(fetchBefore);
    expect(http.request).toBe(requestBefore);
    const api = sender.mockVendorApi();
    expect(globalThis.fetch).not.toBe(fetchBefore);
    api.restore();
    expect(globalThis.fetch).toBe(fetchBefore);
    expect(http.request).toBe(requestBefore);
  });
});
