// handleWebhook(request, options) keeps one receiver, and so one in-memory dedupe store, per
// options object. Options written inline in a fetch handler are a new object on every
// request: each gets a fresh store, and a retried or duplicated delivery runs its handlers
// again. The call site is invisible from here, but its symptom is not: a second options
// object for a vendor and secret already seen, with no `dedupe` store of its own.

/** The code of the warning, for `process.on('warning')` filters. */
export const INLINE_OPTIONS_WARNING = 'HOOKPROOF_INLINE_OPTIONS';

const seen = new Set<string>();
// Bounded, so an app that really has many vendors and secrets cannot grow it for ever.
const MAX_TRACKED = 64;
let warned = false;

/** FNV-1a, so the set holds no secret; a collision costs at most a spurious warning. */
function digest(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

function fingerprint(options: { vendor?: unknown; secret?: unknown }): string | undefined {
  const { vendor, secret } = options;
  const id =
    typeof vendor === 'string'
      ? vendor
      : typeof vendor === 'object' && vendor !== null
        ? String((vendor as { id?: unknown }).id)
        : undefined;
  if (id === undefined) return undefined;
  const key =
    typeof secret === 'string'
      ? secret
      : Array.isArray(secret)
        ? secret.join('\n')
        : typeof secret === 'function'
          ? '(function)'
          : '';
  return `${id}\n${digest(key)}`;
}

function warn(message: string): void {
  const proc = (globalThis as { process?: { emitWarning?: (message: string, options: { code: string }) => void } })
    .process;
  if (typeof proc?.emitWarning === 'function') proc.emitWarning(message, { code: INLINE_OPTIONS_WARNING });
  else console.warn(`Warning: ${message}`);
}

/** Called once per new options object handleWebhook sees; warns once per process. */
export function noteInlineOptions(options: { vendor?: unknown; secret?: unknown; dedupe?: unknown }): void {
  if (warned || options.dedupe !== undefined) return;
  const key = fingerprint(options);
  if (key === undefined) return;
  if (!seen.has(key)) {
    if (seen.size < MAX_TRACKED) seen.add(key);
    return;
  }
  warned = true;
  warn(
    '@hookproof/core: handleWebhook() got a second options object for the same vendor and secret. Its dedupe store lives in the options ' +
      'object: created per request, each request gets an empty store and retries run the handlers again. Create the options (or a receiver) ' +
      'once, outside the handler, or pass a shared `dedupe` store.',
  );
}
