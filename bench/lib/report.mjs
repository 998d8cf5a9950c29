// Turns round results into rows and ratios. A ratio is ops/s over ops/s of another row
// in the same round (the median over rounds is printed, with the range), so the
// machine's speed cancels out; absolute times only show the order of magnitude.

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function percentile(sorted, q) {
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

/** Ratio a/b of ops/s per round (means are ms per op, so ops ratio = b/a of the means). */
export function ratioOf(a, b) {
  const perRound = a.roundMeans.map((m, r) => b.roundMeans[r] / m);
  return { ratio: median(perRound), min: Math.min(...perRound), max: Math.max(...perRound) };
}

export function toRows(cases, results) {
  return cases.map((c, i) => {
    const { perCallMs, roundMeans, batchSize, latencyMs } = results[i];
    // Every batch has the same number of calls, so the mean over batches is the mean per call.
    const meanMs = perCallMs.reduce((s, x) => s + x, 0) / perCallMs.length;
    const wall = [...latencyMs].sort((a, b) => a - b);
    return {
      name: c.name,
      group: c.group,
      body: c.body,
      scheme: c.scheme,
      opsPerSec: 1000 / meanMs,
      meanUs: meanMs * 1000,
      p99Us: percentile(wall, 0.99) * 1000,
      calls: perCallMs.length * batchSize,
      roundMeans,
    };
  });
}

const find = (rows, group, body, scheme) =>
  rows.find((r) => r.group === group && r.body === body && (scheme === undefined || r.scheme === scheme));

/** `x floor`: each row against the floor fed the same body type (Buffer or string). */
export function withFloorRatio(rows) {
  return rows.map((r) => {
    const { ratio, min, max } = ratioOf(r, find(rows, 'floor', r.body));
    return { ...r, xFloor: ratio, xFloorMin: min, xFloorMax: max };
  });
}

/** The performance bar: verify+parse >= 0.9x floor, >= 1.2x stripe, >= 3x svix. */
const TARGETS = { floor: 0.9, stripe: 1.2, svix: 3 };
/** The built-in Standard Webhooks vendor on the very delivery svix and standardwebhooks verify: >= 2.5x svix. */
const STANDARD_TARGETS = { svix: 2.5 };

/**
 * hookproof against each other row, like with like: same body type, and the hookproof
 * vendor whose signed content matches (timestamp-signed anchors against Autoposting,
 * body-signed ones against Aidelly). The floor is compared with both vendors.
 */
export function comparisons(rows) {
  const out = [];
  for (const other of rows) {
    if (other.group.startsWith('hookproof')) continue;
    const schemes = other.group === 'floor' ? ['body', 'timestamp'] : [other.scheme];
    for (const scheme of schemes) {
      const hp = find(rows, 'hookproof', other.body, scheme);
      if (!hp) continue;
      const { ratio, min, max } = ratioOf(hp, other);
      const target = TARGETS[other.group];
      out.push({
        hookproof: hp.name,
        anchor: other.name,
        group: other.group,
        body: other.body,
        ratio,
        min,
        max,
        target: target ?? null,
        pass: target === undefined ? null : ratio >= target,
      });
    }
    if (other.group === 'svix' || other.group === 'standardwebhooks') {
      const sw = find(rows, 'hookproof-standard-webhooks', other.body);
      if (!sw) continue;
      const { ratio, min, max } = ratioOf(sw, other);
      const target = STANDARD_TARGETS[other.group];
      out.push({ hookproof: sw.name, anchor: other.name, group: other.group, body: other.body, ratio, min, max, target: target ?? null, pass: target === undefined ? null : ratio >= target });
    }
  }
  return out;
}

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtUs = (n) => (n < 100 ? n.toFixed(2) : n.toFixed(1));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const range = (min, max) => `${min.toFixed(2)}-${max.toFixed(2)}`;

export function formatRows(title, rows) {
  const w = Math.max(...rows.map((r) => r.name.length)) + 2;
  const lines = [
    title,
    `${pad('', w)}${pad('body', 7)}${lpad('ops/s', 10)}${lpad('mean us', 10)}${lpad('p99 us', 10)}${lpad('x floor', 9)}${lpad('rounds', 12)}`,
    `${pad('', w)}${pad('', 7)}${lpad('(cpu)', 10)}${lpad('(cpu)', 10)}${lpad('(wall)', 10)}`,
  ];
  for (const r of rows) {
    lines.push(
      `${pad(r.name, w)}${pad(r.body, 7)}${lpad(fmtInt(r.opsPerSec), 10)}${lpad(fmtUs(r.meanUs), 10)}${lpad(fmtUs(r.p99Us), 10)}${lpad(`${r.xFloor.toFixed(2)}x`, 9)}${lpad(range(r.xFloorMin, r.xFloorMax), 12)}`,
    );
  }
  return lines.join('\n');
}

export function formatComparisons(comps) {
  const lines = ['  hookproof vs (same body type, same kind of signed content), median of rounds [range]:'];
  for (const c of comps) {
    const verdict = c.target === null ? '    ' : c.pass ? 'ok  ' : 'MISS';
    const target = c.target === null ? '' : `  target >= ${c.target}x`;
    lines.push(`  ${verdict} ${lpad(c.ratio.toFixed(2), 5)}x [${range(c.min, c.max)}]  ${c.hookproof} vs ${c.anchor} [${c.body}]${target}`);
  }
  return lines.join('\n');
}
