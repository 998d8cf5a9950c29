import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'node',
  target: 'node20',
  removeNodeProtocol: false,
  clean: true,
  // The instrumentation reports its own version to the tracer and meter providers.
  define: { __HOOKPROOF_OTEL_VERSION__: JSON.stringify(version) },
});
