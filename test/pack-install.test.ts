// Every built package, packed as `pnpm publish` would pack it, installed with npm into a
// scratch project in the OS temp directory (outside the workspace, so nothing resolves
// through workspace links or root paths), then used the way a user would: ESM import,
// CJS require, the default/browser build through a bundler, and TypeScript with
// moduleResolution node16 and bundler. Deliveries are signed with plain node:crypto.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPackages, missingBuild, pack, root, staleBuild, type WorkspacePackage } from '../scripts/lib/workspace.mjs';

const fixtures = join(root, 'test', 'scratch');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const all = listPackages();
const ready = all.filter((p) => p.ready);
const others = ready.filter((p) => p.folder !== 'core');
for (const p of all.filter((x) => !x.ready)) console.log(`pack-install: skipping ${p.name}: ${p.reason}`);

let scratch = '';

function run(cmd: string, args: string[], cwd = scratch): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(join(scratch, file), `${JSON.stringify(value, null, 2)}\n`);
}

function tsconfig(file: string, module: string, moduleResolution: string, include: string[], extra: Record<string, unknown> = {}): void {
  writeJson(file, {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module,
      moduleResolution,
      strict: true,
      noEmit: true,
      // Check our .d.ts files too: a user with skipLibCheck off must see no errors.
      skipLibCheck: false,
      types: ['node'],
      // The scratch project has no @types/node of its own; borrow the workspace's.
      typeRoots: [join(root, 'node_modules', '@types')],
      ...extra,
    },
    include,
  });
}

type Checks = {
  aidelly: { ok: boolean; type?: string; id?: string; idSource?: string; secretIndex?: number };
  aidellyPayload: string;
  tampered: { ok: boolean; code?: string; status?: number };
  missing: { ok: boolean; code?: string; status?: number };
  garbage: { ok: boolean; code?: string; status?: number };
  autoposting: { ok: boolean; type?: string; id?: string; idSource?: string };
  stale: { ok: boolean; code?: string; status?: number };
  setupError: string;
  fetch: { status: number; body: Record<string, unknown> }[];
  exports: string[];
  resolved: string;
};

const results: Record<'esm' | 'cjs' | 'web', Checks | undefined> = { esm: undefined, cjs: undefined, web: undefined };

function expectBehaviour(r: Checks): void {
  expect(r.aidelly).toMatchObject({ ok: true, type: 'post.published', idSource: 'body-digest', secretIndex: 1 });
  expect(r.aidelly.id).toMatch(/^sha256:[0-9a-f]{32}$/);
  expect(r.aidellyPayload).toBe('urn:li:share:1');
  expect(r.tampered).toEqual({ ok: false, code: 'signature_mismatch', status: 401 });
  expect(r.missing).toEqual({ ok: false, code: 'missing_signature', status: 401 });
  expect(r.garbage).toEqual({ ok: false, code: 'malformed_signature', status: 401 });
  expect(r.autoposting).toMatchObject({ ok: true, type: 'post.failed', id: 'evt_1', idSource: 'payload' });
  expect(r.stale).toEqual({ ok: false, code: 'timestamp_out_of_tolerance', status: 401 });
  expect(r.setupError).toMatch(/^TypeError: @hookproof: .*secret/);
  expect(r.fetch[0]).toEqual({ status: 200, body: { ok: true, id: r.aidelly.id, type: 'post.published' } });
  expect(r.fetch[1]?.status).toBe(200);
  expect(r.fetch[1]?.body).toMatchObject({ error: 'duplicate' });
  expect(r.fetch[2]?.status).toBe(401);
  expect(r.fetch[2]?.body).toMatchObject({ error: 'missing_signature' });
  expect(JSON.stringify(r.fetch)).not.toContain('whsec_');
}

beforeAll(() => {
  scratch = mkdtempSync(join(realpathSync(tmpdir()), 'hookproof-scratch-'));
  const tarballs = join(scratch, 'tarballs');
  mkdirSync(tarballs);
  const packed = ready.map((p) => {
    const missing = missingBuild(p);
    if (missing.length > 0) throw new Error(`${p.name} is not built (${missing.join(', ')}): run pnpm build`);
    // `pnpm test` builds first, so this only happens in a hand-run `vitest --project repo`.
    if (staleBuild(p)) console.warn(`pack-install: ${p.name}: dist/ is older than src/ (testing the last build; run pnpm build)`);
    return `./${relative(scratch, pack(p, tarballs))}`;
  });
  writeJson('package.json', { name: 'hookproof-scratch', version: '0.0.0', private: true });
  // Peers (express, fastify, koa, ioredis) come from the registry; core needs nothing.
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--prefer-offline', '--loglevel=error', ...packed]);
  for (const f of readdirSync(fixtures)) copyFileSync(join(fixtures, f), join(scratch, f));
}, 300_000);

afterAll(() => {
  if (scratch !== '' && !process.env.HOOKPROOF_KEEP_SCRATCH) rmSync(scratch, { recursive: true, force: true });
});

describe('@hookproof/core from its npm tarball, outside the workspace', () => {
  it('is a real install, not a workspace link', () => {
    expect(relative(root, scratch).startsWith('..')).toBe(true);
    const installed = join(scratch, 'node_modules', '@hookproof', 'core');
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string };
    const source = JSON.parse(readFileSync(join(root, 'packages', 'core', 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).toBe(source.version);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'LICENSE'))).toBe(true);
  });

  it('ESM import resolves the Node build and verifies node:crypto-signed deliveries', () => {
    const r = JSON.parse(run('node', ['esm.mjs'])) as Checks;
    expect(r.resolved).toMatch(/node_modules\/@hookproof\/core\/dist\/index\.js$/);
    expectBehaviour(r);
    results.esm = r;
  });

  it('CJS require resolves the CommonJS build and behaves the same', () => {
    const r = JSON.parse(run('node', ['cjs.cjs'])) as Checks;
    expect(r.resolved).toMatch(/node_modules\/@hookproof\/core\/dist\/index\.cjs$/);
    expectBehaviour(r);
    results.cjs = r;
    expect(r.exports).toEqual(results.esm?.exports ?? r.exports);
    expect(r.exports).toContain('verify');
  });

  it('the default (browser) build bundles without node: imports and verifies with Web Crypto', async () => {
    writeFileSync(join(scratch, 'deliveries.json'), run('node', ['-p', "JSON.stringify(require('./deliveries.cjs'))"]));
    const out = await build({
      entryPoints: [join(scratch, 'web-entry.mjs')],
      absWorkingDir: scratch,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    expect(code).not.toMatch(/node:crypto|node:buffer/);
    expect(code).toContain('crypto.subtle');
    writeFileSync(join(scratch, 'web-bundle.mjs'), code);
    const r = JSON.parse(run('node', ['web-bundle.mjs'])) as Checks;
    expectBehaviour(r);
    results.web = r;
    // The same delivery gets the same event id on both crypto back-ends.
    expect(r.aidelly.id).toBe(results.esm?.aidelly.id ?? r.aidelly.id);
  });

  it('type-checks the public API with moduleResolution node16 (ESM and CJS files)', () => {
    writeJson('package.json', { name: 'hookproof-scratch', version: '0.0.0', private: true });
    tsconfig('tsconfig.node16.json', 'Node16', 'Node16', ['api.mts', 'api.cts']);
    expect(() => run('node', [tsc, '-p', 'tsconfig.node16.json'])).not.toThrow();
  });

  it('type-checks the public API with moduleResolution bundler', () => {
    tsconfig('tsconfig.bundler.json', 'ESNext', 'Bundler', ['api.mts']);
    expect(() => run('node', [tsc, '-p', 'tsconfig.bundler.json'])).not.toThrow();
  });

  it('type-checks in an edge project: Web types only, no @types/node', () => {
    tsconfig('tsconfig.edge.json', 'ESNext', 'Bundler', ['edge.ts'], { lib: ['ES2022', 'DOM'], types: [], typeRoots: [] });
    expect(() => run('node', [tsc, '-p', 'tsconfig.edge.json'])).not.toThrow();
  });

  it('reports a type error in user code (the compile step is not a no-op)', () => {
    writeFileSync(join(scratch, 'broken.mts'), "import { verify } from '@hookproof/core';\nexport const n: number = verify;\n");
    tsconfig('tsconfig.broken.json', 'Node16', 'Node16', ['broken.mts']);
    expect(() => run('node', [tsc, '-p', 'tsconfig.broken.json'])).toThrow(/TS2322/);
  });
});

describe.runIf(others.length > 0)('the other packages from their tarballs', () => {
  it.each(others.map((p) => [p.name, p] as const))('%s: ESM import, CJS require and typed exports', (name: string, p: WorkspacePackage) => {
    const esm = JSON.parse(run('node', ['--input-type=module', '-e', `const m = await import(${JSON.stringify(name)}); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'module.exports').sort()))`])) as string[];
    const cjs = JSON.parse(run('node', ['-e', `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(name)})).sort()))`])) as string[];
    expect(esm.length).toBeGreaterThan(0);
    expect(cjs).toEqual(esm);
    const file = `${p.folder}.mts`;
    writeFileSync(join(scratch, file), `import * as m from ${JSON.stringify(name)};\nexport const keys: string[] = Object.keys(m);\n`);
    // Peer types (@types/express, ...) are the user's to install: check our own declarations resolve and are typed.
    tsconfig(`tsconfig.${p.folder}.json`, 'Node16', 'Node16', [file], { skipLibCheck: true });
    expect(() => run('node', [tsc, '-p', `tsconfig.${p.folder}.json`])).not.toThrow();
  });
});

