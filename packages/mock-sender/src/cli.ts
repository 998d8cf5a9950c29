#!/usr/bin/env node
// The `hookproof` bin. All logic is in ./cli/ so it can be tested as a module too.
import { main } from './cli/main.js';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`hookproof: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
