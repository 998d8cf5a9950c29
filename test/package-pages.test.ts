// What npm shows for each package: its manifest links back to the repository (repository with
// directory, homepage, bugs), its README's links work on the npm page (absolute URLs into the
// repository, at files and headings that exist; no `../`, which npm resolves against nothing),
// `files` lists nothing absent, and the build leaves nothing in dist/ that no entry point uses.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPackages, root } from '../scripts/lib/workspace.mjs';

const REPO = 'https://github.com/hookproof/hookproof';
const packages = listPackages().map((p) => [p.name, p] as const);

interface Manifest {
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  files?: string[];
  main?: string;
  module?: string;
  types?: string;
  bin?: Record<string, string>;
  exports?: unknown;
}

const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Markdown link targets outside code, with their line. */
export function links(text: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  let fenced = false;
  text.split('\n').forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) return;
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)|href="([^"]+)"/g)) out.push({ target: (m[1] ?? m[2])!, line: i + 1 });
  });
  return out;
}

/** What is wrong with one link of the README at `file`, or undefined. */
export function brokenLink(file: string, target: string): string | undefined {
  if (target.startsWith('#')) return anchors(file).has(target.slice(1)) ? undefined : 'no such heading in this README';
  if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) return 'relative: npm shows the README away from the repository, use an absolute URL';
  if (!target.startsWith(`${REPO}/`)) return undefined; // another site: not ours to check
  const m = /^\/(?:blob|tree)\/main\/([^#?]*)(?:#(.*))?$/.exec(target.slice(REPO.length));
  if (m === null) return target === `${REPO}/issues` ? undefined : `not a ${REPO}/blob/main/... or /tree/main/... URL`;
  const [, path, anchor] = m as unknown as [string, string, string | undefined];
  const dest = join(root, path);
  if (!existsSync(dest)) return `${path} does not exist in the repository`;
  if (anchor === undefined || anchor === 'readme') return undefined;
  if (!dest.endsWith('.md')) return `#${anchor} on a file that is not markdown`;
  return anchors(dest).has(anchor) ? undefined : `no heading #${anchor} in ${path}`;
}

describe('the link checker', () => {
  const readme = join(root, 'packages', 'core', 'README.md');
  it('refuses relative links and links at missing files or headings, accepts good ones', () => {
    expect(brokenLink(readme, '../express')).toMatch(/relative/);
    expect(brokenLink(readme, './src/index.ts')).toMatch(/relative/);
    expect(brokenLink(readme, `${REPO}/blob/main/docs/no-such-page.md`)).toMatch(/does not exist/);
    expect(brokenLink(readme, `${REPO}/blob/main/docs/getting-started.md#no-such-heading`)).toMatch(/no heading/);
    expect(brokenLink(readme, '#no-such-heading')).toMatch(/no such heading/);
    expect(brokenLink(readme, `${REPO}/blob/main/docs/getting-started.md#1-install`)).toBeUndefined();
    expect(brokenLink(readme, `${REPO}/tree/main/packages/core#readme`)).toBeUndefined();
    expect(brokenLink(readme, 'https://standardschema.dev')).toBeUndefined();
    expect(links('[a](../x) `[b](../y)`\n```\n[c](../z)\n```\n[d](#e)').map((l) => l.target)).toEqual(['../x', '#e']);
  });
});

describe.each(packages)('%s', (_name, pkg) => {
  const m = pkg.manifest as Manifest;

  it('package.json links back: repository (with directory), homepage and bugs', () => {
    expect(m.repository).toEqual({ type: 'git', url: `git+${REPO}.git`, directory: `packages/${pkg.folder}` });
    expect(m.homepage).toBe(`${REPO}/tree/main/packages/${pkg.folder}#readme`);
    expect(m.bugs).toEqual({ url: `${REPO}/issues` });
  });

  it('README links work on the npm page: absolute, at files and headings that exist', () => {
    const file = join(pkg.dir, 'README.md');
    const found = links(readFileSync(file, 'utf8'));
    const broken = found.flatMap(({ target, line }) => {
      const why = brokenLink(file, target);
      return why === undefined ? [] : [`${relative(root, file)}:${line}: ${target}: ${why}`];
    });
    expect(broken).toEqual([]);
  });

  it('`files` lists only what exists (dist is the build output)', () => {
    expect(m.files).toContain('dist');
    const absent = (m.files ?? []).filter((f) => f !== 'dist' && !existsSync(join(pkg.dir, f)));
    expect(absent).toEqual([]);
  });

  it.skipIf(!existsSync(join(pkg.dir, 'dist')))('the build writes only what an entry point or the bin uses (run after pnpm build)', () => {
    const targets = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === 'string') targets.add(value.replace(/^\.\//, ''));
      else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
    };
    collect([m.main, m.module, m.types, m.bin, m.exports]);
    const built = readdirSync(join(pkg.dir, 'dist'), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => relative(pkg.dir, join(d.parentPath, d.name)))
      // Source maps and chunks shared between entry points are used by what they belong to
      // (tsup names JS chunks chunk-<hash>, its declaration bundler <module>-<hash>).
      .filter((f) => !f.endsWith('.map') && !/\/chunk-[\w-]+\.(c?js|d\.c?ts)$/.test(f) && !/\/\w+-[\w-]{8}\.d\.c?ts$/.test(f));
    expect(built.filter((f) => !targets.has(f))).toEqual([]);
  });
});
