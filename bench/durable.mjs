// bench/durable: acknowledgements per second through Express with @hookproof/bullmq's
// queue against a hand-written floor (raw body, HMAC, JSON.parse, queue.add with the same
// job options), side by side in interleaved rounds, as a ratio; p50/p99 of the
// acknowledgement; then worker throughput of startWorker against a bare BullMQ worker
// running the same handler on the same number of jobs.
// Redis: HOOKPROOF_REDIS_URL if set, else a redis-server from PATH on a free port
// (stopped at the end). Run after `pnpm build`: node bench/durable.mjs
import { spawn } from 'node:child_process';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createConnection, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { Queue, Worker } from 'bullmq';
import { createReceiver } from '@hookproof/core';
import { webhook } from '@hookproof/express';
import { bullmqQueue, jobIdFor, startWorker } from '@hookproof/bullmq';

const SECRET = 'whsec_bench-durable';
const N = Number(process.env.BENCH_DURABLE_N ?? 1000); // deliveries per round and side
const ROUNDS = Number(process.env.BENCH_DURABLE_ROUNDS ?? 9); // interleaved; totals and medians kept
const CONCURRENCY = Number(process.env.BENCH_DURABLE_CONCURRENCY ?? 32); // requests in flight
const WORKER_CONCURRENCY = 16;
// The job options bullmqQueue uses by default, for the floor's queue.add.
const JOB_OPTIONS = { attempts: 5, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: { age: 86_400 }, removeOnFail: false };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function ping(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.on('error', () => resolve(false));
  });
}

async function redis() {
  if (process.env.HOOKPROOF_REDIS_URL) {
    const u = new URL(process.env.HOOKPROOF_REDIS_URL);
    return { connection: { host: u.hostname, port: Number(u.port || 6379) }, stop: async () => {} };
  }
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  child.on('error', () => {});
  for (let i = 0; i < 100 && !(await ping(port)); i++) await sleep(50);
  if (!(await ping(port))) throw new Error('bench/durable: no Redis: set HOOKPROOF_REDIS_URL or put redis-server on PATH');
  return { connection: { host: '127.0.0.1', port }, stop: async () => child.kill('SIGTERM') };
}

/** Signed Aidelly deliveries with distinct bodies (so distinct event ids), signed with plain node:crypto. */
function deliveries(n, tag) {
  return Array.from({ length: n }, (_, i) => {
    const body = JSON.stringify({
      event: 'post.published',
      workspace_id: 'ws_bench',
      brand_id: 'br_bench',
      data: { post_id: `post_${tag}_${i}`, platform: 'linkedin', status: 'completed', published_at: '2026-02-18T17:30:00Z', platform_post_id: `urn:li:share:${tag}${i}` },
      created_at: '2026-02-18T17:30:02Z',
    });
    return { body, signature: `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` };
  });
}

function listen(app) {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** POSTs every delivery with `CONCURRENCY` in flight over keep-alive; returns acks/s and per-ack latencies. */
async function drive(port, list) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = new Float64Array(list.length);
  let next = 0;
  const post = (d) =>
    new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = request({ host: '127.0.0.1', port, path: '/hooks', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(d.body), 'aidelly-signature': d.signature } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 202 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`bench/durable: status ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(d.body);
    });
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < list.length) {
      const i = next++;
      latencies[i] = await post(list[i]);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  return { perSecond: list.length / seconds, latencies: [...latencies] };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The handler both workers run: parse the verified bytes and do nothing else. */
const handler = (payload) => payload.data.post_id.length;

async function main() {
  const { connection, stop } = await redis();
  const run = `bench-durable-${process.pid}`;

  // Ours: a receiver with the queue, behind @hookproof/express (default in-memory dedupe store).
  const ourQueue = bullmqQueue({ connection, name: `${run}-ours`, onWarning: () => {} });
  const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, queue: ourQueue });
  receiver.onAny((event) => handler(event.payload));
  const ours = express();
  ours.post('/hooks', webhook(receiver));

  // The floor: what a careful hand-written Express route does, with the same job options.
  const floorQueue = new Queue(`${run}-floor`, { connection });
  floorQueue.on('error', () => {});
  const floor = express();
  floor.post('/hooks', express.raw({ type: '*/*', limit: '1mb' }), async (req, res) => {
    const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(req.body).digest('hex')}`);
    const got = Buffer.from(req.get('aidelly-signature') ?? '');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return void res.status(401).end();
    const raw = req.body.toString('utf8');
    const payload = JSON.parse(raw);
    const id = `sha256:${createHash('sha256').update(req.body).digest('hex').slice(0, 32)}`;
    try {
      await floorQueue.add(payload.event, { vendor: 'aidelly', id, type: payload.event, raw, headers: { 'aidelly-signature': req.get('aidelly-signature') }, receivedAt: Date.now() }, { ...JOB_OPTIONS, jobId: jobIdFor('aidelly', id) });
    } catch {
      return void res.status(503).end();
    }
    res.status(202).json({ ok: true, queued: true, id, type: payload.event });
  });

  const [oursServer, floorServer] = [await listen(ours), await listen(floor)];
  const sides = { floor: floorServer.address().port, ours: oursServer.address().port };
  // Warm-up (JIT, connections), not counted.
  await drive(sides.floor, deliveries(300, 'warm-floor'));
  await drive(sides.ours, deliveries(300, 'warm-ours'));

  const rates = { floor: [], ours: [] };
  const latencies = { floor: [], ours: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['floor', 'ours'] : ['ours', 'floor'];
    for (const side of order) {
      const result = await drive(sides[side], deliveries(N, `${side}${round}`));
      rates[side].push(result.perSecond);
      latencies[side].push(...result.latencies);
    }
  }
  oursServer.close();
  floorServer.close();
  await ourQueue.close();

  const acks = {};
  for (const side of ['floor', 'ours']) {
    const sorted = latencies[side].sort((a, b) => a - b);
    acks[side] = { perSecond: median(rates[side]), p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
  }
  console.log(`\nAcknowledgements through Express, ${ROUNDS} interleaved rounds of ${N} distinct deliveries each, ${CONCURRENCY} in flight (median round):`);
  console.log('| side | acks/s | p50 ack ms | p99 ack ms |\n|---|---|---|---|');
  console.log(`| floor (raw body, HMAC, JSON.parse, queue.add) | ${acks.floor.perSecond.toFixed(0)} | ${acks.floor.p50.toFixed(2)} | ${acks.floor.p99.toFixed(2)} |`);
  console.log(`| @hookproof/express + bullmqQueue | ${acks.ours.perSecond.toFixed(0)} | ${acks.ours.p50.toFixed(2)} | ${acks.ours.p99.toFixed(2)} |`);
  // Each round's two sides ran back to back: the median of the per-round ratios is the least
  // disturbed by the machine's load drifting over the run.
  const ackRatio = median(rates.ours.map((rate, i) => rate / rates.floor[i]));
  console.log(`ratio ours/floor: ${ackRatio.toFixed(2)}x, median of the ${ROUNDS} rounds' ratios (target >= 0.9x); per round: ${rates.ours.map((rate, i) => (rate / rates.floor[i]).toFixed(2)).join(' ')}`);

  // Workers: interleaved rounds; before each, the same number of identical jobs is added to
  // both queues (not timed), then each side's worker drains its queue: same handler, same concurrency.
  const inspect = new Queue(`${run}-ours`, { connection });
  inspect.on('error', () => {});
  const batch = (round) => deliveries(N, `w${round}`).map((d) => {
    const id = `sha256:${createHash('sha256').update(d.body).digest('hex').slice(0, 32)}`;
    const data = { vendor: 'aidelly', id, idSource: 'body-digest', type: 'post.published', documented: true, raw: d.body, headers: { 'aidelly-signature': d.signature }, receivedAt: Date.now() };
    return { name: 'post.published', data, opts: { ...JOB_OPTIONS, jobId: jobIdFor('aidelly', id) } };
  });
  const drain = async (queue, start) => {
    const before = await queue.getCompletedCount();
    const t0 = process.hrtime.bigint();
    const worker = start();
    while ((await queue.getCompletedCount()) - before < N) await sleep(10);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await worker.close();
    return N / seconds;
  };
  const workerRates = { bare: [], ours: [] };
  await inspect.obliterate({ force: true });
  await floorQueue.obliterate({ force: true });
  for (let round = 0; round < ROUNDS; round++) {
    const jobs = batch(round);
    await inspect.addBulk(jobs);
    await floorQueue.addBulk(jobs);
    const order = round % 2 === 0 ? ['bare', 'ours'] : ['ours', 'bare'];
    for (const side of order) {
      workerRates[side].push(side === 'bare'
        ? await drain(floorQueue, () => {
          const w = new Worker(`${run}-floor`, async (job) => void handler(JSON.parse(job.data.raw)), { connection, concurrency: WORKER_CONCURRENCY });
          w.on('error', () => {});
          return w;
        })
        : await drain(inspect, () => startWorker(receiver, { connection, name: `${run}-ours`, concurrency: WORKER_CONCURRENCY })));
    }
  }
  const bareRate = median(workerRates.bare);
  const ourRate = median(workerRates.ours);
  const workerRatio = median(workerRates.ours.map((rate, i) => rate / workerRates.bare[i]));
  console.log(`\nWorker throughput, ${ROUNDS} interleaved rounds of ${N} jobs each, concurrency ${WORKER_CONCURRENCY}, handler: JSON.parse + a field read (median round):`);
  console.log('| worker | jobs/s |\n|---|---|');
  console.log(`| bare BullMQ Worker | ${bareRate.toFixed(0)} |`);
  console.log(`| startWorker (rebuilt typed event, handlers, dedupe complete) | ${ourRate.toFixed(0)} |`);
  console.log(`ratio ours/bare: ${workerRatio.toFixed(2)}x, median of the rounds' ratios; per round: ${workerRates.ours.map((rate, i) => (rate / workerRates.bare[i]).toFixed(2)).join(' ')}`);

  await inspect.obliterate({ force: true });
  await floorQueue.obliterate({ force: true });
  await inspect.close();
  await floorQueue.close();
  await stop();
}

await main();
