// `pnpm size`: what @hookproof/core costs an edge bundle (Workers, Vercel Edge, Deno,
// Bun, browsers). Bundles the package's default/browser build (`dist/web.js`, Web
// Crypto) with esbuild, minified, for a full import and for `verify` alone, and
// reports minified, gzip and brotli bytes. `--write` also updates the table between
// the size markers in docs/frameworks/fetch.md. `--json` prints the numbers only.
import { build } from 'esbuild';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { root } from './lib/workspace.mjs';

const core = join(root, 'packages', 'core');
const entry = join(core, 'dist', 'web.js');
if (!existsSync(entry)) {
  console.error('size: packages/core/dist/web.js is missing: run `pnpm build` first.');
  process.exit(1);
}

const cases = [
  { name: 'full import', code: `export * from ${JSON.stringify(entry)};` },
  { name: '`verify` only', code: `export { verify } from ${JSON.stringify(entry)};` },
  { name: '`handleWebhook` only', code: `export { handleWebhook } from ${JSON.stringify(entry)};` },
];

async function measure(code) {
  const result = await build({
    stdin: { contents: code, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    // Core's default build must not pull in node: modules; fail loudly if it ever does.
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0].contents;
  const text = new TextDecoder().decode(bytes);
  if (/\bnode:/.test(text) || /require\(/.test(text)) throw new Error('the web build references Node modules');
  return {
    minified: bytes.byteLength,
    gzip: gzipSync(bytes, { level: 9 }).byteLength,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength,
  };
}

const version = JSON.parse(readFileSync(join(core, 'package.json'), 'utf8')).version;
const rows = [];
for (const c of cases) rows.push({ import: c.name, ...(await measure(c.code)) });

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const table = [
  `| @hookproof/core ${version}, \`dist/web.js\` | minified | gzip | brotli |`,
  '|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.import} | ${r.minified} B (${kb(r.minified)}) | ${r.gzip} B (${kb(r.gzip)}) | ${r.brotli} B (${kb(r.brotli)}) |`),
].join('\n');

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log(`esbuild, platform browser, es2022, minified; gzip -9, brotli q11\n\n${table}`);
}

if (process.argv.includes('--write')) {
  const page = join(root, 'docs', 'frameworks', 'fetch.md');
  const text = readFileSync(page, 'utf8');
  const start = '<!-- size:start (pnpm size --write) -->';
  const end = '<!-- size:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${page} has no size markers`);
  writeFileSync(page, `${text.slice(0, a + start.length)}\n${table}\n${text.slice(b)}`);
  console.log(`\nwrote ${page}`);
}
