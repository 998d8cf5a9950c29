// bench/observability: what the delivery channel and @hookproof/otel cost each adapter
// under load, as ratios within one run (bench/README.md, "bench/observability"). Builds the
// before/after bundles (./observability/build.mjs), then runs bench/adapters.mjs's method
// on ./observability/targets.mjs. Env: as bench/adapters.mjs; BENCH_BASE = the git revision
// of "before" (default: merge-base of HEAD and main).
import { buildObservabilityBundles } from './observability/build.mjs';

const { base } = await buildObservabilityBundles();
console.log(`bench/observability: before = ${base.slice(0, 10)}, after = the working tree`);
process.env.BENCH_SUITE = 'observability';
await import('./adapters.mjs');
