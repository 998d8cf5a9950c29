// Child process of bench/adapters.mjs: runs ONE target server on 127.0.0.1:0, so the
// server has its own process (own JIT, own heap, own core when one is free) and the
// load generator in the parent does not share its event loop.
// IPC: sends { port } once listening; answers 'cpu' with process.cpuUsage() so the
// parent can report server CPU time per request; exits on 'stop'.
import { TARGETS as ADAPTER_TARGETS } from './targets.mjs';

const TARGETS = process.env.BENCH_SUITE === 'observability' ? (await import('../observability/targets.mjs')).TARGETS : ADAPTER_TARGETS;

const name = process.argv[2];
const create = TARGETS[name];
if (create === undefined) {
  console.error(`bench/adapters/server: unknown target ${JSON.stringify(name)}; one of ${Object.keys(TARGETS).join(', ')}`);
  process.exit(2);
}

const server = await create();
process.on('message', async (message) => {
  if (message === 'cpu') {
    process.send({ cpu: process.cpuUsage(), memory: process.memoryUsage().rss });
  } else if (message === 'stop') {
    await server.close();
    // A normal exit, so --cpu-prof writes its profile.
    process.disconnect();
    process.exit(0);
  }
});
process.send({ port: server.port });
