// `pnpm check:packages`: lints what npm would publish for every built package.
// It builds nothing (run `pnpm build` first). For each package: the manifest fields
// the project promises (MIT, engines, sideEffects, exports), a README and LICENSE, a
// pending changeset (or a CHANGELOG), the tarball's file list, publint (every message
// fails, suggestions included) and are-the-types-wrong (strict profile: node10,
// node16 CJS/ESM, bundler).
// Exits 1 on any problem.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { listPackages, missingBuild, pack, root, staleBuild, tarballFiles } from './lib/workspace.mjs';

const problems = [];
const report = (pkg, message) => {
  problems.push(`${pkg.name}: ${message}`);
  console.log(`  ✗ ${message}`);
};
const ok = (message) => console.log(`  ✓ ${message}`);

const license = readFileSync(join(root, 'LICENSE'), 'utf8');
const attw = join(root, 'node_modules', '.bin', 'attw');
const work = mkdtempSync(join(tmpdir(), 'hookproof-check-packages-'));

try {
  for (const pkg of listPackages()) {
    console.log(`\n${pkg.name} (${relative(root, pkg.dir)})`);
    const readme = join(pkg.dir, 'README.md');
    if (!pkg.ready) {
      console.log(`  - skipped: ${pkg.reason}${existsSync(readme) ? '' : '; README.md missing too'}`);
      continue;
    }
    checkManifest(pkg);
    if (!existsSync(readme) || readFileSync(readme, 'utf8').trim().length < 200) report(pkg, 'README.md is missing or a stub (npm shows it as the package page)');
    else ok('README.md');
    const ownLicense = join(pkg.dir, 'LICENSE');
    if (!existsSync(ownLicense) || readFileSync(ownLicense, 'utf8') !== license) report(pkg, 'LICENSE missing or different from the root LICENSE');
    else ok('LICENSE (same as the root)');

    if (!changesetCovers(pkg)) report(pkg, `no pending changeset names it and CHANGELOG.md has no ## ${pkg.manifest.version} section (npx -y pnpm@10.34.9 changeset)`);
    else ok('changeset pending or CHANGELOG.md covers this version');

    const missing = missingBuild(pkg);
    if (missing.length > 0) {
      report(pkg, `not built: ${missing.join(', ')} missing (run pnpm build first)`);
      continue;
    }
    if (staleBuild(pkg)) {
      report(pkg, 'dist/ is older than src/ (run pnpm build first)');
      continue;
    }
    const tarball = pack(pkg, work);
    checkTarball(pkg, tarball);
    await runPublint(pkg, tarball);
    runAttw(pkg, tarball);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// A package is releasable when `changeset version` will write its CHANGELOG entry (a pending
// changeset names it) or already did (the CHANGELOG has a section for the current version; a
// CHANGELOG.md with only its title is there so that `files` lists nothing absent).
function changesetCovers(pkg) {
  const changelog = join(pkg.dir, 'CHANGELOG.md');
  if (existsSync(changelog) && readFileSync(changelog, 'utf8').includes(`\n## ${pkg.manifest.version}\n`)) return true;
  const dir = join(root, '.changeset');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .some((f) => {
      const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(dir, f), 'utf8'))?.[1] ?? '';
      return front.split('\n').some((line) => line.replace(/['"]/g, '').trim().startsWith(`${pkg.name}:`));
    });
}

function checkManifest(pkg) {
  const m = pkg.manifest;
  const expect = [
    ['license', m.license === 'MIT', 'MIT'],
    ['type', m.type === 'module', '"module"'],
    ['sideEffects', m.sideEffects === false, 'false (tree-shakable)'],
    ['engines.node', m.engines?.node === '>=20', '">=20"'],
    ['files', Array.isArray(m.files) && m.files.includes('dist'), 'a list including "dist"'],
    ['exports["."]', typeof m.exports?.['.'] === 'object', 'an import/require map with types'],
    ['exports["./package.json"]', m.exports?.['./package.json'] === './package.json', '"./package.json"'],
    ['description', typeof m.description === 'string' && m.description.length > 20, 'a sentence'],
    ['keywords', Array.isArray(m.keywords) && m.keywords.includes('webhook'), 'including "webhook"'],
    ['repository', typeof m.repository?.url === 'string' && m.repository?.directory === `packages/${pkg.folder}`, `{ type, url, directory: "packages/${pkg.folder}" }`],
    ['homepage', typeof m.homepage === 'string' && m.homepage.startsWith('https://'), 'an https URL'],
    ['bugs', typeof m.bugs?.url === 'string', '{ url }'],
  ];
  const bad = expect.filter(([, good]) => !good);
  for (const [field, , want] of bad) report(pkg, `package.json ${field} should be ${want}`);
  if (bad.length === 0) ok('package.json: license, type, sideEffects, engines, files, exports, description, keywords, repository, homepage, bugs');
}

function checkTarball(pkg, tarball) {
  const files = tarballFiles(tarball);
  const required = ['package.json', 'README.md', 'LICENSE'];
  for (const f of required) if (!files.includes(f)) report(pkg, `tarball lacks ${f}`);
  const stray = files.filter((f) => !required.includes(f) && f !== 'CHANGELOG.md' && !f.startsWith('dist/'));
  if (stray.length > 0) report(pkg, `tarball ships files outside dist/: ${stray.join(', ')}`);
  const packed = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  const workspaceRanges = ['dependencies', 'peerDependencies', 'optionalDependencies']
    .flatMap((k) => Object.entries(packed[k] ?? {}))
    .filter(([, range]) => String(range).startsWith('workspace:'));
  if (workspaceRanges.length > 0) report(pkg, `packed package.json keeps workspace ranges: ${workspaceRanges.map(([n]) => n).join(', ')}`);
  if (required.every((f) => files.includes(f)) && stray.length === 0 && workspaceRanges.length === 0) {
    ok(`tarball: ${files.length} files (${files.filter((f) => f.startsWith('dist/')).length} in dist/), ranges rewritten`);
  }
}

async function runPublint(pkg, tarball) {
  const bytes = readFileSync(tarball);
  const { messages, pkg: manifest } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    level: 'suggestion',
    strict: true,
  });
  if (messages.length === 0) ok('publint: no errors, warnings or suggestions');
  for (const m of messages) report(pkg, `publint ${m.type} ${m.code}: ${formatMessage(m, manifest, { color: false })}`);
}

function runAttw(pkg, tarball) {
  // Strict profile: node10, node16 (CJS and ESM) and bundler must all resolve typed.
  const run = spawnSync(attw, [tarball, '--format', 'ascii', '--no-color', '--no-emoji'], { encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`.split('\n').filter((l) => !/Unknown user config/.test(l));
  if (run.status === 0) {
    ok('attw (strict): node10, node16 CJS, node16 ESM, bundler all typed');
    console.log(output.filter((l) => /^("|node10|node16|bundler)/.test(l)).map((l) => `      ${l.trim()}`).join('\n'));
  } else {
    report(pkg, `are-the-types-wrong found problems:\n${output.join('\n')}`);
  }
}

console.log(problems.length === 0 ? '\ncheck:packages: all good' : `\ncheck:packages: ${problems.length} problem(s)\n${problems.join('\n')}`);
process.exit(problems.length === 0 ? 0 : 1);
