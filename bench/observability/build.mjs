// Builds the two versions of the adapters that bench/observability compares, the same way
// (esbuild, one ESM bundle per framework with core inlined, the framework external):
// `before`: the sources at BENCH_BASE (default: `git merge-base HEAD main`, the code before
// the delivery channel and the logging), exported with `git archive`; `after`: the working
// tree. Output: .tmp/bench-observability/{before,after}/{express,fastify,koa}.mjs and
// after/otel.mjs (git-ignored). Built this way, the two sides differ only by the change.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = join(root, '.tmp', 'bench-observability');

const ENTRIES = {
  express: "export { webhook, createReceiver } from './packages/express/src/index.ts';",
  fastify: "export { default as hookproof } from './packages/fastify/src/index.ts'; export { createReceiver } from './packages/core/src/index.ts';",
  koa: "export { webhook, createReceiver } from './packages/koa/src/index.ts';",
};

function git(...args) {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

/** `@hookproof/core` and `@hookproof/core/adapter` from the tree's sources. */
function coreFrom(tree) {
  return {
    name: 'hookproof-core-from-tree',
    setup(build) {
      build.onResolve({ filter: /^@hookproof\/core(\/adapter)?$/ }, (args) => ({
        path: join(tree, 'packages/core/src', args.path.endsWith('/adapter') ? 'adapter.ts' : 'index.ts'),
      }));
    },
  };
}

async function bundle(tree, side, name, contents) {
  await build({
    stdin: { contents, resolveDir: tree, loader: 'ts', sourcefile: `${name}-entry.ts` },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile: join(out, side, `${name}.mjs`),
    plugins: [coreFrom(tree)],
    // Dependencies of the adapters (raw-body, fastify-plugin, ...) come from the workspace's install.
    nodePaths: ['express', 'fastify', 'koa', 'otel'].map((p) => join(root, 'packages', p, 'node_modules')).concat(join(root, 'node_modules')),
    external: ['express', 'fastify', 'koa', '@opentelemetry/*'],
    logLevel: 'error',
  });
}

export async function buildObservabilityBundles() {
  const base = process.env.BENCH_BASE ?? git('merge-base', 'HEAD', 'main');
  rmSync(out, { recursive: true, force: true });
  const beforeTree = join(out, 'src-before');
  mkdirSync(beforeTree, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${base} packages | tar -x -C "${beforeTree}"`], { cwd: root });
  for (const [name, contents] of Object.entries(ENTRIES)) {
    await bundle(beforeTree, 'before', name, contents);
    await bundle(root, 'after', name, contents);
  }
  await bundle(root, 'after', 'otel', "export { HookproofInstrumentation } from './packages/otel/src/index.ts';");
  return { base, dir: out };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { base, dir } = await buildObservabilityBundles();
  console.log(`bench/observability: built before (${base.slice(0, 10)}) and after (working tree) into ${dir}`);
}
