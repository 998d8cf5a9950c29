// Turns tinybench results into rows and ratios. Ratios are ops/s over ops/s of a row
// measured in the same run, so the machine's speed cancels out; absolute times are
// printed only to show the order of magnitude.

/** ops/s from the mean latency (tinybench's `throughput.mean` averages 1/sample, which over-weights fast samples). */
export function rowOf(c, task) {
  const r = task.result;
  if (!r || r.error) throw r?.error ?? new Error(`${c.name}: no result`);
  return {
    name: c.name,
    group: c.group,
    body: c.body,
    scheme: c.scheme,
    opsPerSec: 1000 / r.latency.mean,
    meanUs: r.latency.mean * 1000,
    p99Us: r.latency.p99 * 1000,
    rmePct: r.latency.rme,
    samples: r.latency.samples.length,
  };
}

const find = (rows, group, body, scheme) =>
  rows.find((r) => r.group === group && r.body === body && (scheme === undefined || r.scheme === scheme));

/** `x floor`: each row against the floor fed the same body type (Buffer or string). */
export function withFloorRatio(rows) {
  return rows.map((r) => ({ ...r, xFloor: r.opsPerSec / find(rows, 'floor', r.body).opsPerSec }));
}

/** DESIGN.md "Quality bars": verify+parse >= 0.9x floor, >= 1.2x stripe, >= 3x svix. */
const TARGETS = { floor: 0.9, stripe: 1.2, svix: 3 };

/**
 * hookproof against each other row, like with like: same body type, and the hookproof
 * vendor whose signed content matches (timestamp-signed anchors against Autoposting,
 * body-signed ones against Aidelly). The floor is compared with both vendors.
 */
export function comparisons(rows) {
  const out = [];
  for (const other of rows) {
    if (other.group === 'hookproof') continue;
    const schemes = other.group === 'floor' ? ['body', 'timestamp'] : [other.scheme];
    for (const scheme of schemes) {
      const hp = find(rows, 'hookproof', other.body, scheme);
      if (!hp) continue;
      const ratio = hp.opsPerSec / other.opsPerSec;
      const min = TARGETS[other.group];
      out.push({
        hookproof: hp.name,
        anchor: other.name,
        group: other.group,
        body: other.body,
        ratio,
        target: min ?? null,
        pass: min === undefined ? null : ratio >= min,
      });
    }
  }
  return out;
}

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtUs = (n) => (n < 100 ? n.toFixed(2) : n.toFixed(1));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

export function formatRows(title, rows) {
  const w = Math.max(...rows.map((r) => r.name.length)) + 2;
  const lines = [
    title,
    `${pad('', w)}${pad('body', 7)}${lpad('ops/s', 10)}${lpad('mean us', 10)}${lpad('p99 us', 10)}${lpad('rme %', 7)}${lpad('x floor', 9)}`,
  ];
  for (const r of rows) {
    lines.push(
      `${pad(r.name, w)}${pad(r.body, 7)}${lpad(fmtInt(r.opsPerSec), 10)}${lpad(fmtUs(r.meanUs), 10)}${lpad(fmtUs(r.p99Us), 10)}${lpad(r.rmePct.toFixed(1), 7)}${lpad(`${r.xFloor.toFixed(2)}x`, 9)}`,
    );
  }
  return lines.join('\n');
}

export function formatComparisons(comps) {
  const lines = ['  hookproof vs (same body type, same kind of signed content):'];
  for (const c of comps) {
    const verdict = c.target === null ? '    ' : c.pass ? 'ok  ' : 'MISS';
    const target = c.target === null ? '' : ` (target >= ${c.target}x)`;
    lines.push(`  ${verdict} ${lpad(c.ratio.toFixed(2), 6)}x  ${c.hookproof} vs ${c.anchor} [${c.body}]${target}`);
  }
  return lines.join('\n');
}
