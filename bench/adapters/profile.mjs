// Reads the .cpuprofile files a `BENCH_CPU_PROF=dir node bench/adapters.mjs` run leaves
// (one per server) and prints where each server spends its time, in microseconds per
// request, by package and by function (self time), so two servers can be compared line
// by line. Requests are taken from bench/results/adapters.json of the same run (rounds
// plus warm-up), so run this right after the profiled bench:
//   BENCH_ONLY='^fastify' BENCH_CPU_PROF=.tmp/prof node bench/adapters.mjs
//   node bench/adapters/profile.mjs .tmp/prof [top=25]
// Native time (writev, GC) is included: on loopback the kernel's share of a response
// write is a large part of every request.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const [dir, topArg] = process.argv.slice(2);
if (dir === undefined) {
  console.error('usage: node bench/adapters/profile.mjs <dir with .cpuprofile files> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const results = JSON.parse(readFileSync(new URL('../results/adapters.json', import.meta.url), 'utf8'));

function packageOf(url) {
  if (url === '') return '(native, gc)';
  if (url.startsWith('node:')) return 'node (core modules)';
  const dep = url.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/);
  if (dep) return dep[1];
  const own = url.match(/packages\/([^/]+)\//);
  return own ? `@hookproof/${own[1]}` : url.replace(/^.*\/bench\//, 'bench/');
}

const frameName = (f) => `${f.functionName || '(anonymous)'} ${packageOf(f.url)}:${f.lineNumber + 1}`;

for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
  const name = file.replace('.cpuprofile', '').replace('-', '/');
  const row = results.rows.find((r) => r.name === name);
  if (row === undefined) continue;
  const requests = row.requests + (row.warmupRequests ?? 0);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byPackage = new Map();
  const byFunction = new Map();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id).callFrame;
    if (frame.functionName === '(idle)') continue;
    busy += us;
    const pkg = packageOf(frame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    byFunction.set(frameName(frame), (byFunction.get(frameName(frame)) ?? 0) + us);
  }
  const line = ([label, us]) => `  ${(us / requests).toFixed(2).padStart(7)} us/req  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${label}`;
  console.log(`\n${name}: ${requests} requests, ${(busy / requests).toFixed(1)} us of busy time per request`);
  console.log(' by package:');
  for (const entry of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(line(entry));
  console.log(' by function (self time):');
  for (const entry of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(line(entry));
}
