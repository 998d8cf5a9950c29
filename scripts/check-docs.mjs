// `pnpm check:docs`: every ```ts / ```typescript block in README.md, docs/**/*.md,
// packages/*/README.md and examples/*/README.md is type-checked against the workspace
// packages (the root tsconfig's `paths` map `@hookproof/*` to their sources), each
// block as its own module. A block may opt out only with a reason:
//   ```ts no-check: shows a fragment of a larger file
// Usage: node scripts/check-docs.mjs [file.md ...]   (default: all of the above)
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { markdownFiles, root } from './lib/workspace.mjs';

const TS_LANGS = new Set(['ts', 'typescript', 'mts', 'cts']);

/** Fenced code blocks of one markdown file, with the 1-based line of their first code line. */
function extractBlocks(file) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const blocks = [];
  const problems = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang, info] = open;
    const body = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[j])) {
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
      j++;
    }
    if (TS_LANGS.has(lang.toLowerCase())) {
      const noCheck = /^no-check\b[:\s]*(.*)$/.exec(info.trim());
      const where = `${relative(root, file)}:${i + 2}`;
      if (noCheck && noCheck[1].trim().length < 10) {
        problems.push(`${where}: \`no-check\` needs a reason, e.g. \`\`\`ts no-check: shows a fragment of a larger file`);
      }
      blocks.push({ file, line: i + 2, lang: lang.toLowerCase(), code: body.join('\n'), skip: noCheck ? noCheck[1].trim() : undefined });
    }
    i = j;
  }
  return { blocks, problems };
}

function compilerOptions() {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  // Each block is its own module, even one without imports.
  return { ...parsed.options, noEmit: true, moduleDetection: ts.ModuleDetectionKind.Force };
}

/** Type-checks blocks; returns one message per diagnostic, pointing at the markdown line. */
function checkBlocks(blocks) {
  const options = compilerOptions();
  const virtual = new Map();
  const origin = new Map();
  for (const block of blocks) {
    if (block.skip !== undefined) continue;
    const ext = block.lang === 'mts' ? 'mts' : block.lang === 'cts' ? 'cts' : 'ts';
    const name = relative(root, block.file).replace(/[\\/.]/g, '_');
    const path = join(root, '.docs-check', `${name}_L${block.line}.${ext}`);
    virtual.set(path, block.code);
    origin.set(path, block);
  }
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => virtual.has(resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(resolve(f)) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = virtual.get(resolve(f));
    return text !== undefined ? ts.createSourceFile(f, text, lang, true) : getSourceFile.call(host, f, lang, onError, create);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  const messages = [];
  for (const d of [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]) {
    messages.push(`tsconfig: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
  for (const [path, block] of origin) {
    const sf = program.getSourceFile(path);
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const { line, character } = d.start === undefined ? { line: 0, character: 0 } : sf.getLineAndCharacterOfPosition(d.start);
      messages.push(
        `${relative(root, block.file)}:${block.line + line}:${character + 1} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    }
  }
  return messages;
}

const args = process.argv.slice(2).map((f) => resolve(f));
const files = args.length > 0 ? args : markdownFiles();
const blocks = [];
const problems = [];
for (const file of files) {
  const found = extractBlocks(file);
  blocks.push(...found.blocks);
  problems.push(...found.problems);
}
problems.push(...checkBlocks(blocks));
const skipped = blocks.filter((b) => b.skip !== undefined);
for (const b of skipped) console.log(`skipped ${relative(root, b.file)}:${b.line}: ${b.skip}`);
const perFile = files.map((f) => `${relative(root, f) || f}: ${blocks.filter((b) => b.file === f).length}`).join(', ');
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`check:docs: ${problems.length} problem(s) in ${blocks.length} TypeScript block(s)`);
  process.exit(1);
}
console.log(`check:docs: ${blocks.length - skipped.length} TypeScript block(s) compile (${skipped.length} no-check) — ${perFile}`);
