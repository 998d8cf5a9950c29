// Pools several bench/adapters runs into one table: one run's median moves by about
// ±0.03 on a small VM, so a ratio near a bar needs more rounds than one run holds.
// For a ratio of two servers of one group (one framework), every round of every run
// gives a ratio of two servers measured side by side, and the pooled value is the
// median of all of them. Across groups it is the ratio of the pooled req/s medians.
// Save each run's JSON first (every run overwrites bench/results/adapters.json):
//   node bench/adapters.mjs && cp bench/results/adapters.json bench/results/run1.json
//   ... run2.json, run3.json ...
//   node bench/adapters/pool.mjs bench/results/run*.json
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node bench/adapters/pool.mjs <adapters.json> [more.json ...]');
  process.exit(2);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const runs = files.map((file) => JSON.parse(readFileSync(file, 'utf8')));
const rowsOf = runs.map((run) => new Map(run.rows.map((row) => [row.name, row])));

/** Every (target, baseline) pair any run compared, first seen first. */
const comparisons = new Map();
for (const run of runs) for (const c of run.comparisons) if (!comparisons.has(`${c.target}|${c.baseline}`)) comparisons.set(`${c.target}|${c.baseline}`, c);

const pad = (s, n) => String(s).padStart(n);
console.log(`${files.length} run(s): ${files.join(', ')}\n`);
console.log(`${'ratio (req/s)'.padEnd(56)}${pad('pooled', 8)}${pad('n', 5)}${pad('CPU/req', 9)}  ${'per run'.padEnd(24)}gate`);
for (const { target, baseline, sameRound, gate } of comparisons.values()) {
  const ratios = [];
  const cpu = [];
  const perRun = [];
  const reqs = { target: [], baseline: [] };
  for (const rows of rowsOf) {
    const t = rows.get(target);
    const b = rows.get(baseline);
    if (t === undefined || b === undefined) continue;
    reqs.target.push(...t.rounds.map((r) => r.reqPerSec));
    reqs.baseline.push(...b.rounds.map((r) => r.reqPerSec));
    if (!sameRound) continue;
    // Same group: round i of the target ran next to round i of the baseline.
    const own = t.rounds.map((r, i) => r.reqPerSec / b.rounds[i].reqPerSec);
    ratios.push(...own);
    cpu.push(...t.rounds.map((r, i) => b.rounds[i].cpuUsPerReq / r.cpuUsPerReq));
    perRun.push(median(own).toFixed(2));
  }
  if (reqs.target.length === 0) continue;
  const pooled = sameRound ? median(ratios) : median(reqs.target) / median(reqs.baseline);
  const n = sameRound ? String(ratios.length) : 'med';
  const cpuRatio = sameRound ? `${median(cpu).toFixed(2)}x` : '';
  const verdict = gate === null || gate === undefined ? '' : `>= ${gate}x ${pooled >= gate ? 'PASS' : 'MISS'}`;
  console.log(`${`${target} / ${baseline}`.padEnd(56)}${pad(`${pooled.toFixed(2)}x`, 8)}${pad(n, 5)}${pad(cpuRatio, 9)}  ${perRun.join(' ').padEnd(24)}${verdict}`);
}
