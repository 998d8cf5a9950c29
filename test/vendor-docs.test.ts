// docs/vendors/*.md are generated from the core profiles; these tests fail when a
// committed page drifts from the profiles, and check the tables against the profiles
// directly (not through the generator).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vendorIds, vendors, type ProfileField, type Provenance } from '@hookproof/core';
import { describe, expect, it } from 'vitest';
import { root } from '../scripts/lib/workspace.mjs';

const page = (id: string) => readFileSync(join(root, 'docs', 'vendors', `${id}.md`), 'utf8');

describe('vendor pages', () => {
  it('are what scripts/gen-vendor-docs.mjs generates from the built core (run `pnpm docs:vendors`)', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'gen-vendor-docs.mjs'), '--check'], { cwd: root, encoding: 'utf8' });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });

  it.each(vendorIds.map((id) => [id]))('%s: the table states every field as documented or assumed, with its note', (id) => {
    const profile = vendors[id];
    const text = page(id);
    expect(text).toContain(`# ${profile.name}`);
    const rows = new Map<string, string[]>();
    for (const line of text.split('\n')) {
      const m = /^\| `(\w+)` \([^)]*\) \| (.*) \|$/.exec(line);
      if (m) rows.set(m[1]!, m[2]!.split(/(?<!\\)\| /).map((c) => c.trim().replace(/ \|$/, '')));
    }
    const fields = Object.keys(profile.provenance) as ProfileField[];
    expect([...rows.keys()].sort()).toEqual([...fields].sort());
    for (const field of fields) {
      const p: Provenance = profile.provenance[field];
      const [, status, note] = rows.get(field)!;
      const assumed = 'assumed' in p;
      expect(status, field).toBe(assumed ? '**assumed**' : 'documented');
      expect(note?.replace(/\\\|/g, '|'), field).toBe('assumed' in p ? p.assumed : p.documented);
    }
  });

  it.each(vendorIds.map((id) => [id]))('%s: every assumption has an override section with a code block', (id) => {
    const profile = vendors[id];
    const text = page(id);
    const assumed = (Object.keys(profile.provenance) as ProfileField[]).filter((f) => 'assumed' in profile.provenance[f]);
    for (const field of assumed) {
      const section = text.split(`### \`${field}\``)[1]?.split(/\n### |\n## /)[0] ?? '';
      expect(section, `${id}: no override section for ${field}`).toMatch(/```ts\n[\s\S]*?```/);
    }
    if (assumed.length === 0) expect(text).not.toContain('## Override an assumption');
  });

  it.each(vendorIds.map((id) => [id]))('%s: the retry table lists 1 try plus one row per documented delay', (id) => {
    const { retry } = vendors[id];
    const text = page(id).split('## Retry schedule')[1]!.split('\n## ')[0]!;
    const attempts = text.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(attempts).toHaveLength(retry.delaysSec.length + 1);
  });
});
