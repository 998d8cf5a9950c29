#!/usr/bin/env node
// The `hookproof` bin. All logic is in ./cli/ so it can be tested as a module too.
import { main } from './cli/main.js';

// `hookproof events | head -1`: the reader left, so there is nobody to print to. Stop
// quietly, as other command-line tools do, instead of crashing with an EPIPE stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`hookproof: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
