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

/** The vendors' public pages, by the titles they give themselves: what a documented note cites. */
const PAGES: Record<string, readonly string[]> = {
  autoposting: ['Autoposting.ai API reference, "Create a webhook endpoint"', 'Autoposting.ai docs, "Webhooks" concept page'],
  aidelly: ['Aidelly REST API guide, "Webhooks" page'],
  audenci: ['Audenci help, "Webhook Integrations & API Usage"'],
  timbrix: ['Timbrix API reference, "Create a new webhook"'],
  'standard-webhooks': ['Standard Webhooks specification'],
};

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

  it.each(vendorIds.map((id) => [id]))('%s: a documented row names the public vendor page it comes from', (id) => {
    const documented = page(id)
      .split('\n')
      .filter((l) => /^\| `\w+` \(/.test(l) && / \| documented \| /.test(l));
    expect(documented.length).toBeGreaterThan(0);
    for (const row of documented) {
      const note = row.split(' | documented | ')[1] ?? '';
      expect((PAGES[id] ?? []).some((p) => note.includes(p)), row).toBe(true);
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

describe('docs/troubleshooting.md on how the secret keys the HMAC', () => {
  it('says which vendors document it and that it is assumed for the rest, as the profiles do', () => {
    const text = readFileSync(join(root, 'docs', 'troubleshooting.md'), 'utf8');
    const rows = text.split('\n').filter((l) => l.startsWith('| `secret_prefix` |') || l.startsWith('| `secret_encoding` |'));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      for (const id of vendorIds) {
        const note = vendors[id].provenance.secretKey;
        // Every vendor is named in the row or in its "the other three"; an assumed one makes the row say so.
        if ('assumed' in note) expect(row, id).toMatch(/\*assumed\*/);
      }
      expect(row).toMatch(/Aidelly's sample code/);
      expect(row).not.toMatch(/these vendors use/);
    }
  });
});
