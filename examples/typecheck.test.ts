// The examples are JavaScript that node runs as is; their JSDoc types and their tests are
// still checked, against the packages' sources (examples/tsconfig.json, checkJs), so an
// example that drifts from the API, or misspells an event name, fails CI. The README's
// quick start (two files, which the per-block docs check cannot compile together) is
// compiled here as app.ts + app.test.ts, and its test is run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '..');
const config = join(here, 'tsconfig.json');

function parsedConfig(): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (parsed === undefined) throw new Error(`cannot read ${config}`);
  return parsed;
}

function diagnostics(program: ts.Program): string[] {
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return `${d.file?.fileName ?? 'tsconfig'}${where ? `:${where.line + 1}:${where.character + 1}` : ''} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** The README's ```ts blocks whose first line is `// <name>`. */
function readmeFile(name: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```ts[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  const found = blocks.filter((code) => code.startsWith(`// ${name}\n`));
  expect(found, `README.md: one \`\`\`ts block starting with // ${name}`).toHaveLength(1);
  return found[0]!;
}

// Inside examples/, so that express, vitest and @hookproof/* resolve as they do for the examples.
const quickstart = mkdtempSync(join(here, '.quickstart-'));
afterAll(() => rmSync(quickstart, { recursive: true, force: true }));

describe('examples type check', () => {
  it('every example (src/*.mjs with checkJs, and test/*.ts) compiles without errors', () => {
    const parsed = parsedConfig();
    const program = ts.createProgram(parsed.fileNames, parsed.options);

    expect(diagnostics(program)).toEqual([]);
    // Each example's app and test are in the program (a glob that matched nothing would pass vacuously).
    const names = parsed.fileNames.map((f) => f.slice(f.indexOf('examples/')));
    for (const example of ['express', 'fastify', 'koa', 'fetch']) {
      expect(names).toContain(`examples/${example}/src/app.mjs`);
      expect(names).toContain(`examples/${example}/test/app.test.ts`);
    }
  });

  it("the README's quick start compiles as app.ts + app.test.ts, and its test passes", () => {
    writeFileSync(join(quickstart, 'app.ts'), readmeFile('app.ts'));
    writeFileSync(join(quickstart, 'app.test.ts'), readmeFile('app.test.ts'));
    const files = [join(quickstart, 'app.ts'), join(quickstart, 'app.test.ts')];

    expect(diagnostics(ts.createProgram(files, parsedConfig().options))).toEqual([]);

    // Run as a user would: vitest on the two files (the packages from their sources, as in every project here).
    // '@hookproof/core/adapter' first: the adapters import it, and '@hookproof/core' would match it as a prefix.
    const alias = Object.fromEntries([
      ['@hookproof/core/adapter', join(root, 'packages', 'core', 'src', 'adapter.ts')],
      ...['core', 'express', 'mock-sender'].map((p) => [`@hookproof/${p}`, join(root, 'packages', p, 'src', 'index.ts')]),
    ]);
    writeFileSync(
      join(quickstart, 'vitest.config.mjs'),
      `export default ${JSON.stringify({ resolve: { alias }, test: { include: ['app.test.ts'] } })};\n`,
    );
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const run = spawnSync(process.execPath, [vitest, 'run', '--config', 'vitest.config.mjs'], {
      cwd: quickstart,
      encoding: 'utf8',
      timeout: 90_000,
      env: { ...process.env, CI: '', NO_COLOR: '1' },
    });
    const out = `${run.stdout}${run.stderr}`;
    expect(out).toMatch(/Tests\s+1 passed/);
    expect(run.status, out).toBe(0);
  }, 120_000);
});
