import { schemeOf, sign as coreSign, vendors } from '@hookproof/core';
import { EXIT, flag, print, str, strs, type Command } from './command.js';
import { bodyArg, numberArg, secretsArg, UsageError, vendorArg } from './io.js';

export const sign: Command = {
  name: 'sign',
  summary: "print the headers a vendor would send with a body (core's sign())",
  help: `Usage: HOOKPROOF_SECRET=… hookproof sign <vendor> [--body <text> | --file <path> | < body]

Prints the delivery headers <vendor> sends with the body: signature, and where the vendor
has them, timestamp, event and delivery id. The body is signed byte for byte as given.

Options:
  --secret <secret>    signing secret (default: $HOOKPROOF_SECRET, which is better: a
                       --secret value is visible to every user in \`ps\`)
  --body <text>        the body (else --file, else stdin)
  --file <path>        read the body from a file
  --timestamp <unix-s> signing time for vendors that sign one (default: now)
  --id <id>            delivery id, for vendors with a delivery header (Autoposting)
  --json               print the headers as a JSON object
  -h, --help           show this help

Exit status: 0 ok, 2 usage error.`,
  options: {
    secret: { type: 'string', multiple: true },
    body: { type: 'string' },
    file: { type: 'string' },
    timestamp: { type: 'string' },
    id: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, positionals, io) {
    const vendor = vendorArg(positionals[0]);
    const secret = secretsArg(strs(values, 'secret'), io.env)[0];
    if (secret === undefined) throw new UsageError('a secret is required: set $HOOKPROOF_SECRET (or pass --secret)');
    const timestamp = numberArg(str(values, 'timestamp'), 'timestamp');
    const body = await bodyArg({ body: str(values, 'body'), file: str(values, 'file') }, io);
    const id = str(values, 'id');
    const headers = await coreSign({
      vendor,
      body,
      secret,
      ...(timestamp === undefined ? {} : { timestamp }),
      ...(id === undefined ? {} : { id }),
    });
    const profile = vendors[vendor];
    const scheme = schemeOf(profile);
    const names = new Map(
      [
        ...scheme.signatureNames,
        ...(scheme.timestamp?.names ?? []),
        ...(scheme.id?.names ?? []),
        profile.eventHeader,
        profile.deliveryHeader,
        'Content-Type',
      ]
        .filter((n): n is string => n !== undefined)
        .map((n) => [n.toLowerCase(), n]),
    );
    const named = Object.fromEntries(Object.entries(headers).map(([k, v]) => [names.get(k) ?? k, v]));
    if (flag(values, 'json')) print(io, JSON.stringify(named, null, 2));
    else for (const [k, v] of Object.entries(named)) print(io, `${k}: ${v}`);
    return EXIT.ok;
  },
};
