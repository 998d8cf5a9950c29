import { defineConfig } from 'tsup';

const shared = {
  platform: 'node',
  target: 'node20',
  removeNodeProtocol: false,
  // nock is loaded lazily with createRequire(import.meta.url): the CJS build needs the shim.
  shims: true,
  // `hookproof replay --queue` imports @hookproof/bullmq only when used, from the app's own install.
  external: ['@hookproof/bullmq'],
} as const;

export default defineConfig([
  // The library: ESM and CJS, with types. Its clean keeps the bin, which the other build writes
  // at the same time (tsup builds the two in parallel), and removes any older dist/cli.cjs.
  { ...shared, entry: { index: 'src/index.ts' }, format: ['esm', 'cjs'], dts: true, clean: ['!cli.js', '!cli.js.map'] },
  // cli.js is the `hookproof` bin (package.json "type": "module"): ESM only, nothing requires it.
  { ...shared, entry: { cli: 'src/cli.ts' }, format: ['esm'], dts: false },
]);
