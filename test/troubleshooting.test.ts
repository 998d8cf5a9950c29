// docs/troubleshooting.md is driven by core: its error table must list every code of
// `errorStatuses` with that status, and its diagnosis table every `DiagnosisCause`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errorStatuses, type DiagnosisCause, type WebhookErrorCode } from '@hookproof/core';
import { describe, expect, it } from 'vitest';
import { root } from '../scripts/lib/workspace.mjs';

const page = readFileSync(join(root, 'docs', 'troubleshooting.md'), 'utf8');
const section = (heading: string) => page.split(`\n${heading}\n`)[1]?.split(/\n## /)[0] ?? '';

/** First two cells of each body row (not the header row) that starts with a code span. */
function rows(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = /^\| `([a-z_]+)` \| ([^|]+) \|/.exec(line);
    if (m && !/^\|\s*-/.test(lines[i + 1] ?? '')) out.set(m[1]!, m[2]!.trim());
  });
  return out;
}

// The union's members, read from the source (a type has no runtime list); every member
// must be a plain string literal, so the count of `|` separators checks the parse.
function diagnosisCauses(): string[] {
  const src = readFileSync(join(root, 'packages', 'core', 'src', 'diagnose.ts'), 'utf8');
  const union = /export type DiagnosisCause =([^;]+);/.exec(src)?.[1] ?? '';
  const members = union.split('|').map((m) => m.trim()).filter(Boolean);
  const causes = [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!);
  expect(causes).toHaveLength(members.length);
  return causes;
}

describe('docs/troubleshooting.md', () => {
  it('lists every error code with the status core answers', () => {
    const table = rows(section('## Error codes'));
    const codes = Object.keys(errorStatuses) as WebhookErrorCode[];
    expect([...table.keys()].sort()).toEqual([...codes].sort());
    for (const code of codes) expect(table.get(code), code).toBe(String(errorStatuses[code]));
  });

  it('explains every cause diagnose() can report', () => {
    const causes = diagnosisCauses();
    expect(causes.length).toBeGreaterThan(5);
    const names: DiagnosisCause[] = causes as DiagnosisCause[];
    const table = rows(section('### What `diagnose` can find'));
    expect([...table.keys()].sort()).toEqual([...names].sort());
  });

  it('marks exactly the codes no package emits yet as not built', () => {
    // A code is emitted when some source outside errors.ts names it as a string literal.
    const sources: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.endsWith(join('core', 'src', 'errors.ts'))) sources.push(readFileSync(path, 'utf8'));
      }
    };
    for (const pkg of readdirSync(join(root, 'packages'))) {
      const src = join(root, 'packages', pkg, 'src');
      if (existsSync(src)) walk(src);
    }
    const emitted = (code: string) => sources.some((text) => text.includes(`'${code}'`));
    const lines = section('## Error codes').split('\n');
    for (const code of Object.keys(errorStatuses)) {
      const line = lines.find((l) => l.startsWith(`| \`${code}\` |`)) ?? '';
      expect(line.includes('**not built yet**'), `${code}: emitted=${emitted(code)}`).toBe(!emitted(code));
    }
  });
});
