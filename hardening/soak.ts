// Load and soak: each target runs alone in a child process (soak-child.ts, --expose-gc),
// autocannon (bench/'s dependency) sends unique signed deliveries over loopback, and the
// child reports its memory after a full GC before and after the measured run.
import { fork, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { HOOK_PATH } from '../conformance/driver.js';
import { SECRET } from '../conformance/signing.js';
import { aidellyBody } from './cases.js';
import type { ChildMessage, ParentMessage } from './soak-child.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const childSource = fileURLToPath(new URL('./soak-child.ts', import.meta.url));
const bundlePath = `${root}.tmp/hardening/soak-child.mjs`;

const alias = Object.fromEntries([
  // The adapters import '@hookproof/core/adapter': its own entry, not a path under core's index.ts.
  ['@hookproof/core/adapter', `${root}packages/core/src/adapter.ts`],
  ...['core', 'express', 'fastify', 'koa', 'mock-sender', 'redis'].map((p) => [`@hookproof/${p}`, `${root}packages/${p}/src/index.ts`]),
]);

let bundled: Promise<string> | undefined;

/** Bundles the child once per process: the workspace sources, as vitest's aliases map them. */
export function bundleChild(): Promise<string> {
  bundled ??= (async () => {
    mkdirSync(`${root}.tmp/hardening`, { recursive: true });
    await build({
      entryPoints: [childSource],
      outfile: bundlePath,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      alias,
      logLevel: 'error',
      // Bundled CommonJS dependencies still `require` Node's built-ins.
      banner: { js: "import { createRequire as __hpRequire } from 'node:module'; const require = __hpRequire(import.meta.url);" },
      // The sources resolve sibling folders from their own location (conformance/, hardening/
      // and the adapters' package.json): keep that location, one level below the repo root.
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(childSource).href) },
    });
    return bundlePath;
  })();
  return bundled;
}

export interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly storeSize: number;
  readonly handled: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

interface Child {
  readonly url: string;
  measure(): Promise<Memory>;
  exit(): Promise<void>;
}

async function startChild(target: string, storeMax: number): Promise<Child> {
  const file = await bundleChild();
  const child: ChildProcess = fork(file, [], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, SOAK_TARGET: target, SOAK_STORE_MAX: String(storeMax) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<ChildMessage>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`soak child for ${target} exited (${String(code)})`));
      child.once('exit', onExit);
      child.once('message', (m: ChildMessage) => {
        child.off('exit', onExit);
        if (m.kind === 'failed') reject(new Error(m.message));
        else resolve(m);
      });
    });
  const ready = await next();
  if (ready.kind !== 'ready') throw new Error(`unexpected ${ready.kind}`);
  const post = (m: ParentMessage) => child.send(m);
  return {
    url: ready.url,
    async measure() {
      const reply = next();
      post({ kind: 'measure' });
      const m = await reply;
      if (m.kind !== 'measured') throw new Error(`unexpected ${m.kind}`);
      return m;
    },
    async exit() {
      if (child.exitCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      post({ kind: 'exit' });
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(killer);
    },
  };
}

/** The part of autocannon's API used here (it ships no types). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonOptions {
  url: string;
  amount: number;
  connections: number;
  timeout?: number;
  requests: { setupRequest: (request: AutocannonRequest) => AutocannonRequest }[];
}
/** With a callback, autocannon returns the running instance, which emits per-response events. */
type Autocannon = (options: AutocannonOptions, done: (error: Error | null, result: AutocannonResult) => void) => { on(event: 'response', listener: () => void): void };

const autocannon = createRequire(new URL('../bench/package.json', import.meta.url))('autocannon') as Autocannon;

let sequence = 0;

/** Sends `amount` distinct, correctly signed Aidelly deliveries (node:crypto HMAC per body). */
export async function load(url: string, amount: number, connections = 8): Promise<LoadResult> {
  const started = performance.now();
  let lastResponse = started;
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        amount,
        connections,
        timeout: 10,
        requests: [
          {
            setupRequest(request) {
              const body = aidellyBody(`soak-${process.pid}-${sequence++}`);
              const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
              return { ...request, method: 'POST', path: HOOK_PATH, body, headers: { 'content-type': 'application/json', 'aidelly-signature': signature } };
            },
          },
        ],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    // autocannon's own duration is counted in whole-second ticks: too coarse for short runs.
    instance.on('response', () => {
      lastResponse = performance.now();
    });
  });
  return {
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    rps: Math.round(result.requests.total / ((lastResponse - started) / 1000)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

export interface SoakReport {
  readonly target: string;
  readonly deliveries: number;
  readonly before: Memory;
  readonly after: Memory;
  readonly load: LoadResult;
  readonly rssGrowthMiB: number;
  readonly heapGrowthMiB: number;
}

const MiB = 1024 * 1024;

/** Extra warm-up batches until RSS holds still: at most this many, of this many deliveries. */
const SETTLE_BATCHES = 4;
const SETTLE_DELIVERIES = 2_000;

/**
 * The first reading once RSS holds still (grew < 1 MiB over a batch). V8 sizes its young
 * generation by allocation throughput, and a faster server reached the bigger size only
 * after the warm-up at times: RSS then rose ~10 MiB in one step during the measured run
 * (heap in use flat), which is sizing, not a leak. A leak grows with every batch, so it
 * still shows, in the measured run and in the heap bound.
 */
async function settled(child: Child): Promise<Memory> {
  let last = await child.measure();
  for (let i = 0; i < SETTLE_BATCHES; i++) {
    await load(child.url, SETTLE_DELIVERIES);
    const now = await child.measure();
    const grew = now.rss - last.rss;
    last = now;
    if (grew < MiB) break;
  }
  return last;
}

/**
 * Warms the target up past the dedupe store's bound, measures, sends `deliveries` more,
 * measures again. Memory is read after a full GC in the child.
 */
export async function soak(target: string, options: { deliveries: number; warmup: number; storeMax: number }): Promise<SoakReport> {
  const child = await startChild(target, options.storeMax);
  try {
    await load(child.url, options.warmup);
    const before = await settled(child);
    const measured = await load(child.url, options.deliveries);
    const after = await child.measure();
    return {
      target,
      deliveries: options.deliveries,
      before,
      after,
      load: measured,
      rssGrowthMiB: Math.round(((after.rss - before.rss) / MiB) * 100) / 100,
      heapGrowthMiB: Math.round(((after.heapUsed - before.heapUsed) / MiB) * 100) / 100,
    };
  } finally {
    await child.exit();
  }
}
