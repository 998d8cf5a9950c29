// The server side of the soak (soak.test.ts): one target mounted in receiver mode, in its
// own process started with --expose-gc, so its memory is measured alone and after a full
// collection. The parent drives load over loopback and asks for measurements over IPC.
// Bundled with esbuild (soak.ts) because Node 20 cannot run TypeScript.
import { createMemoryStore, createReceiver, type Receiver, type VendorRef } from '@hookproof/core';
import { SECRET } from '../conformance/signing.js';
import { targets } from './targets.js';

export type ParentMessage = { readonly kind: 'measure' } | { readonly kind: 'exit' };
export type ChildMessage =
  | { readonly kind: 'ready'; readonly url: string }
  | { readonly kind: 'measured'; readonly rss: number; readonly heapUsed: number; readonly external: number; readonly storeSize: number; readonly handled: number }
  | { readonly kind: 'failed'; readonly message: string };

declare const gc: (() => void) | undefined;

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const name = process.env['SOAK_TARGET'];
  const driver = targets.find((t) => t.name === name);
  if (driver === undefined) throw new Error(`unknown target ${String(name)}`);
  const store = createMemoryStore({ maxEntries: Number(process.env['SOAK_STORE_MAX'] ?? 10_000) });
  let handled = 0;
  const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, dedupe: store }).onAny(() => {
    handled++;
  });
  const app = await driver.mount({ webhook: { receiver: receiver as unknown as Receiver<VendorRef> } });
  const url = await app.listen();

  process.on('message', (message: ParentMessage) => {
    if (message.kind === 'measure') {
      if (typeof gc !== 'function') {
        send({ kind: 'failed', message: 'run with --expose-gc' });
        return;
      }
      // Several passes: the first frees objects whose finalizers release more.
      for (let i = 0; i < 4; i++) gc();
      const m = process.memoryUsage();
      send({ kind: 'measured', rss: m.rss, heapUsed: m.heapUsed, external: m.external, storeSize: store.size, handled });
    } else if (message.kind === 'exit') {
      void app.close().finally(() => process.exit(0));
    }
  });
  send({ kind: 'ready', url });
}

main().catch((error: unknown) => {
  send({ kind: 'failed', message: error instanceof Error ? error.stack ?? error.message : String(error) });
  process.exit(1);
});
