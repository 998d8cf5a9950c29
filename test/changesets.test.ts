// `pnpm changeset version` on a copy of the workspace manifests (outside the repo, so
// nothing here changes): every pending changeset must turn into the right version bump
// and a CHANGELOG entry carrying its summary.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPackages, root } from '../scripts/lib/workspace.mjs';

type Bump = 'major' | 'minor' | 'patch';
type Changeset = { file: string; bumps: Map<string, Bump>; summary: string };

// Parsed here, independently of @changesets: a YAML-ish front matter of `'name': bump` lines.
function pendingChangesets(): Changeset[] {
  const dir = join(root, '.changeset');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
      if (!m) throw new Error(`.changeset/${file} has no front matter`);
      const bumps = new Map<string, Bump>();
      for (const line of m[1]!.split('\n').filter((l) => l.trim() !== '')) {
        const entry = /^\s*['"]?([^'"]+)['"]?\s*:\s*(major|minor|patch)\s*$/.exec(line);
        if (!entry) throw new Error(`.changeset/${file}: cannot read "${line}"`);
        bumps.set(entry[1]!, entry[2] as Bump);
      }
      return { file, bumps, summary: m[2]!.trim() };
    });
}

const rank: Record<Bump, number> = { patch: 0, minor: 1, major: 2 };
function bumped(version: string, bump: Bump): string {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

const packages = listPackages();
const changesets = pendingChangesets();
let scratch = '';

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'hookproof-changesets-'));
  writeFileSync(join(scratch, 'package.json'), readFileSync(join(root, 'package.json')));
  writeFileSync(join(scratch, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  cpSync(join(root, '.changeset'), join(scratch, '.changeset'), { recursive: true });
  for (const p of packages) {
    mkdirSync(join(scratch, 'packages', p.folder), { recursive: true });
    for (const f of ['package.json', 'CHANGELOG.md']) {
      if (existsSync(join(p.dir, f))) cpSync(join(p.dir, f), join(scratch, 'packages', p.folder, f));
    }
  }
  // The changelog generator (@changesets/cli/changelog) is resolved from the project.
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  const run = spawnSync(process.execPath, [join(root, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version'], {
    cwd: scratch,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  if (run.status !== 0) throw new Error(`changeset version failed:\n${run.stdout}\n${run.stderr}`);
}, 60_000);

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

const manifest = (folder: string) => JSON.parse(readFileSync(join(scratch, 'packages', folder, 'package.json'), 'utf8')) as { version: string };

describe('pnpm changeset version', () => {
  it('has pending changesets to release', () => {
    expect(changesets.length).toBeGreaterThan(0);
  });

  it('consumes every pending changeset', () => {
    const left = readdirSync(join(scratch, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(left).toEqual([]);
  });

  it.each(packages.map((p) => [p.name, p.folder, String(p.manifest.version)] as const))(
    '%s: bumped as its changesets say, with each summary in CHANGELOG.md',
    (name, folder, before) => {
      const own = changesets.filter((c) => c.bumps.has(name));
      const after = manifest(folder).version;
      if (own.length === 0) {
        // Untouched, or a patch because a workspace dependency left its range.
        expect([before, bumped(before, 'patch')]).toContain(after);
        return;
      }
      const bump = own.map((c) => c.bumps.get(name)!).sort((a, b) => rank[b] - rank[a])[0]!;
      expect(after).toBe(bumped(before, bump));
      const changelog = readFileSync(join(scratch, 'packages', folder, 'CHANGELOG.md'), 'utf8');
      expect(changelog.startsWith(`# ${name}\n`)).toBe(true);
      expect(changelog).toContain(`## ${after}`);
      expect(changelog).toContain(`### ${bump[0]!.toUpperCase()}${bump.slice(1)} Changes`);
      for (const c of own) expect(changelog).toContain(c.summary.split('\n')[0]!.slice(0, 60));
    },
  );
});
