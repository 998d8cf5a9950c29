import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';

// The Web Crypto build is the same source with one port swapped: every import of
// `./crypto-node.js` resolves to `./crypto-web.ts`, so no engine code is duplicated.
const webCrypto: Plugin = {
  name: 'hookproof-web-crypto',
  setup(build) {
    build.onResolve({ filter: /crypto-node(\.js)?$/ }, () => ({
      path: fileURLToPath(new URL('./src/crypto-web.ts', import.meta.url)),
    }));
  },
};

export default defineConfig([
  {
    // Recipes are their own entry point: an app that does not import them does not bundle them.
    entry: { index: 'src/index.ts', recipes: 'src/recipes/index.ts' },
    // No shared chunk between the entry points: bundlers tree-shake each file on its own, and a
    // chunk holding both the core and the recipes kept every recipe in an app that imports neither.
    splitting: false,
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'node',
    removeNodeProtocol: false,
    target: 'node20',
    clean: true,
    sourcemap: false,
  },
  {
    entry: { web: 'src/index.ts', 'recipes-web': 'src/recipes/index.ts' },
    splitting: false,
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'neutral',
    target: 'es2022',
    esbuildPlugins: [webCrypto],
    sourcemap: false,
  },
]);
