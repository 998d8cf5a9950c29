// Load and leaks per target: distinct signed deliveries through autocannon over loopback,
// with the default in-memory dedupe store filled to its bound before measuring. CI runs
// a short budget (8 000 deliveries, store bound 1 000); `pnpm soak` runs 100 000 per
// target (bound 10 000). Growth bounds: RSS < 10 MiB, and V8 heap in proportion to the
// run (10 MiB per 100 000 deliveries, plus 1 MiB for measurement noise).
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { soak, type SoakReport } from './soak.js';
import { targets } from './targets.js';

const deliveries = Number(process.env['HARDENING_SOAK_DELIVERIES'] ?? 8_000);
const long = deliveries >= 50_000;
const storeMax = long ? 10_000 : 1_000;
// Long enough for V8 to settle its heap sizing (young generation included) before the first reading.
const warmup = long ? 20_000 : 6_000;
const reports: SoakReport[] = [];

afterAll(() => {
  if (process.env['HARDENING_SOAK_REPORT']) writeFileSync(process.env['HARDENING_SOAK_REPORT'], JSON.stringify(reports, null, 1));
  for (const r of reports) {
    console.log(
      `${r.target.padEnd(38)} ${r.deliveries} deliveries  RSS ${(r.before.rss / 2 ** 20).toFixed(1)} -> ${(r.after.rss / 2 ** 20).toFixed(1)} MiB (${r.rssGrowthMiB >= 0 ? '+' : ''}${r.rssGrowthMiB})  heap ${r.heapGrowthMiB >= 0 ? '+' : ''}${r.heapGrowthMiB} MiB  ${r.load.rps} req/s  p50 ${r.load.p50} ms  p99 ${r.load.p99} ms  store ${r.after.storeSize}`,
    );
  }
});

describe(`soak: ${deliveries} distinct deliveries per target after ${warmup} warm-up, dedupe store bound ${storeMax}`, () => {
  for (const target of targets) {
    it(`${target.name}: every delivery acknowledged and processed once, memory bounded`, { timeout: long ? 900_000 : 120_000 }, async () => {
      const report = await soak(target.name, { deliveries, warmup, storeMax });
      reports.push(report);
      expect(report.load.requests).toBe(deliveries);
      expect([report.load.non2xx, report.load.errors, report.load.timeouts]).toEqual([0, 0, 0]);
      // Each distinct delivery ran the handler exactly once before its 200.
      expect(report.after.handled - report.before.handled).toBe(deliveries);
      // The default store stays at its bound instead of growing with traffic.
      expect(report.before.storeSize).toBe(storeMax);
      expect(report.after.storeSize).toBe(storeMax);
      expect(report.rssGrowthMiB).toBeLessThan(10);
      expect(report.heapGrowthMiB).toBeLessThan(1 + (10 * deliveries) / 100_000);
    });
  }
});
