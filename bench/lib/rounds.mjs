// How the cases are timed. Two choices keep ratios steady on a busy machine (a CI
// runner, a laptop with other work):
// - CPU time, not wall time: each tinybench sample is a batch of about 1 ms of calls,
//   timed with process.cpuUsage(), so time spent descheduled never counts, while GC
//   and microtask work of the calls do. Per-call figures divide by the batch size.
// - Interleaved rounds: every case runs a short slice per round, in a rotated order,
//   and a ratio is taken within a round, where the two rows ran close together.
// The p99 column comes from a separate short pass of single calls in wall time.
import { Bench } from 'tinybench';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Calls per batch so that a batch takes about `targetMs` (at least 1). */
async function batchSize(fn, targetMs) {
  for (let i = 0; i < 50; i++) await fn(); // let the JIT settle before timing
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 20) {
    await fn();
    n++;
  }
  return Math.max(1, Math.round((targetMs * n) / (performance.now() - t0)));
}

function batched(fn, size, isAsync) {
  if (isAsync) {
    return async () => {
      const t0 = cpuMs();
      for (let i = 0; i < size; i++) await fn();
      return { overriddenDuration: cpuMs() - t0 };
    };
  }
  return () => {
    const t0 = cpuMs();
    for (let i = 0; i < size; i++) fn();
    return { overriddenDuration: cpuMs() - t0 };
  };
}

/**
 * @param {{ fn: () => unknown }[]} cases
 * @param {{ rounds: number, timeMs: number, warmupMs: number, batchMs: number }} opts timeMs per case over all rounds
 * @returns {Promise<{ batchMeansMs: number[], roundMeans: number[], batchSize: number }[]>}
 */
export async function runRounds(cases, { rounds, timeMs, warmupMs, batchMs }) {
  const tasks = [];
  for (const c of cases) {
    const isAsync = c.fn() instanceof Promise;
    const size = await batchSize(c.fn, batchMs);
    tasks.push({ fn: batched(c.fn, size, isAsync), size });
  }
  const out = tasks.map((t) => ({ batchMeansMs: [], roundMeans: [], batchSize: t.size }));
  for (let r = 0; r < rounds; r++) {
    const bench = new Bench({ time: timeMs / rounds, iterations: 5, warmup: r === 0, warmupTime: warmupMs, warmupIterations: 5, throws: true });
    const order = cases.map((_, i) => (i + r) % cases.length);
    for (const i of order) bench.add(String(i), tasks[i].fn);
    await bench.run();
    for (const i of order) {
      const result = bench.getTask(String(i)).result;
      if (!result || result.error) throw result?.error ?? new Error(`case ${i}: no result`);
      const size = tasks[i].size;
      out[i].batchMeansMs.push(...result.latency.samples.map((ms) => ms / size));
      out[i].roundMeans.push(result.latency.mean / size);
    }
  }
  return out;
}

/** Per-call wall-clock latencies (ms) from a short pass of single calls, for the p99 column. */
export async function runLatency(cases, timeMs) {
  const bench = new Bench({ time: timeMs, iterations: 50, warmup: false, throws: true });
  cases.forEach((c, i) => bench.add(String(i), c.fn));
  await bench.run();
  return cases.map((_, i) => bench.getTask(String(i)).result.latency.samples);
}
