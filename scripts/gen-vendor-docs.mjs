// `pnpm docs:vendors`: writes docs/vendors/<id>.md and docs/vendors/README.md from the
// BUILT core profiles (packages/core/dist), so the documented-vs-assumed tables cannot
// drift from the code. Prose that is not in a profile (the vendors' own
// contradictions) comes from the vendor's folder, packages/core/src/vendors/<id>/notes.md.
// What a vendor signs is read through core's scheme module (`schemeOf`), like verify does.
// `--check` writes nothing and exits 1 if a committed page differs (CI runs it).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './lib/workspace.mjs';

const dist = join(root, 'packages', 'core', 'dist', 'index.js');
if (!existsSync(dist)) {
  console.error('gen-vendor-docs: packages/core/dist is missing: run `pnpm build` first.');
  process.exit(1);
}
const { vendors, vendorIds, schemeOf } = await import(pathToFileURL(dist).href);

const outDir = join(root, 'docs', 'vendors');
const FIELD_ORDER = [
  'scheme', 'signatureHeader', 'signedContent', 'signatureEncoding', 'signaturePrefix', 'timestampHeader', 'timestampFormat',
  'toleranceSec', 'unsigned', 'secretKey', 'secretSource', 'eventHeader', 'deliveryHeader', 'typeFields', 'idField', 'timeField', 'events',
  'otherEvents', 'openEvents', 'untypedEvent', 'typeFromEventHeader', 'bodyFormat', 'retry', 'timeoutMs', 'customHeaders', 'disableAfterFailures', 'api',
];
const FIELD_LABEL = {
  signatureHeader: 'signature header', signedContent: 'signed content', signatureEncoding: 'signature encoding',
  signaturePrefix: 'signature prefix', timestampHeader: 'timestamp header', timestampFormat: 'timestamp format',
  toleranceSec: 'replay window', unsigned: 'unsigned deliveries', secretKey: 'HMAC key', secretSource: 'where the secret comes from',
  eventHeader: 'event header',
  deliveryHeader: 'delivery id header', typeFields: 'event type field', idField: 'event id field',
  timeField: 'event time field', events: 'documented events', otherEvents: 'other events', retry: 'retry schedule',
  timeoutMs: 'attempt deadline', customHeaders: 'custom delivery headers',
  disableAfterFailures: 'endpoint disabled after', api: 'subscription API', scheme: 'signing scheme',
  openEvents: 'any event type', untypedEvent: 'body without a type', typeFromEventHeader: 'type from the event header', bodyFormat: 'body format',
};

const code = (s) => `\`${String(s).replace(/`/g, 'ˋ')}\``;
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
/** A vendor id as a JavaScript identifier (`standard-webhooks` -> `standardWebhooks`). */
const ident = (id) => id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
/** `vendors.aidelly`, or `vendors['standard-webhooks']` where the id is not an identifier. */
const vendorsAt = (id) => (/^[A-Za-z_$][\w$]*$/.test(id) ? `vendors.${id}` : `vendors[${JSON.stringify(id)}]`);

/** What the MAC covers, read from the vendor's scheme. */
function signedText(profile) {
  const scheme = schemeOf(profile);
  if (scheme.signedContent === '{body}') return 'the raw body';
  return code(scheme.template.map((p) => ('text' in p ? p.text : p.field === 'body' ? '<raw body>' : `<${p.field}>`)).join(''));
}

/** One line on the whole scheme: hash, header syntax, timestamp and id sources, secret encoding. */
function schemeText(profile) {
  const s = schemeOf(profile);
  const parts = [`HMAC-${s.algorithm.toUpperCase()} over ${signedText(profile)}`];
  parts.push(`${s.signatureNames.map(code).join(' or ')}: ${s.prefix === '' ? 'the bare MAC' : `${code(`${s.prefix}<MAC>`)}`}${s.lenient ? ' (also bare, `sha256=` or `v1=`)' : ''}, ${s.encoding}, several separated by ${code(s.separator)}`);
  if (s.timestamp !== undefined) parts.push(s.timestamp.key !== undefined ? `timestamp from ${code(`${s.timestamp.key}=`)} in the signature header` : `timestamp from ${s.timestamp.names.map(code).join(' or ')}`);
  if (s.id !== undefined) parts.push(`message id from ${s.id.names.map(code).join(' or ')}`);
  parts.push(s.secretEncoding === 'utf8' ? 'key: the secret string' : s.secretEncoding === 'whsec-base64' ? 'key: the base64 after `whsec_`, decoded' : 'key: the secret, base64-decoded');
  return parts.join('; ');
}

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function duration(sec) {
  if (sec < 60) return `${sec} s`;
  const parts = [];
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s) parts.push(`${s} s`);
  return parts.join(' ');
}

function value(profile, field) {
  const v = profile[field];
  if (v === undefined) return field === 'disableAfterFailures' ? 'never' : field === 'customHeaders' ? 'not documented: the mock sender sends them if given' : 'none';
  switch (field) {
    case 'signedContent':
      return signedText(profile);
    case 'scheme':
      return schemeText(profile);
    case 'openEvents':
    case 'typeFromEventHeader':
      return v ? 'yes' : 'no';
    case 'signaturePrefix':
      return v === '' ? 'none' : code(v);
    case 'toleranceSec':
      return `${duration(v)}, both ways`;
    case 'unsigned':
      return v === 'refuse' ? 'refused' : `accepted only with ${code('allowUnsigned: true')}`;
    case 'typeFields':
      return v.map(code).join(', then ');
    case 'events':
    case 'otherEvents':
      return v.length === 0 ? 'none' : `${v.length}: ${v.map(code).join(', ')}`;
    case 'retry':
      return `1 try + ${v.delaysSec.length} retries after ${v.delaysSec.map(duration).join(', ')} (each from the end of the failed attempt${v.timeoutIsFailure ? '; a timeout is a failure' : ''})`;
    case 'timeoutMs':
      return `${duration(v / 1000)}; success = any 2xx within it`;
    case 'customHeaders':
      return v ? `yes: check them with ${code('requiredHeaders')}` : 'no';
    case 'secretKey':
      if (v === 'whsec-base64') return `the bytes the base64 after an optional ${code('whsec_')} prefix decodes to`;
      if (v === 'base64') return 'the bytes the base64 secret decodes to';
      return `the whole secret string as UTF-8 bytes, any ${code('whsec_')} prefix included`;
    case 'secretSource':
      return { request: 'you choose it when creating the webhook', response: 'the create-webhook response returns it', 'outside-api': 'copied from the vendor, not from its API' }[v] ?? code(v);
    case 'disableAfterFailures':
      return `${v} consecutive failed deliveries`;
    case 'api':
      return `${v.method} ${code(v.baseUrl + v.path)}${v.returnsSecret ? ', returns the secret once' : ''}${v.requiredHeaders.length ? `; headers ${v.requiredHeaders.map(code).join(', ')}` : ''}`;
    default:
      return code(v);
  }
}

const status = (p) => ('documented' in p ? 'documented' : '**assumed**');
const note = (p) => ('documented' in p ? p.documented : p.assumed);

const secretEnv = (profile) => `${profile.id.toUpperCase().replace(/-/g, '_')}_WEBHOOK_SECRET`;
const eventsType = (profile) => `${cap(ident(profile.id))}Events`;

function secretPrelude(profile) {
  // A missing or empty secret is a setup error (a TypeError that names the fix); never a default anyone could sign with.
  return [`const secret = process.env.${secretEnv(profile)}!;`];
}

/**
 * How to override one assumed field: a complete module that compiles against the
 * workspace (the docs check type-checks it). Per field, not per vendor: vendor
 * knowledge stays in the profiles.
 */
function overrideFor(profile, field) {
  const v = vendorsAt(profile.id);
  const name = ident(profile.id);
  const typed = `defineVendor<${eventsType(profile)}, '${profile.id}'>`;
  const imports = `import { defineVendor, verify, vendors, type ${eventsType(profile)} } from '@hookproof/core';`;
  const withProfile = (what, overrides, explain) => ({
    explain,
    lines: [
      imports,
      '',
      `// ${what}`,
      `export const ${name} = ${typed}({ ...${v}, ${overrides} });`,
      '',
      ...secretPrelude(profile),
      '',
      'export function check(body: Uint8Array, headers: Headers) {',
      `  return verify({ vendor: ${name}, body, headers, secret });`,
      '}',
    ],
  });
  const withOption = (what, option, explain) => ({
    explain,
    lines: [
      "import { verify } from '@hookproof/core';",
      '',
      ...secretPrelude(profile),
      '',
      'export function check(body: Uint8Array, headers: Headers) {',
      `  // ${what}`,
      `  return verify({ vendor: '${profile.id}', body, headers, secret, ${option} });`,
      '}',
    ],
  });
  const ts = `X-${cap(profile.id)}-Timestamp`;
  switch (field) {
    case 'signatureEncoding': {
      const other = profile.signatureEncoding === 'hex' ? 'base64' : 'hex';
      return withProfile(`${profile.name} turned out to send ${other}.`, `signatureEncoding: '${other}'`,
        `Verification already accepts hex (either case), base64 and base64url, so receivers need no change. The field decides what ${code('sign()')} and the mock sender produce; change it when your tests should send what ${profile.name} really sends.`);
    }
    case 'signaturePrefix': {
      const other = profile.signaturePrefix === '' ? 'sha256=' : '';
      return withProfile(`${profile.name} turned out to prefix its signatures.`, `signaturePrefix: '${other}'`,
        `Verification accepts signatures with or without a ${code('sha256=')} or ${code('v1=')} prefix; this changes what ${code('sign()')} and the mock sender write.`);
    }
    case 'signedContent':
      return profile.signedContent === 'body'
        ? withProfile(`If ${profile.name} signs "<timestamp>.<body>" with a timestamp header (the name here is an example).`,
            `signedContent: 'timestamp.body', timestampHeader: '${ts}', timestampFormat: 'unix-s', toleranceSec: 300`,
            `If ${profile.name} turns out to sign a timestamp too, say so in the profile: verification then rebuilds ${code('<timestamp>.<body>')} and enforces the replay window.`)
        : withProfile(`If ${profile.name} signs the raw body alone.`, "signedContent: 'body'",
            'If the vendor signs the body alone, drop the timestamp from the signed content.');
    case 'timestampHeader':
      return withProfile(`If ${profile.name} turns out to sign "<timestamp>.<body>" with a timestamp header (the name here is an example).`,
        `signedContent: 'timestamp.body', timestampHeader: '${ts}', timestampFormat: 'unix-s', toleranceSec: 300`,
        `A timestamp header only matters when it is signed: name it together with ${code("signedContent: 'timestamp.body'")} and a replay window.`);
    case 'eventHeader':
      return withProfile(`${profile.name} turned out to name the event in a header (the name here is an example).`, `eventHeader: 'X-${cap(profile.id)}-Event'`,
        'The event type is read from the body first; this header is used when the body names none.');
    case 'deliveryHeader':
      return withProfile(`${profile.name} turned out to send a delivery id (the name here is an example).`, `deliveryHeader: 'X-${cap(profile.id)}-Delivery'`,
        `${code('event.deliveryId')} comes from this header; when the body has no event id, ${code('event.id')} does too (${code("idSource: 'delivery-header'")}), so dedupe keys on it.`);
    case 'secretKey':
      return {
        explain: `hookproof keys the HMAC with the UTF-8 bytes of the string you pass, exactly as given. If ${profile.name} turns out to key it with the string minus a ${code('whsec_')} prefix, pass it that way; ${code('diagnose()')} reports ${code('secret_prefix')} or ${code('secret_encoding')} when a delivery was signed with another form of your secret.`,
        lines: [
          "import { verify } from '@hookproof/core';",
          '',
          `// If ${profile.name} turned out to drop the whsec_ prefix before using the secret as the key.`,
          `const secret = process.env.${secretEnv(profile)}!.replace(/^whsec_/, '');`,
          '',
          'export function check(body: Uint8Array, headers: Headers) {',
          `  return verify({ vendor: '${profile.id}', body, headers, secret });`,
          '}',
        ],
      };
    case 'secretSource': {
      const other = profile.secretSource === 'response' ? 'outside-api' : 'response';
      return withProfile(`Record where your ${profile.name} secret really comes from.`, `secretSource: '${other}'`,
        `Descriptive: it changes nothing in verification. The mock vendor API returns a secret when ${code('api.returnsSecret')} is set.`);
    }
    case 'timestampFormat': {
      const other = profile.timestampFormat === 'iso' ? 'unix-s' : 'iso';
      return withProfile(`${profile.name} turned out to send ${other === 'iso' ? 'ISO-8601' : 'unix-second'} timestamps.`, `timestampFormat: '${other}'`,
        `Verification accepts unix seconds, unix milliseconds and ISO-8601 whatever this says, and signs over the header value exactly as received. The field decides what ${code('sign()')} and the mock sender write.`);
    }
    case 'toleranceSec':
      return withOption('Widen the replay window to 10 minutes for this call.', 'toleranceSec: 600',
        `Pass ${code('toleranceSec')} to ${code('verify')}, ${code('createReceiver')} or an adapter.`);
    case 'unsigned':
      return {
        explain: `If ${profile.name} can send unsigned deliveries, mark the profile ${code("unsigned: 'opt-in'")} and accept them explicitly with ${code('allowUnsigned: true')}, for a webhook that has no secret. With a secret the signature is mandatory: ${code('allowUnsigned')} together with a secret is a setup ${code('TypeError')}.`,
        lines: [
          imports,
          '',
          `export const ${name} = ${typed}({ ...${v}, unsigned: 'opt-in' });`,
          '',
          '// The webhook has no secret (yet): nothing is signed, so none is configured here.',
          'export function check(body: Uint8Array, headers: Headers) {',
          `  return verify({ vendor: ${name}, body, headers, secret: [], allowUnsigned: true });`,
          '}',
        ],
      };
    case 'typeFields':
      return withProfile(`${profile.name} puts the event name in \`kind\`.`, `typeFields: ['kind', ...${v}.typeFields]`,
        'The event name is read from the first of these envelope fields that holds a non-empty string.');
    case 'idField':
      return withProfile(`${profile.name} sends its event id as \`eventId\`.`, "idField: 'eventId'",
        `${code('event.id')} comes from this envelope field when present (${code("idSource: 'payload'")}), else from a digest of the raw body (SHA-256, the same whichever secret matched; never an unsigned header). Dedupe keys on it, so name the field that stays the same across retries.`);
    case 'timeField':
      return withProfile(`${profile.name} sends the event time as \`created_at\`.`, "timeField: 'created_at'",
        'The envelope field holding the event time.');
    case 'retry':
      return withProfile(`Match the schedule you observe from ${profile.name}.`, `retry: { ...${v}.retry, delaysSec: [60, 300, 1800] }`,
        `The mock sender replays this schedule (${code("retries: 'vendor'")}); it does not affect verification. Size ${code('dedupeTtlMs')} to outlast the whole schedule.`);
    case 'timeoutMs':
      return withProfile(`${profile.name} waits 30 s for a response.`, 'timeoutMs: 30_000',
        'The per-attempt deadline the mock sender enforces. Keep handlers well under the real one: a slow 2xx is a failed attempt and a retry.');
    case 'customHeaders':
      return withOption(`If ${profile.name} lets you add a header to deliveries, require it.`, "requiredHeaders: { authorization: `Bearer ${process.env.WEBHOOK_BEARER!}` }",
        `${code('requiredHeaders')} compares each header with the value you configured, in constant time, and fails with ${code('invalid_auth_header')} (401). It is checked in addition to the signature, never instead of it.`);
    case 'disableAfterFailures':
      return withProfile(`${profile.name} turned out to disable an endpoint after 3 failed deliveries.`, 'disableAfterFailures: 3',
        `The mock vendor API stops delivering to a subscription (its ${code('enabled')} reads ${code('false')}) after this many consecutive failed deliveries; ${code('undefined')} never disables it. It does not affect verification.`);
    case 'api':
      return withProfile(`Point the mock vendor API at your ${profile.name} base URL.`, `api: { ...${v}.api!, baseUrl: 'https://api.example.test/v1' }`,
        `Used by the mock sender's ${code('mockVendorApi()')} to intercept the subscription endpoint; it does not affect verification.`);
    default:
      return withProfile(`Override ${field}.`, `${field}: ${v}.${field}`, 'Copy the field from the profile and change it.');
  }
}

/** The per-call options a profile's data makes relevant (no vendor names in code). */
function callOptions(profile) {
  const out = [];
  if (profile.toleranceSec !== undefined) {
    out.push(`${code('toleranceSec')} (default ${profile.toleranceSec}): the replay window in seconds, applied to the signed timestamp in both directions; widen it for a skewed clock, never turn it off.`);
    out.push(`${code('now')}: the clock in ms; inject it in tests (the mock sender's ${code('sender.now')}) instead of faking timers.`);
  }
  if (profile.unsigned === 'opt-in') {
    out.push(`${code('allowUnsigned: true')}: ${profile.name} sends unsigned deliveries when a webhook has no secret; they are refused unless you opt in, with no ${code('secret')}. A secret makes the signature mandatory: ${code('allowUnsigned')} together with a secret is a setup ${code('TypeError')} (a delivery with its signature header stripped would pass). See the notes below to move from unsigned to signed.`);
  }
  if (profile.customHeaders) {
    out.push(`${code('requiredHeaders')}: ${profile.name} lets you add headers to deliveries (e.g. ${code('Authorization: Bearer …')}); list them with their values and each is compared in constant time (${code('invalid_auth_header')}, 401).`);
  }
  out.push(`${code('secret')} as an array during rotation: any may match, ${code('result.secretIndex')} says which.`);
  return out;
}

function callOptionsExample(profile) {
  const opts = [];
  if (profile.toleranceSec !== undefined) opts.push(`toleranceSec: ${profile.toleranceSec * 2}`);
  if (profile.customHeaders) opts.push("requiredHeaders: { authorization: `Bearer ${process.env.WEBHOOK_BEARER!}` }");
  return [
    "import { verify } from '@hookproof/core';",
    '',
    `// During rotation: the new secret first, the old one until ${profile.name} uses only the new.`,
    `const secrets = [process.env.${secretEnv(profile)}, process.env.${secretEnv(profile)}_OLD].filter((s): s is string => !!s);`,
    '',
    'export async function check(body: Uint8Array, headers: Headers) {',
    `  const result = await verify({ vendor: '${profile.id}', body, headers, secret: secrets${opts.length ? `, ${opts.join(', ')}` : ''} });`,
    "  if (result.ok && result.secretIndex > 0) console.warn('signed with the old secret');",
    '  return result;',
    '}',
  ];
}

function verifyExample(profile) {
  // Vendors whose event names are the sender's own (openEvents) get an example name.
  const first = profile.events[0] ?? 'invoice.paid';
  return [
    "import { verify } from '@hookproof/core';",
    '',
    ...secretPrelude(profile),
    '',
    '// `body` is the raw request body, exactly as received; `headers` any case.',
    'export async function receive(body: Uint8Array, headers: Headers) {',
    `  const result = await verify({ vendor: '${profile.id}', body, headers, secret });`,
    '  if (!result.ok) return { status: result.error.status, body: result.error.toJSON() };',
    '  const { event } = result;',
    `  if (event.type === '${first}') {`,
    '    console.log(event.id, event.idSource, event.payload); // typed for this event',
    '  } else if (!event.documented) {',
    "    console.warn('undocumented event', String(event.type));",
    '  }',
    '  return { status: 200, body: { ok: true } };',
    '}',
  ];
}

function header(profile) {
  return `<!-- Generated by scripts/gen-vendor-docs.mjs from ${vendorsAt(profile.id)} (packages/core/src/vendors/${profile.id}/index.ts). Do not edit: change the profile or packages/core/src/vendors/${profile.id}/notes.md, then run \`pnpm docs:vendors\`. -->`;
}

function vendorPage(profile) {
  const fields = FIELD_ORDER.filter((f) => f in profile.provenance);
  const assumed = fields.filter((f) => 'assumed' in profile.provenance[f]);
  const notesFile = join(root, 'packages', 'core', 'src', 'vendors', profile.id, 'notes.md');
  const lines = [
    header(profile),
    '',
    `# ${profile.name}`,
    '',
    `${profile.docsUrl === undefined ? `Vendor documentation: the pages cited below (by title and section; they give no public URL).` : `Vendor documentation: <${profile.docsUrl}>.`} Everything hookproof knows about ${profile.name} is one profile,`,
    `${code(vendorsAt(profile.id))}; this page is generated from it.`,
    '',
    '## Verify a delivery',
    '',
    '```ts',
    ...verifyExample(profile),
    '```',
    '',
    `Signature: ${code(profile.signatureHeader)}, HMAC-${schemeOf(profile).algorithm.toUpperCase()} over ${value(profile, 'signedContent')}` +
      (profile.toleranceSec === undefined ? '. No timestamp is signed, so there is no replay window: dedupe is what stops a replayed delivery (see [security](../security.md)).' : `, replay window ${duration(profile.toleranceSec)}.`),
    '',
    '## Documented vs assumed',
    '',
    `${fields.length - assumed.length} fields are documented by ${profile.name}, ${assumed.length} are assumed.` +
      (assumed.length ? ' Each assumption can be overridden: see [below](#override-an-assumption).' : ''),
    '',
    '| field | value | status | source or reason |',
    '|---|---|---|---|',
    ...fields.map((f) => `| ${code(f)} (${FIELD_LABEL[f] ?? f}) | ${cell(value(profile, f))} | ${status(profile.provenance[f])} | ${cell(note(profile.provenance[f]))} |`),
    '',
    '## Retry schedule',
    '',
    '| attempt | sent after | since the first attempt (at least) |',
    '|---|---|---|',
    '| 1 | — | 0 s |',
    ...profile.retry.delaysSec.map((d, i) => {
      const sum = profile.retry.delaysSec.slice(0, i + 1).reduce((a, b) => a + b, 0);
      return `| ${i + 2} | ${duration(d)} after attempt ${i + 1} failed | ${duration(sum)} |`;
    }),
    '',
    `Each attempt gets ${duration(profile.timeoutMs / 1000)} to answer 2xx (${status(profile.provenance.timeoutMs)}); the schedule is ${status(profile.provenance.retry)}${'documented' in profile.provenance.retry && /Assumed:/.test(profile.provenance.retry.documented) ? ' (its note above says which parts are assumed)' : ''}.` +
      ' Handlers run before the answer, so a handler that throws turns into a 500 and the next attempt is processed; the default dedupe window (24 h) outlasts the schedule.',
    '',
  ];
  if (assumed.length > 0) {
    lines.push(
      '## Override an assumption',
      '',
      `Spread the built-in profile into ${code('defineVendor')} and change the field; pass the result wherever a vendor id goes`,
      `(${code('verify')}, ${code('createReceiver')}, ${code('handleWebhook')}, the adapters, the mock sender). The type arguments keep ${profile.name}'s typed events.`,
      '',
    );
    for (const f of assumed) {
      const o = overrideFor(profile, f);
      lines.push(`### ${code(f)}`, '', `Assumed: ${note(profile.provenance[f])}.`, '', o.explain, '', '```ts', ...o.lines, '```', '');
    }
  }
  const options = callOptions(profile);
  if (options.length > 0) {
    lines.push('## Per-call options', '', `Options of ${code('verify')} (and of ${code('createReceiver')}, ${code('handleWebhook')} and the adapters) that matter for ${profile.name}:`, '');
    for (const o of options) lines.push(`- ${o}`);
    lines.push('', '```ts', ...callOptionsExample(profile), '```', '');
  }
  if (existsSync(notesFile)) lines.push('## Notes', '', readFileSync(notesFile, 'utf8').trim(), '');
  return lines.join('\n');
}

function indexPage() {
  const list = vendorIds.map((id) => vendors[id]);
  const row = (label, fn) => `| ${label} | ${list.map((p) => cell(fn(p))).join(' | ')} |`;
  const countAssumed = (p) => Object.values(p.provenance).filter((x) => 'assumed' in x).length;
  return [
    '<!-- Generated by scripts/gen-vendor-docs.mjs from the @hookproof/core profiles. Do not edit: run `pnpm docs:vendors`. -->',
    '',
    '# Vendors',
    '',
    'One page per vendor, each generated from its folder in `packages/core/src/vendors/<id>/`: what the vendor documents,',
    'what hookproof assumes where the vendor is silent, and how to override each assumption.',
    '',
    `| | ${list.map((p) => `[${p.name}](./${p.id}.md)`).join(' | ')} |`,
    `|---|${list.map(() => '---').join('|')}|`,
    row('signature header', (p) => code(p.signatureHeader)),
    row('signed content', (p) => value(p, 'signedContent')),
    row('replay window', (p) => (p.toleranceSec === undefined ? 'none' : duration(p.toleranceSec))),
    row('event id', (p) => (p.idField ? code(p.idField) : schemeOf(p).id !== undefined ? `the signed ${code(schemeOf(p).id.names[0])} header` : 'digest of the body')),
    row('retries', (p) => `${p.retry.delaysSec.length}: ${p.retry.delaysSec.map(duration).join(', ')}`),
    row('documented events', (p) => p.events.length),
    row('assumed fields', (p) => countAssumed(p)),
    '',
  ].join('\n');
}

const pages = new Map([[join(outDir, 'README.md'), indexPage()]]);
for (const id of vendorIds) pages.set(join(outDir, `${id}.md`), vendorPage(vendors[id]));

if (process.argv.includes('--check')) {
  const stale = [...pages].filter(([file, text]) => !existsSync(file) || readFileSync(file, 'utf8') !== text).map(([f]) => relative(root, f));
  if (stale.length > 0) {
    console.error(`gen-vendor-docs: out of date with the core profiles: ${stale.join(', ')}\nRun \`pnpm docs:vendors\` and commit the result.`);
    process.exit(1);
  }
  console.log(`gen-vendor-docs: ${pages.size} pages match the core profiles`);
} else {
  mkdirSync(outDir, { recursive: true });
  for (const [file, text] of pages) writeFileSync(file, text);
  console.log(`gen-vendor-docs: wrote ${[...pages.keys()].map((f) => relative(root, f)).join(', ')}`);
}
