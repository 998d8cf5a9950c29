// Slow bodies cost what they weigh (issue 15, item 15). Many connections each trickle a
// body one byte per TCP segment (Nagle off, a pause between bytes, so the server reads
// them one at a time); the server's memory after a full GC is read before and after the
// trickle, with every connection still open and every body still incomplete. The
// difference over the bytes received is what one received byte costs the server while it
// waits. Both body readers run: engine.readBody behind Express 5 (the reader Express,
// Fastify and Koa share) and handleWebhook's Fetch reader. Before the fix each byte cost
// hundreds of bytes (every chunk kept as its own Buffer); now the body is one buffer whose
// capacity doubles, a few bytes per byte received.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { createReceiver, type Receiver, type VendorRef } from '@hookproof/core';
import type { Mounted } from '../conformance/driver.js';
import { SECRET } from '../conformance/signing.js';
import { targets } from './targets.js';
import { exchange, serverReadProbe } from './wire.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const CONNECTIONS = 40;
const WARM_BYTES = 64; // sent before the first reading: the buffers' first allocations are per connection, not per byte
const TRICKLE_BYTES = 1200; // then sent one byte per segment, between the two readings
const DECLARED = 8192; // the content-length each request announces (never completed)
// Generous against the measured ~2-5 bytes per byte (doubling buffer) and far below the
// hundreds the chunk-per-Buffer readers cost.
const MAX_BYTES_PER_BYTE = 32;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function heldBytes(): Promise<number> {
  await sleep(50);
  gc();
  await sleep(10);
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** A barrier the connections' scripts wait on. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

const probe = serverReadProbe();
const measured: string[] = [];
afterAll(() => {
  probe.stop();
  console.log(`slow bodies, ${CONNECTIONS} connections x ${TRICKLE_BYTES} one-byte segments:\n${measured.join('\n')}`);
});

for (const name of ['express@5', 'fetch (handleWebhook)']) {
  const driver = targets.find((t) => t.name === name)!;
  describe(`a body trickled one byte per segment, through ${name}`, () => {
    it(`costs at most ${MAX_BYTES_PER_BYTE} bytes of server memory per byte received while it waits`, async () => {
      const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, bodyTimeoutMs: 120_000 });
      const app: Mounted = await driver.mount({ webhook: { receiver: receiver as unknown as Receiver<VendorRef> } });
      const url = await app.listen();
      try {
        const warmed = gate();
        const go = gate();
        const trickled = gate();
        const release = gate();
        let ready = 0;
        let done = 0;
        const head = `POST /hooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAidelly-Signature: sha256=${'0'.repeat(64)}\r\nContent-Length: ${DECLARED}\r\n\r\n`;
        const runs = Array.from({ length: CONNECTIONS }, () =>
          exchange(
            url,
            async (s) => {
              await s.write(head);
              for (let i = 0; i < WARM_BYTES; i++) {
                await s.write('{');
                await s.sleep(1);
              }
              if (++ready === CONNECTIONS) warmed.open();
              await go.wait;
              for (let i = 0; i < TRICKLE_BYTES; i++) {
                await s.write('x');
                await s.sleep(1);
              }
              if (++done === CONNECTIONS) trickled.open();
              await release.wait;
              s.end();
            },
            { timeoutMs: 60_000 },
          ),
        );
        await warmed.wait;
        const before = await heldBytes();
        probe.reset();
        go.open();
        await trickled.wait;
        const after = await heldBytes();
        const received = probe.bytes;
        release.open();
        const exchanges = await Promise.all(runs);

        expect(received).toBeGreaterThanOrEqual(CONNECTIONS * TRICKLE_BYTES);
        const perByte = (after - before) / received;
        measured.push(`  ${name}: ${perByte.toFixed(1)} bytes held per byte received (${((after - before) / 1024).toFixed(0)} KiB for ${received} bytes)`);
        expect(perByte).toBeLessThan(MAX_BYTES_PER_BYTE);
        // The bodies ended short of their content-length: each got an answer, none was lost in the server.
        for (const e of exchanges) expect(e.timedOut).toBe(false);
      } finally {
        await app.close();
      }
    });
  });
}
