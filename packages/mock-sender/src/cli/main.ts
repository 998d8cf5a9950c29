import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXIT, print, type Command } from './command.js';
import { demo } from './demo.js';
import { events } from './events.js';
import { UsageError, type Io } from './io.js';
import { listen } from './listen.js';
import { send } from './send.js';
import { sign } from './sign.js';
import { createStyle } from './style.js';
import { verify } from './verify.js';

const commands: readonly Command[] = [send, sign, verify, listen, events, demo];

function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@hookproof/mock-sender') return pkg.version ?? 'unknown';
    } catch {
      // keep looking upwards
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

const overview = (): string => `Usage: hookproof <command> [options]

Test webhook receivers offline: spec-accurate, signed deliveries from Autoposting.ai,
Aidelly, Audenci and Timbrix, with their retry schedules and faults.

Commands:
${commands.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`).join('\n')}

Run "hookproof <command> --help" for a command's options.
Options: -h, --help  show this help;  -v, --version  print the version.
Exit status: 0 ok, 1 verification or delivery failed, 2 usage error.`;

/** Runs the CLI; resolves the exit code (0 ok, 1 failed, 2 usage error). Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const style = createStyle(io.stdout, io.env);
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const target = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    print(io, target?.help ?? overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '-v' || name === '--version') {
    print(io, version());
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr.write(`hookproof: unknown command ${JSON.stringify(name)}\n\n${overview()}\n`);
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values['help'] === true) {
      print(io, command.help);
      return EXIT.ok;
    }
    return await command.run(values, positionals, io, style);
  } catch (error) {
    const usage =
      error instanceof UsageError ||
      (error instanceof TypeError && /^@hookproof/.test(error.message)) ||
      (error as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS') === true;
    if (usage) {
      io.stderr.write(`hookproof ${command.name}: ${(error as Error).message.replace(/^@hookproof(\/mock-sender)?: /, '')}\n\n${command.help}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`hookproof ${command.name}: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.failed;
  }
}
