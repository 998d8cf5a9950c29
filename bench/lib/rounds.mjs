// How the cases are timed, so that ratios hold still on a busy machine (CI runner,
// laptop with other work) and no case disturbs another:
// - One worker thread per case (lib/worker.mjs), driven one at a time from here.
// - CPU time, not wall time: a tinybench sample is a batch of about 1 ms of calls
//   timed with process.cpuUsage(), so time spent descheduled never counts, while GC
//   and microtask work of the calls do. Only the active worker uses CPU meanwhile.
// - Interleaved rounds: each case runs a short slice per round, in a rotated order,
//   and a ratio is taken within a round, where the two rows ran close together.
// The p99 column comes from a final short pass of single calls in wall time.
import { Worker } from 'node:worker_threads';

function start(index, bytes, suite) {
  const worker = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: { index, bytes, suite } });
  const replies = [];
  const waiting = [];
  const settle = (msg) => (waiting.length > 0 ? waiting.shift()(msg) : replies.push(msg));
  worker.on('message', settle);
  worker.on('error', (error) => settle({ ok: false, error: error.stack }));
  const next = () => new Promise((resolve) => (replies.length > 0 ? resolve(replies.shift()) : waiting.push(resolve)));
  const ask = async (msg) => {
    if (msg !== undefined) worker.postMessage(msg);
    const reply = await next();
    if (!reply.ok) throw new Error(`case ${index}: ${reply.error}`);
    return reply;
  };
  return { ask, stop: () => worker.terminate() };
}

/**
 * @param {unknown[]} cases rows of CASES, in order
 * @param {number} bytes body size
 * @param {{ rounds: number, timeMs: number, warmupMs: number, batchMs: number, latencyMs: number }} opts timeMs per case over all rounds
 * @param {'verify' | 'diagnose'} [suite] which table `cases` index into (cases.mjs or diagnose-cases.mjs)
 */
export async function runCases(cases, bytes, { rounds, timeMs, warmupMs, batchMs, latencyMs }, suite = 'verify') {
  const workers = cases.map((c) => start(c.index, bytes, suite));
  try {
    for (const w of workers) await w.ask(); // loaded and checked
    const sizes = [];
    for (const w of workers) sizes.push((await w.ask({ cmd: 'calibrate', batchMs })).size);
    const out = cases.map((_, i) => ({ perCallMs: [], roundMeans: [], batchSize: sizes[i] }));
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < cases.length; k++) {
        const i = (k + r) % cases.length; // rotated, so no case always runs first
        const { perCallMs } = await workers[i].ask({ cmd: 'round', timeMs: timeMs / rounds, warmupMs });
        out[i].perCallMs.push(...perCallMs);
        out[i].roundMeans.push(perCallMs.reduce((s, x) => s + x, 0) / perCallMs.length);
      }
    }
    for (const [i, w] of workers.entries()) out[i].latencyMs = (await w.ask({ cmd: 'latency', timeMs: latencyMs })).samplesMs;
    return out;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}
