import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Tests import the workspace packages by name and run against their sources.
const alias = {
  // Before '@hookproof/core', which would otherwise match the subpath as a prefix.
  '@hookproof/core/recipes': fileURLToPath(new URL('./packages/core/src/recipes/index.ts', import.meta.url)),
  // Before '@hookproof/core', which would otherwise match it as a prefix.
  '@hookproof/core/adapter': fileURLToPath(new URL('./packages/core/src/adapter.ts', import.meta.url)),
  '@hookproof/core': src('core'),
  '@hookproof/express': src('express'),
  '@hookproof/fastify': src('fastify'),
  '@hookproof/koa': src('koa'),
  '@hookproof/mock-sender': src('mock-sender'),
  '@hookproof/redis': src('redis'),
  '@hookproof/bullmq': src('bullmq'),
  '@hookproof/otel': src('otel'),
};

// The Web Crypto build swaps one port; this project runs core's suite against it.
const webCryptoAlias = [
  { find: /^(\.{1,2}\/)+(src\/)?crypto-node\.js$/, replacement: fileURLToPath(new URL('./packages/core/src/crypto-web.ts', import.meta.url)) },
  { find: /^(\.{1,2}\/)+(src\/)?diagnostics-node\.js$/, replacement: fileURLToPath(new URL('./packages/core/src/diagnostics-web.ts', import.meta.url)) },
];


export default defineConfig({
  test: {
    // CI also writes a JSON report, from which .ci/run prints its closing line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-report.json' }]] : ['default'],
    typecheck: { enabled: true, include: ['packages/*/test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    projects: [
      { resolve: { alias }, test: { name: 'core', root: './packages/core', include: ['test/**/*.test.ts'], env: { HOOKPROOF_EXPECT_RUNTIME: 'node' }, typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: '../../tsconfig.json' } } },
      ...['express', 'fastify', 'koa', 'mock-sender', 'redis', 'bullmq', 'otel'].map((name) => ({
        resolve: { alias },
        test: { name, root: `./packages/${name}`, include: ['test/**/*.test.ts'], passWithNoTests: true, ...(name === 'redis' || name === 'bullmq' ? { globalSetup: ['./test/global-setup.ts'] } : {}), typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: '../../tsconfig.json' } },
      })),
      // Repo-level checks (packaging, docs): tests in test/ at the root.
      { resolve: { alias }, test: { name: 'repo', root: '.', include: ['test/*.test.ts'], testTimeout: 120_000, hookTimeout: 300_000 } },
      // The runnable examples (issue 7): each app's own test, driven by the mock sender; and their type check.
      { resolve: { alias }, test: { name: 'examples', root: './examples', include: ['*/test/**/*.test.ts', '*.test.ts'], testTimeout: 60_000 } },
      // Hostile input, load and leaks through every adapter over real sockets (issue 8); CI budget ~3 min.
      { resolve: { alias }, test: { name: 'hardening', root: './hardening', include: ['**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      { resolve: { alias: [...webCryptoAlias, ...Object.entries(alias).map(([find, replacement]) => ({ find, replacement }))] }, test: { name: 'core-web', root: './packages/core', include: ['test/**/*.test.ts'], env: { HOOKPROOF_EXPECT_RUNTIME: 'web' }, exclude: ['test/**/*.node-only.test.ts'] } },
    ],
  },
});
