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
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'node',
    removeNodeProtocol: false,
    target: 'node20',
    clean: true,
    sourcemap: false,
  },
  {
    entry: { web: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'neutral',
    target: 'es2022',
    esbuildPlugins: [webCrypto],
    sourcemap: false,
  },
]);
