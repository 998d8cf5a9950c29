// The examples are JavaScript that node runs as is; their JSDoc types and their tests are
// still checked, against the packages' sources (examples/tsconfig.json, checkJs), so an
// example that drifts from the API, or misspells an event name, fails CI.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const config = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

describe('examples type check', () => {
  it('every example (src/*.mjs with checkJs, and test/*.ts) compiles without errors', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    });
    if (parsed === undefined) throw new Error(`cannot read ${config}`);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const messages = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      return `${d.file?.fileName ?? 'tsconfig'}${where ? `:${where.line + 1}:${where.character + 1}` : ''} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });

    expect(messages).toEqual([]);
    // Each example's app and test are in the program (a glob that matched nothing would pass vacuously).
    const names = parsed.fileNames.map((f) => f.slice(f.indexOf('examples/')));
    for (const example of ['express', 'fastify', 'koa', 'fetch']) {
      expect(names).toContain(`examples/${example}/src/app.mjs`);
      expect(names).toContain(`examples/${example}/test/app.test.ts`);
    }
  });
});
