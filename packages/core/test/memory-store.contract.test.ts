import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '@hookproof/core';
import { dedupeStoreContract } from '@hookproof/core/adapter';

// The in-memory store against the shared DedupeStore contract, twice: on an injected
// clock (the suite's waits are clock advances, so it runs instantly) and on the real
// clock with real waits, as an application runs it.
let clock = 1_700_000_000_000;
dedupeStoreContract({ describe, it, expect }, () => createMemoryStore({ now: () => clock }), {
  name: 'memory store, injected clock',
  sleep: (ms) => {
    clock += ms;
  },
});

dedupeStoreContract({ describe, it, expect }, () => createMemoryStore(), {
  name: 'memory store, real clock',
  sleep: (ms) => sleep(ms),
  shortTtlMs: 30,
});
