// bench/adapters: each hookproof adapter (express, fastify, koa; options mode and
// receiver mode) against a hand-written handler on the same framework doing the same
// HMAC check, and @octokit/webhooks' createNodeMiddleware against a hand-written plain
// node:http handler, under load with autocannon over loopback, side by side in one run.
// The ratios are the product (the bar: each adapter >= 0.9x its hand-written handler).
//
// Layout: every server runs in a child process of its own (bench/adapters/server.mjs);
// autocannon runs here, in the parent. On a 2-core machine that gives the server one core
// and the load generator the other, instead of both fighting over one event loop. The
// children of a group (one framework, see BENCH_GROUP) are started up front and stay
// idle but for the one being driven.
// Rounds: after a warm-up per server, ROUNDS rounds drive every server for ROUND_S
// seconds each, in alternating order (forward, then reversed), and a ratio is taken
// between two servers within the same round, so load from elsewhere on the machine
// that drifts over the run cancels out; the median over rounds is printed, with the
// range. Server CPU time per request (process.cpuUsage in the child) is printed beside
// req/s: it is what the handler costs, and it stays meaningful when the load
// generator, not the server, is the bottleneck (server CPU% well under 100).
//
// Run after `pnpm build` (it imports the built packages): node bench/adapters.mjs
// Env: BENCH_ROUNDS (5), BENCH_ROUND_S (1), BENCH_WARMUP_S (2), BENCH_REWARM_S (0.5, before
// every round), BENCH_SESSIONS (1: how many times to start fresh server processes and run
// all rounds again; rounds are pooled), BENCH_GROUP (framework | all), BENCH_CONNECTIONS (10), BENCH_PIN (1),
// BENCH_ONLY=regex of target names, BENCH_CPU_PROF=dir (servers run with --cpu-prof; use
// one session, each session's profile replaces the last).
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { BODY, PATH, headersFor, tamperedHeadersFor } from './adapters/delivery.mjs';
import { TARGETS, schemeOf } from './adapters/targets.mjs';

const opts = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
  roundSec: Number(process.env.BENCH_ROUND_S ?? 1),
  warmupSec: Number(process.env.BENCH_WARMUP_S ?? 2),
  rewarmSec: Number(process.env.BENCH_REWARM_S ?? 0.5),
  sessions: Number(process.env.BENCH_SESSIONS ?? 1),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
  pipelining: Number(process.env.BENCH_PIPELINING ?? 1),
};
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const profDir = process.env.BENCH_CPU_PROF;
const names = Object.keys(TARGETS).filter((n) => only === undefined || only.test(n));

// Groups: by default each framework's servers (express/*, fastify/*, koa/*, node/*) run
// in sessions of their own, so only the servers a gated ratio compares are alive and
// measured back to back. With all twelve in one session, the same fastify and koa
// servers measured up to 0.15 lower against their hand-written baselines than in runs
// of their framework alone, for reasons we could not pin down (bench/README.md).
// BENCH_GROUP=all restores one session for every server.
const groupOf = process.env.BENCH_GROUP === 'all' ? () => 'all' : (name) => name.slice(0, name.indexOf('/'));
const groups = [...new Set(names.map(groupOf))];

/** [target, baseline, gate]: gate is the project's bar where there is one. */
const COMPARISONS = [
  ['express/hookproof', 'express/hand', 0.9],
  ['express/hookproof-receiver', 'express/hand', 0.9],
  ['express/hand-middleware', 'express/hand', null],
  ['express/hookproof', 'express/hand-middleware', null],
  ['fastify/hookproof', 'fastify/hand', 0.9],
  ['fastify/hookproof-receiver', 'fastify/hand', 0.9],
  ['koa/hookproof', 'koa/hand', 0.9],
  ['koa/hookproof-receiver', 'koa/hand', 0.9],
  ['node/octokit', 'node/hand', null],
  ['node/hookproof-receiver', 'node/hand', null],
  ['express/hookproof', 'node/octokit', null],
  ['fastify/hookproof', 'node/octokit', null],
  ['node/hookproof-receiver', 'node/octokit', null],
].filter(([a, b]) => names.includes(a) && names.includes(b));

// On Linux with taskset and 2+ cores, the load generator (this process) is pinned to
// core 0 and every server to core 1, all threads included: otherwise the scheduler now
// and then puts both on one core for a whole run, and a server's luck of placement
// moved its ratio by +-0.2 between otherwise identical runs. BENCH_PIN=0 turns it off.
const pin = process.env.BENCH_PIN !== '0' && process.platform === 'linux' && cpus().length >= 2 && hasTaskset();
function hasTaskset() {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const pinTo = (pid, core) => execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
if (pin) pinTo(process.pid, 0);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function startServer(name) {
  const execArgv = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${name.replace('/', '-')}.cpuprofile`] : [];
  const child = fork(fileURLToPath(new URL('./adapters/server.mjs', import.meta.url)), [name], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench/adapters: server ${name} exited with ${code} before listening`)));
    child.once('message', ({ port }) => {
      child.removeAllListeners('exit');
      // Once listening, so every thread the server will use exists and is moved with it.
      if (pin) pinTo(child.pid, 1);
      const ask = () =>
        new Promise((res) => {
          child.once('message', res);
          child.send('cpu');
        });
      const stop = () =>
        new Promise((res) => {
          child.once('exit', res);
          child.send('stop');
        });
      resolve({ name, url: `http://127.0.0.1:${port}${PATH}`, ask, stop });
    });
  });
}

/** Each server must answer the delivery 200 with JSON (octokit: "ok"), and refuse a changed signature. */
async function sanityCheck(server) {
  const scheme = schemeOf(server.name);
  const good = await fetch(server.url, { method: 'POST', headers: headersFor(scheme), body: BODY });
  const text = await good.text();
  const okBody = scheme === 'github' ? text === 'ok\n' : JSON.parse(text).type === 'post.published';
  if (good.status !== 200 || !okBody) throw new Error(`bench/adapters: ${server.name} answered ${good.status} ${text}`);
  const bad = await fetch(server.url, { method: 'POST', headers: tamperedHeadersFor(scheme), body: BODY });
  await bad.arrayBuffer();
  if (bad.status < 400) throw new Error(`bench/adapters: ${server.name} accepted a changed signature (${bad.status})`);
}

async function drive(server, seconds) {
  const before = await server.ask();
  const r = await autocannon({
    url: server.url,
    method: 'POST',
    headers: headersFor(schemeOf(server.name)),
    body: BODY,
    connections: opts.connections,
    pipelining: opts.pipelining,
    duration: seconds,
  });
  const after = await server.ask();
  const userUs = after.cpu.user - before.cpu.user;
  const cpuUs = userUs + (after.cpu.system - before.cpu.system);
  const ok = r['2xx'];
  return {
    reqPerSec: ok / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    ok,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    cpuUsPerReq: cpuUs / Math.max(1, r.requests.total),
    userUsPerReq: userUs / Math.max(1, r.requests.total),
    serverCpuPct: (100 * cpuUs) / (r.duration * 1e6),
    rssMiB: after.memory / 2 ** 20,
  };
}

const started = { load: loadavg(), date: new Date().toISOString() };
console.log(`bench/adapters: ${names.length} servers in ${groups.length} group(s) (${groups.join(', ')}), each group ${opts.sessions} session(s) of ${opts.rounds} rounds x ${opts.roundSec} s (each after ${opts.rewarmSec} s re-warm-up) after ${opts.warmupSec} s warm-up each, ${opts.connections} connections, pipelining ${opts.pipelining}, body ${BODY.length} bytes; load average ${started.load.map((l) => l.toFixed(2)).join(' ')}`);

let servers = [];
try {
  // Warm-up requests are counted too: with BENCH_CPU_PROF they are in the profile.
  const warmup = Object.fromEntries(names.map((name) => [name, 0]));
  /** group -> rounds, each round { [name]: result } for that group's servers. */
  const roundsOf = Object.fromEntries(groups.map((g) => [g, []]));
  for (const group of groups) {
    const members = names.filter((n) => groupOf(n) === group);
    for (let session = 0; session < opts.sessions; session++) {
      // Fresh server processes per session: a process keeps its JIT and memory layout for
      // life, and two processes of the same server differed by up to 0.1 on a ratio.
      servers = [];
      for (const name of members) servers.push(await startServer(name));
      for (const s of servers) await sanityCheck(s);
      for (const s of servers) warmup[s.name] += (await drive(s, opts.warmupSec)).requests;

      for (let r = 0; r < opts.rounds; r++) {
        const order = r % 2 === 0 ? servers : [...servers].reverse();
        const round = {};
        for (const s of order) {
          // A server left idle while the others ran has had its code aged by V8's idle GCs
          // (bytecode flushing, deoptimisation); re-warm it so a round measures the steady
          // state a loaded production server is in, not how much code it has to re-JIT.
          if (opts.rewarmSec > 0) warmup[s.name] += (await drive(s, opts.rewarmSec)).requests;
          round[s.name] = await drive(s, opts.roundSec);
        }
        roundsOf[group].push(round);
      }
      await Promise.all(servers.map((s) => s.stop()));
      servers = [];
    }
  }

  const rows = names.map((name) => {
    const per = roundsOf[groupOf(name)].map((round) => round[name]);
    const sum = (k) => per.reduce((t, x) => t + x[k], 0);
    return {
      name,
      reqPerSec: median(per.map((x) => x.reqPerSec)),
      p50Ms: median(per.map((x) => x.p50)),
      p99Ms: median(per.map((x) => x.p99)),
      cpuUsPerReq: median(per.map((x) => x.cpuUsPerReq)),
      userUsPerReq: median(per.map((x) => x.userUsPerReq)),
      serverCpuPct: median(per.map((x) => x.serverCpuPct)),
      rssMiB: Math.max(...per.map((x) => x.rssMiB)),
      requests: sum('requests'),
      warmupRequests: warmup[name],
      errors: sum('errors') + sum('timeouts'),
      non2xx: sum('non2xx'),
      rounds: per,
    };
  });

  const rowOf = Object.fromEntries(rows.map((row) => [row.name, row]));
  const comparisons = COMPARISONS.map(([target, baseline, gate]) => {
    const sameRound = groupOf(target) === groupOf(baseline);
    // Within a group: a ratio per round, median and range. Across groups (never a gated
    // row): the ratio of the two medians, since the two never ran in the same round.
    const rounds = sameRound ? roundsOf[groupOf(target)] : [];
    const perRound = sameRound ? rounds.map((round) => round[target].reqPerSec / round[baseline].reqPerSec) : [rowOf[target].reqPerSec / rowOf[baseline].reqPerSec];
    const cpuPerRound = sameRound ? rounds.map((round) => round[baseline].cpuUsPerReq / round[target].cpuUsPerReq) : [rowOf[baseline].cpuUsPerReq / rowOf[target].cpuUsPerReq];
    const ratio = median(perRound);
    return {
      target,
      baseline,
      sameRound,
      ratio,
      min: Math.min(...perRound),
      max: Math.max(...perRound),
      cpuRatio: median(cpuPerRound),
      gate,
      pass: gate === null ? null : ratio >= gate,
    };
  });

  const finished = { load: loadavg(), date: new Date().toISOString() };
  const fmt = (n, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const pad = (s, n) => String(s).padStart(n);
  console.log(`\n${'server'.padEnd(28)}${pad('req/s', 9)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('CPU us/req', 12)}${pad('user', 7)}${pad('srv CPU', 9)}${pad('RSS MiB', 9)}${pad('errors', 8)}${pad('non2xx', 8)}`);
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(28)}${pad(fmt(row.reqPerSec), 9)}${pad(fmt(row.p50Ms, 1), 8)}${pad(fmt(row.p99Ms, 1), 8)}${pad(fmt(row.cpuUsPerReq, 1), 12)}${pad(fmt(row.userUsPerReq, 1), 7)}${pad(`${fmt(row.serverCpuPct)}%`, 9)}${pad(fmt(row.rssMiB), 9)}${pad(row.errors, 8)}${pad(row.non2xx, 8)}`,
    );
  }
  console.log(`\n${'ratio (req/s)'.padEnd(56)}${pad('median', 8)}${pad('range', 14)}${pad('CPU/req', 9)}  gate`);
  for (const c of comparisons) {
    const verdict = c.gate === null ? '' : `>= ${c.gate}x ${c.pass ? 'PASS' : 'MISS'}`;
    const range = c.sameRound ? `${c.min.toFixed(2)}-${c.max.toFixed(2)}` : 'medians';
    console.log(`${`${c.target} / ${c.baseline}`.padEnd(56)}${pad(`${c.ratio.toFixed(2)}x`, 8)}${pad(range, 14)}${pad(`${c.cpuRatio.toFixed(2)}x`, 9)}  ${verdict}`);
  }
  console.log(
    `\n${process.version} ${process.platform}-${process.arch}, ${cpus().length} cores; servers in child processes, autocannon ${opts.connections} connections in the parent${pin ? '; servers pinned to core 1, autocannon to core 0 (taskset)' : ''}.` +
      `\nreq/s, p50, p99, CPU: median over ${opts.sessions * opts.rounds} rounds; ratio: target/baseline req/s within a round, median [range] (\`medians\`: servers of different groups, ratio of their medians); CPU/req ratio: baseline CPU per request / target's (> 1 = target cheaper).` +
      `\nload average at start ${started.load.map((l) => l.toFixed(2)).join(' ')}, at end ${finished.load.map((l) => l.toFixed(2)).join(' ')}. JSON: bench/results/adapters.json`,
  );

  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    new URL('adapters.json', dir),
    `${JSON.stringify({ node: process.version, platform: `${process.platform}-${process.arch}`, cores: cpus().length, bodyBytes: BODY.length, ...opts, groups, started, finished, rows, comparisons }, null, 2)}\n`,
  );
  const bad = rows.filter((r) => r.errors > 0 || r.non2xx > 0);
  if (bad.length > 0) {
    console.error(`bench/adapters: errors or non-2xx answers from ${bad.map((r) => r.name).join(', ')}: the numbers above are not comparable.`);
    process.exitCode = 1;
  }
} finally {
  await Promise.all(servers.map((s) => s.stop()));
}
