// One case in its own worker thread: its own V8 isolate, so the JIT sees only this
// library's calls (as in an app that receives from one vendor) and no case slows
// another through shared inline caches. The main thread runs one worker at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { Bench } from 'tinybench';
import { jsonBody } from './body.mjs';
import { CASES, check as checkVerify } from './cases.mjs';
import { DIAGNOSE_CASES, check as checkDiagnose } from './diagnose-cases.mjs';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const { index, bytes, suite } = workerData;
// suite 'diagnose': the rows of diagnose-cases.mjs, checked by its own `check`.
const check = suite === 'diagnose' ? checkDiagnose : checkVerify;
const fn = suite === 'diagnose' ? await DIAGNOSE_CASES[index].make(bytes) : await CASES[index].make(jsonBody(bytes));
check(await fn()); // a case that does not verify its own input stops the bench here
const isAsync = fn() instanceof Promise;

// Each result is checked (the same cheap check for every case) and dropped.
function batch(size) {
  if (isAsync) {
    return async () => {
      const t0 = cpuMs();
      for (let i = 0; i < size; i++) check(await fn());
      return { overriddenDuration: cpuMs() - t0 };
    };
  }
  return () => {
    const t0 = cpuMs();
    for (let i = 0; i < size; i++) check(fn());
    return { overriddenDuration: cpuMs() - t0 };
  };
}

/** Calls per batch so that a batch takes about `ms`, after letting the JIT settle. */
async function calibrate(ms) {
  for (let i = 0; i < 200; i++) check(await fn());
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 30) {
    check(await fn());
    n++;
  }
  return Math.max(1, Math.round((ms * n) / (performance.now() - t0)));
}

let size = 1;
let task;
let warm = false;

const handlers = {
  async calibrate({ batchMs }) {
    size = await calibrate(batchMs);
    task = batch(size);
    return { size };
  },
  // CPU time per call, one value per batch.
  async round({ timeMs, warmupMs }) {
    const bench = new Bench({ time: timeMs, iterations: 5, warmup: !warm, warmupTime: warmupMs, warmupIterations: 5, throws: true });
    warm = true;
    bench.add('case', task);
    await bench.run();
    const { latency } = bench.getTask('case').result;
    return { perCallMs: latency.samples.map((ms) => ms / size) };
  },
  // Wall-clock latency of single calls, for the p99 column.
  async latency({ timeMs }) {
    const bench = new Bench({ time: timeMs, iterations: 50, warmup: false, throws: true });
    bench.add('case', fn);
    await bench.run();
    return { samplesMs: bench.getTask('case').result.latency.samples };
  },
};

parentPort.on('message', async (msg) => {
  try {
    parentPort.postMessage({ ok: true, ...(await handlers[msg.cmd](msg)) });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: error instanceof Error ? error.stack : String(error) });
  }
});
parentPort.postMessage({ ok: true, ready: true });
