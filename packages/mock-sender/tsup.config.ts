import { defineConfig } from 'tsup';

export default defineConfig({
  // cli.js is the `hookproof` bin (package.json "type": "module").
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  platform: 'node',
  target: 'node20',
  removeNodeProtocol: false,
  // nock is loaded lazily with createRequire(import.meta.url): the CJS build needs the shim.
  shims: true,
  clean: true,
});
