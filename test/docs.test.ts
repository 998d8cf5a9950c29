// The docs check itself: every TypeScript block in the README, docs/ and the package
// READMEs compiles against the workspace packages, and the check really fails on a bad
// block, at the right markdown line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownFiles, root } from '../scripts/lib/workspace.mjs';

const script = join(root, 'scripts', 'check-docs.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'hookproof-docs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function checkDocs(...files: string[]) {
  const r = spawnSync(process.execPath, [script, ...files], { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('docs code blocks', () => {
  it('every ts block in README.md, docs/ and the package READMEs compiles against the workspace', () => {
    const { status, out } = checkDocs();
    expect(out).toMatch(/check:docs: \d+ TypeScript block\(s\) compile/);
    expect(status, out).toBe(0);
    // Counted independently: every opening ```ts / ```typescript fence is one block the check saw.
    const fences = markdownFiles()
      .map((f) => readFileSync(f, 'utf8').split('\n').filter((l) => /^\s*```(ts|typescript)\b/.test(l)).length)
      .reduce((a, b) => a + b, 0);
    const [, compiled, skipped] = /(\d+) TypeScript block\(s\) compile \((\d+) no-check\)/.exec(out) ?? [];
    expect(Number(compiled) + Number(skipped)).toBe(fences);
    expect(fences).toBeGreaterThan(10);
  });

  it('fails on a type error and names the markdown file and line', () => {
    const file = join(tmp, 'broken.md');
    writeFileSync(
      file,
      ['# Broken', '', '```ts', "import { verify } from '@hookproof/core';", 'export const n: number = verify;', '```', ''].join('\n'),
    );
    const { status, out } = checkDocs(file);
    expect(status).toBe(1);
    expect(out).toMatch(/broken\.md:5:\d+ TS2322/);
  });

  it('fails on an unknown export, so blocks cannot drift from the API', () => {
    const file = join(tmp, 'drift.md');
    writeFileSync(file, ['```typescript', "import { verifyWebhook } from '@hookproof/core';", 'export { verifyWebhook };', '```', ''].join('\n'));
    const { status, out } = checkDocs(file);
    expect(status).toBe(1);
    expect(out).toMatch(/drift\.md:2:\d+ TS2305|drift\.md:2:\d+ TS2724/);
  });

  it('checks each block as its own module (no leaking declarations between blocks)', () => {
    const file = join(tmp, 'modules.md');
    writeFileSync(file, ['```ts', 'const secret = 1;', 'export { secret };', '```', '', '```ts', 'export const twice = secret * 2;', '```', ''].join('\n'));
    const { status, out } = checkDocs(file);
    expect(status).toBe(1);
    expect(out).toMatch(/modules\.md:7:\d+ TS2304/);
  });

  it('accepts `no-check` only with a reason', () => {
    const file = join(tmp, 'nocheck.md');
    writeFileSync(file, ['```ts no-check', 'this is not TypeScript', '```', '', '```ts no-check: a fragment of a larger file', 'this is not TypeScript either', '```', ''].join('\n'));
    const { status, out } = checkDocs(file);
    expect(status).toBe(1);
    expect(out).toMatch(/nocheck\.md:2: `no-check` needs a reason/);
    expect(out).not.toMatch(/nocheck\.md:6: `no-check` needs/);
    expect(out).toMatch(/skipped .*nocheck\.md:6: a fragment of a larger file/);
  });
});
