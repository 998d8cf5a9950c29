// bench/dedupe: receiver throughput with the in-memory dedupe store against the Redis
// store (@hookproof/redis over ioredis), side by side in one run, as ratios.
// `receiver.receive()` is called in-process (no HTTP), so the ratio shows what the
// store costs, undiluted by a web framework: a new delivery pays two Redis round trips
// (claim, complete), a duplicate one (claim -> done).
// Redis: HOOKPROOF_REDIS_URL if set, else a redis-server from PATH on a free port
// (stopped at the end). Run after `pnpm build`: node bench/dedupe.mjs
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryStore, createReceiver } from '@hookproof/core';
import { createRedisStore } from '@hookproof/redis';
import { Redis } from 'ioredis';

const SECRET = 'whsec_bench-dedupe';
const N = Number(process.env.BENCH_DEDUPE_N ?? 4000); // deliveries per round
const ROUNDS = Number(process.env.BENCH_DEDUPE_ROUNDS ?? 5); // interleaved; medians are kept
const CONCURRENCY = [1, 64]; // deliveries in flight at once

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.on('error', () => resolve(false));
  });
}

async function redisUrl() {
  if (process.env.HOOKPROOF_REDIS_URL) return { url: process.env.HOOKPROOF_REDIS_URL, stop: async () => {} };
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  child.on('error', () => {});
  for (let i = 0; i < 100 && !(await ping(port)); i++) await sleep(50);
  if (!(await ping(port))) throw new Error('bench/dedupe: no Redis: set HOOKPROOF_REDIS_URL or put redis-server on PATH');
  return { url: `redis://127.0.0.1:${port}`, stop: async () => child.kill('SIGTERM') };
}

/** N signed Aidelly deliveries with distinct bodies (so distinct ids), signed with plain node:crypto. */
function deliveries(n) {
  return Array.from({ length: n }, (_, i) => {
    const body = JSON.stringify({
      event: 'post.published',
      workspace_id: 'ws_bench',
      brand_id: 'br_bench',
      data: { post_id: `post_${i}`, platform: 'linkedin', status: 'completed', published_at: '2026-02-18T17:30:00Z', platform_post_id: `urn:li:share:${i}` },
      created_at: '2026-02-18T17:30:02Z',
    });
    return { body, headers: { 'aidelly-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` } };
  });
}

/** Runs every delivery through `receiver` with `concurrency` in flight; returns ops/s. */
async function drive(receiver, list, concurrency, expectStatus) {
  let next = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (next < list.length) {
      const d = list[next++];
      const r = await receiver.receive(d);
      if (r.status !== 200 || (expectStatus === 'new') !== (r.body.ok === true)) {
        throw new Error(`bench/dedupe: unexpected ${r.status} ${JSON.stringify(r.body)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return list.length / (Number(process.hrtime.bigint() - start) / 1e9);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const redis = await redisUrl();
const client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000, lazyConnect: true });
await client.connect();
const list = deliveries(N);
const stores = {
  memory: () => createMemoryStore({ maxEntries: N * 2 }),
  redis: (round) => createRedisStore({ client, namespace: 'bench', prefix: `hookproof-bench:${process.pid}:${round}:` }),
};

const results = [];
try {
  // Warm-up: JIT, the connection, Redis' script cache.
  for (const make of Object.values(stores)) {
    const r = createReceiver({ vendor: 'aidelly', secret: SECRET, dedupe: make('warm') });
    r.onAny(() => {});
    await drive(r, list.slice(0, 500), 16, 'new');
  }
  for (const concurrency of CONCURRENCY) {
    const samples = { memory: { new: [], dup: [] }, redis: { new: [], dup: [] } };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, make] of Object.entries(stores)) {
        const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, dedupe: make(`${concurrency}-${round}`) });
        let handled = 0;
        receiver.onAny(() => {
          handled++;
        });
        samples[name].new.push(await drive(receiver, list, concurrency, 'new'));
        samples[name].dup.push(await drive(receiver, list, concurrency, 'duplicate'));
        if (handled !== N) throw new Error(`bench/dedupe: ${name} ran the handler ${handled} times for ${N} events`);
      }
    }
    for (const kind of ['new', 'dup']) {
      // Each round's ratio pairs two runs made seconds apart, so a noisy neighbour
      // shifts both; the spread of those ratios shows how steady the machine was.
      const ratios = samples.redis[kind].map((r, i) => r / samples.memory[kind][i]);
      results.push({
        concurrency,
        kind: kind === 'new' ? 'new delivery' : 'duplicate',
        memory: median(samples.memory[kind]),
        redis: median(samples.redis[kind]),
        ratio: median(ratios),
        spread: [Math.min(...ratios), Math.max(...ratios)],
      });
    }
  }
} finally {
  let cursor = '0';
  do {
    const [nextCursor, keys] = await client.scan(cursor, 'MATCH', `hookproof-bench:${process.pid}:*`, 'COUNT', 1000);
    if (keys.length > 0) await client.del(...keys);
    cursor = nextCursor;
  } while (cursor !== '0');
  await client.quit();
  await redis.stop();
}

const fmt = (x) => Math.round(x).toLocaleString('en-US').padStart(9);
console.log(`\nreceiver.receive() throughput, ${N} Aidelly deliveries per round, median of ${ROUNDS} interleaved rounds`);
console.log('in flight  workload        memory ops/s  Redis ops/s  Redis / memory (per-round range)');
for (const r of results) {
  const range = `${r.spread[0].toFixed(2)}-${r.spread[1].toFixed(2)}`;
  console.log(`${String(r.concurrency).padStart(9)}  ${r.kind.padEnd(14)} ${fmt(r.memory)}    ${fmt(r.redis)}      ${r.ratio.toFixed(2)}x (${range})`);
}
console.log(`\n${process.version} ${process.platform}-${process.arch}; Redis on loopback (${redis.url.replace(/\/\/.*@/, '//')}); ratios are ops/s over ops/s in this run.`);
