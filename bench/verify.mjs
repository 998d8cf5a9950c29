// bench/verify: hookproof `verify` (with parse) against the bare node:crypto floor and
// against stripe, svix, standardwebhooks and @octokit/webhooks-methods, side by side in
// one run, at 1 KB and 64 KB. The printed ratios are the product; see README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { jsonBody } from './lib/body.mjs';
import { buildCases, checkCases } from './lib/cases.mjs';
import { comparisons, formatComparisons, formatRows, rowOf, withFloorRatio } from './lib/report.mjs';

const SIZES = [
  { label: '1 KB', bytes: 1024 },
  { label: '64 KB', bytes: 64 * 1024 },
];
// Per task: 1 s measured after 0.5 s of warm-up, at least 2,000 samples. With 13 rows
// at 2 sizes the whole bench takes about 40 s.
const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 1000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 500);

const results = { node: process.version, platform: `${process.platform}-${process.arch}`, date: new Date().toISOString(), sizes: [] };
const printed = [];

for (const size of SIZES) {
  const cases = buildCases(jsonBody(size.bytes));
  await checkCases(cases);
  const bench = new Bench({ time: TIME_MS, warmupTime: WARMUP_MS, warmupIterations: 200, iterations: 2000, throws: true });
  for (const [i, c] of cases.entries()) bench.add(`${i}`, c.fn);
  await bench.run();
  const rows = withFloorRatio(cases.map((c, i) => rowOf(c, bench.getTask(`${i}`))));
  const comps = comparisons(rows);
  const text = `${formatRows(`\n${size.label} body (${size.bytes} bytes)`, rows)}\n\n${formatComparisons(comps)}`;
  console.log(text);
  printed.push(text);
  results.sizes.push({ label: size.label, bytes: size.bytes, rows, comparisons: comps });
}

const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('verify.json', dir), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${process.version} ${results.platform}; ratios are ops/s over ops/s in this run. JSON: bench/results/verify.json`);
