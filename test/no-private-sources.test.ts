// Users have the repository and the packages, nothing else: a note, comment, type hover,
// CLI line or doc that cites a file outside them (a numbered vendor excerpt, the project's
// internal vendor summary or design notes, a sibling `shared` folder) sends a reader nowhere.
// Vendor facts are cited by the vendor's public page, by title and section.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { vendorIds, vendors } from '@hookproof/core';
import { describe, expect, it } from 'vitest';
import { events } from '../packages/mock-sender/src/cli/events.js';
import { createStyle } from '../packages/mock-sender/src/cli/style.js';
import { root } from '../scripts/lib/workspace.mjs';

/** Names of files users do not have. Built from parts so this file does not match itself. */
const PRIVATE = new RegExp(
  [String.raw`seeds?[ _/-]?0\d\d`, String.raw`\bseeds/`, ['VENDORS', 'md'].join(String.raw`\.`), ['DESIGN', 'md'].join(String.raw`\.`), String.raw`\.\./shared\b`, String.raw`\b` + ['shared', 'vectors'].join('/')].join('|'),
  'i',
);

/** Tracked and new files (git ignores node_modules), plus the built packages when present. */
function repoFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(root, f)));
  const dist: string[] = [];
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const dir = join(root, 'packages', pkg, 'dist');
    if (existsSync(dir)) walk(dir, dist);
  }
  return [...listed, ...dist.map((f) => relative(root, f))];
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.push(path);
  }
}

const TEXT = /\.(ts|mts|cts|tsx|js|mjs|cjs|json|md|yml|yaml|txt|html|css)$/;

function offenders(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    // scripts/lint.mjs names the sibling folder in the message of the check that forbids reading it.
    if (!TEXT.test(file) || file === 'pnpm-lock.yaml' || file === 'scripts/lint.mjs') continue;
    const path = join(root, file);
    if (statSync(path).size > 5_000_000) continue;
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const m = PRIVATE.exec(line);
      if (m) out.push(`${file}:${i + 1}: ${m[0]}`);
    });
  }
  return out;
}

describe('no file cites a source users do not have', () => {
  it('the pattern finds each form it is meant to find', () => {
    // Escapes keep this file itself clean.
    for (const bad of ['(seed\u0020001)', 'Seed\u0020002 shows', 'seeds\u002f003_x.txt', 'see VENDORS\u002emd', 'DESIGN\u002emd says', 'read ..\u002fshared/x', 'from shared\u002fvectors']) {
      expect(PRIVATE.test(bad), bad).toBe(true);
    }
    for (const fine of ['seed: 42', 'a seed of 1234', 'createRandom(seed)', 'docs/vendors/README.md']) expect(PRIVATE.test(fine), fine).toBe(false);
  });

  it('sources, docs, READMEs, examples, scripts, tests, benches and built packages', () => {
    const files = repoFiles();
    expect(files.some((f) => f.startsWith('packages/core/src/vendors/'))).toBe(true);
    expect(files).toContain('docs/troubleshooting.md');
    expect(offenders(files)).toEqual([]);
  });

  it('the profiles\' notes, which the vendor pages and `hookproof events` print', () => {
    for (const id of vendorIds) {
      for (const [field, note] of Object.entries(vendors[id].provenance)) {
        const text = 'documented' in note ? note.documented : note.assumed;
        expect(PRIVATE.test(text), `${id}.${field}: ${text}`).toBe(false);
      }
    }
  });

  it('`hookproof events` output, text and JSON', async () => {
    for (const json of [false, true]) {
      const stdout = new PassThrough();
      let printed = '';
      stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      const io = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
      expect(await events.run(json ? { json: true } : {}, [], io, createStyle({}, {}))).toBe(0);
      for (const id of vendorIds) expect(printed).toContain(json ? `"vendor": "${id}"` : vendors[id].name);
      expect(printed.split('\n').filter((l) => PRIVATE.test(l))).toEqual([]);
    }
  });
});
