import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

// The README's first command runs this script; CI proves it still behaves as documented.
describe('pnpm demo', () => {
  it('drives every vendor through the scenarios and exits 0 with every check ok', () => {
    const out = execFileSync(process.execPath, ['scripts/demo.mjs'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(out).toMatch(/All \d+ checks behaved as documented\./);
    for (const vendor of ['Autoposting.ai', 'Aidelly', 'Audenci', 'Timbrix']) {
      expect(out).toContain(`${vendor} `);
    }
    expect(out).not.toContain('EXPECTED');
    expect(out).toMatch(/Aidelly\s+\| handler fails twice, then recovers .*delivered \[0s:500 5s:500 30s:200\]/);
  }, 130_000);
});
