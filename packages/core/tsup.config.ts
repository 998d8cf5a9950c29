import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';

// The Web Crypto build is the same source with its ports swapped: every import of
// `./crypto-node.js` resolves to `./crypto-web.ts` (and `./diagnostics-node.js` to
// `./diagnostics-web.ts`), so no engine code is duplicated.
const webCrypto: Plugin = {
  name: 'hookproof-web-crypto',
  setup(build) {
    build.onResolve({ filter: /(crypto|diagnostics)-node(\.js)?$/ }, (args) => ({
      path: fileURLToPath(new URL(`./src/${args.path.includes('diagnostics') ? 'diagnostics' : 'crypto'}-web.ts`, import.meta.url)),
    }));
  },
};

export default defineConfig([
  {
    entry: { index: 'src/index.ts', adapter: 'src/adapter.ts' },
    format: ['esm', 'cjs'],
    // Both entries share one copy of core (one WebhookError class, one module state) in CJS
    // too: without splitting, adapter.cjs would bundle its own copy and `instanceof` across
    // '@hookproof/core' and '@hookproof/core/adapter' would fail.
    splitting: true,
    dts: true,
    platform: 'node',
    removeNodeProtocol: false,
    target: 'node20',
    // No `clean` here: tsup runs these configs in parallel, and a clean in one raced the
    // others' output (recipes' .d.ts went missing). The build script empties dist first.
    sourcemap: false,
  },
  {
    entry: { web: 'src/index.ts', 'adapter-web': 'src/adapter.ts' },
    format: ['esm', 'cjs'],
    splitting: true,
    dts: true,
    platform: 'neutral',
    target: 'es2022',
    esbuildPlugins: [webCrypto],
    sourcemap: false,
  },
  // Recipes are their own entry point, built on their own: an app that does not import
  // `@hookproof/core/recipes` does not bundle them, and no chunk is shared with the core
  // entry (a shared chunk kept every recipe in apps that import neither). Recipes are data
  // and use no crypto, so both conditions get the same code.
  ...(['recipes', 'recipes-web'] as const).map((name) => ({
    entry: { [name]: 'src/recipes/index.ts' },
    format: ['esm', 'cjs'] as ('esm' | 'cjs')[],
    dts: true,
    platform: name === 'recipes' ? ('node' as const) : ('neutral' as const),
    target: name === 'recipes' ? 'node20' : 'es2022',
    sourcemap: false,
  })),
]);
