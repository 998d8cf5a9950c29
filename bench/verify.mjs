// bench/verify: hookproof `verify` (with parse) against the bare node:crypto floor and
// against stripe, svix, standardwebhooks and @octokit/webhooks-methods, side by side in
// one run, at 1 KB and 64 KB. The printed ratios are the product; see README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { CASES } from './lib/cases.mjs';
import { DIAGNOSE_CASES } from './lib/diagnose-cases.mjs';
import { comparisons, formatComparisons, formatRows, ratioOf, toRows, withFloorRatio } from './lib/report.mjs';
import { runCases } from './lib/rounds.mjs';

const SIZES = [
  { label: '1 KB', bytes: 1024 },
  { label: '64 KB', bytes: 64 * 1024 },
];
// Per case and size: 1.5 s of 1 ms batches in 15 interleaved rounds after 0.3 s of
// warm-up, then 0.15 s of single calls for p99. 13 cases at 2 sizes: about a minute.
const opts = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 15),
  timeMs: Number(process.env.BENCH_TIME_MS ?? 1500),
  warmupMs: Number(process.env.BENCH_WARMUP_MS ?? 300),
  batchMs: Number(process.env.BENCH_BATCH_MS ?? 1),
  latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 150),
};
// BENCH_ONLY=hookproof|stripe keeps the floor plus the groups matching the regex.
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const cases = CASES.map((c, index) => ({ ...c, index })).filter((c) => only === undefined || c.group === 'floor' || only.test(c.group));

const results = { node: process.version, platform: `${process.platform}-${process.arch}`, date: new Date().toISOString(), ...opts, sizes: [] };

for (const size of SIZES) {
  const rows = withFloorRatio(toRows(cases, await runCases(cases, size.bytes, opts)));
  const comps = comparisons(rows);
  console.log(`${formatRows(`\n${size.label} body (${size.bytes} bytes)`, rows)}\n\n${formatComparisons(comps)}`);
  results.sizes.push({ label: size.label, bytes: size.bytes, rows: rows.map(({ roundMeans, ...r }) => ({ ...r, roundMeansMs: roundMeans })), comparisons: comps });
}

// diagnose() against verify() on the same failed delivery (lib/diagnose-cases.mjs): a
// multiple of verify, bounded on hostile input (issue 15, item 14: at most ~10x).
const DIAGNOSE_SIZES = [
  { label: '1 KB', bytes: 1024 },
  { label: '1 MiB', bytes: 1024 * 1024 },
];
const DIAGNOSE_BAR = 10;
if (only === undefined || only.test('diagnose')) {
  results.diagnose = [];
  const dcases = DIAGNOSE_CASES.map((c, index) => ({ ...c, index }));
  for (const size of DIAGNOSE_SIZES) {
    const rows = toRows(dcases, await runCases(dcases, size.bytes, opts, 'diagnose'));
    const lines = [`\ndiagnose() / verify() on the same failed delivery, ${size.label} body (${size.bytes} bytes): cost of diagnose as a multiple of verify, median of rounds [range]`];
    for (const r of rows) lines.push(`  ${r.name.padEnd(48)}${r.meanUs.toFixed(1).padStart(12)} us (cpu)`);
    const ratios = [];
    for (const d of rows.filter((r) => r.group === 'diagnose')) {
      const v = rows.find((r) => r.group === 'verify' && r.body === d.body);
      // ratioOf(a, b) is ops(a)/ops(b); verify over diagnose is how many verify calls one diagnose costs.
      const { ratio, min, max } = ratioOf(v, d);
      const pass = ratio <= DIAGNOSE_BAR;
      lines.push(`  ${pass ? 'ok  ' : 'MISS'} ${ratio.toFixed(1).padStart(5)}x [${min.toFixed(1)}-${max.toFixed(1)}]  diagnose / verify, ${d.body} body  target <= ${DIAGNOSE_BAR}x`);
      ratios.push({ body: d.body, ratio, min, max, target: DIAGNOSE_BAR, pass });
    }
    console.log(lines.join('\n'));
    results.diagnose.push({ label: size.label, bytes: size.bytes, rows: rows.map(({ roundMeans, ...r }) => ({ ...r, roundMeansMs: roundMeans })), ratios });
  }
}

const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('verify.json', dir), `${JSON.stringify(results, null, 2)}\n`);
console.log(
  `\n${process.version} ${results.platform}. Each case in its own worker; ${opts.rounds} rounds x ${opts.timeMs / opts.rounds} ms of ${opts.batchMs} ms batches in CPU time.\nRatios: ops/s over ops/s within a round, median [range] over rounds. JSON: bench/results/verify.json`,
);
