// Shared helpers for the repo-level scripts and tests: which packages exist, which
// are ready to publish, and packing them exactly as `pnpm publish` would.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const PNPM_VERSION = '10.34.9';

/** @typedef {{ dir: string, folder: string, name: string, manifest: Record<string, any>, ready: boolean, reason?: string }} WorkspacePackage */

/** Every publishable package under packages/, with whether its public entry exports anything yet. */
export function listPackages() {
  const dir = join(root, 'packages');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'package.json')))
    .map((d) => describe(join(dir, d.name)))
    .filter((p) => p.manifest.private !== true)
    .sort((a, b) => (a.folder === 'core' ? -1 : b.folder === 'core' ? 1 : a.folder.localeCompare(b.folder)));
}

/** @returns {WorkspacePackage} */
function describe(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const folder = dir.split(/[\\/]/).pop();
  const entry = join(dir, 'src', 'index.ts');
  const text = existsSync(entry) ? readFileSync(entry, 'utf8') : '';
  // A package another helper is still writing has `export {};` only: nothing to publish yet.
  const exportsSomething = text
    .split('\n')
    .some((line) => /^\s*export\s/.test(line) && !/^\s*export\s*\{\s*\}\s*;?\s*$/.test(line));
  return exportsSomething
    ? { dir, folder, name: manifest.name, manifest, ready: true }
    : { dir, folder, name: manifest.name, manifest, ready: false, reason: 'src/index.ts exports nothing yet' };
}

/** Every file a manifest's `exports`, `main`, `module`, `types` and `bin` point at. */
export function entryFiles(manifest) {
  const files = new Set();
  const walk = (value) => {
    if (typeof value === 'string') files.add(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  walk(manifest.bin);
  for (const key of ['main', 'module', 'types']) walk(manifest[key]);
  return [...files].filter((f) => f !== './package.json').map((f) => f.replace(/^\.\//, ''));
}

/** Entry files that are not built yet (run `pnpm build`). */
export function missingBuild(pkg) {
  return entryFiles(pkg.manifest).filter((f) => !existsSync(join(pkg.dir, f)));
}

function pnpmCommand() {
  // Under `pnpm <script>`, reuse the running pnpm; elsewhere the pinned one through npx (RULES.md).
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath) && existsSync(execPath)) return [process.execPath, [execPath]];
  return ['npx', ['-y', `pnpm@${PNPM_VERSION}`]];
}

/**
 * `pnpm pack` (which rewrites `workspace:^` to real ranges, as publish does) into
 * `destination`; returns the tarball's absolute path.
 */
export function pack(pkg, destination) {
  const [cmd, pre] = pnpmCommand();
  const out = execFileSync(cmd, [...pre, 'pack', '--pack-destination', destination], {
    cwd: pkg.dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_ignore_scripts: 'true' },
  });
  const tarball = out
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.endsWith('.tgz'));
  if (!tarball) throw new Error(`pnpm pack printed no tarball for ${pkg.name}:\n${out}`);
  return resolve(destination, tarball);
}

/** Paths inside a tarball, without the leading `package/`. */
export function tarballFiles(tarball) {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));
}

/** True when a source file changed after the oldest built entry file (run `pnpm build`). */
export function staleBuild(pkg) {
  const built = entryFiles(pkg.manifest)
    .map((f) => join(pkg.dir, f))
    .filter((f) => existsSync(f))
    .map((f) => statSync(f).mtimeMs);
  if (built.length === 0) return false;
  const oldest = Math.min(...built);
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, d) => {
      const path = join(dir, d.name);
      return Math.max(max, d.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  const src = join(pkg.dir, 'src');
  return existsSync(src) && newest(src) > oldest;
}

/**
 * The prose the docs checks read: README.md, every .md under docs/ (not TypeDoc's generated
 * docs/api), and each package's and example's README.md, in a stable order.
 */
export function markdownFiles() {
  const files = [join(root, 'README.md')];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'api' && name !== 'node_modules') walk(path);
      } else if (name.endsWith('.md')) files.push(path);
    }
  };
  walk(join(root, 'docs'));
  for (const parent of ['packages', 'examples']) {
    const dir = join(root, parent);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const readme = join(dir, name, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  }
  return files;
}
