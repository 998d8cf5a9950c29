// Core's default (Web Crypto) build, bundled for an edge runtime: it must stay free of
// Node modules, tree-shake, and stay within a size budget. Bytes, not time.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../scripts/lib/workspace.mjs';

type Row = { import: string; minified: number; gzip: number; brotli: number };

describe('@hookproof/core bundle size (pnpm size)', () => {
  it('bundles for the browser platform, tree-shakes, and stays under budget', () => {
    // size.mjs exits non-zero if the bundle references a node: module.
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'size.mjs'), '--json'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Row[];
    const full = rows.find((x) => x.import === 'full import')!;
    const verifyOnly = rows.find((x) => x.import === '`verify` only')!;
    for (const row of rows) {
      expect(row.gzip).toBeGreaterThan(1000);
      expect(row.gzip).toBeLessThan(row.minified);
    }
    expect(verifyOnly.minified).toBeLessThan(full.minified);
    // Budgets with headroom over the measured sizes (docs/frameworks/fetch.md). What an edge
    // receiver imports (verify, handleWebhook) matters most; the full import includes helpers
    // a bundle tree-shakes away.
    const fetchOnly = rows.find((x) => x.import === '`handleWebhook` only')!;
    // +4 KiB each since signing schemes: the scheme module (templates, header syntax, secret
    // encodings, every hash) and the built-in Standard Webhooks profile with its cited notes.
    // Recipes are their own entry point (@hookproof/core/recipes) and add nothing here.
    // 17 KiB since verify validates its options through the one options table (did-you-mean).
    expect(verifyOnly.gzip).toBeLessThan(17 * 1024);
    // 16 KiB since the profiles carry cited provenance notes and handleWebhook warns on inline options (+1.9 KiB); 21 KiB with schemes;
    // 25 KiB since handleWebhook runs the one delivery pipeline (several vendors, 'auto', secret maps, the options table with
    // its did-you-mean, the shared body reader and clock). Most of the growth is data every profile carries (provenance notes):
    // moving them out of the runtime profiles is the next size step.
    // 26 KiB (full: 32) since a receiver can hand deliveries to a durable queue (`queue`, docs/durable.md: +1 KiB).
    // 29 KiB (full: 35) since every delivery is published on the diagnostics channel, failures are logged by
    // default and handlers get a context (docs/observability.md: +1.3 KiB).
    expect(fetchOnly.gzip).toBeLessThan(29 * 1024);
    expect(full.gzip).toBeLessThan(35 * 1024);
  });
});
