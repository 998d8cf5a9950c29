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
    clean: true,
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
]);
