import type { SigningScheme } from '../scheme.js';
import { recipe, type LoosePayload } from './recipe.js';

const PAGE = 'Slack API docs, "Verifying requests from Slack"';

/** `X-Slack-Signature: v0=<hex>` over `v0:<X-Slack-Request-Timestamp>:<raw body>`, keyed by the signing secret. */
export const slackScheme: SigningScheme = {
  algorithm: 'sha256',
  secretEncoding: 'utf8',
  signedContent: 'v0:{timestamp}:{body}',
  signature: { header: 'X-Slack-Signature', prefix: 'v0=', encoding: 'hex' },
  timestamp: { header: 'X-Slack-Request-Timestamp', format: 'unix-s' },
};

/** Events API bodies (JSON, `type`) and slash commands (form-encoded, `command`); typed loosely. */
export type SlackEvents = { readonly [type: string]: LoosePayload };

/** Slack requests (recipe): Events API JSON and form-encoded slash commands and interactions. */
export const slack = /* @__PURE__ */ recipe<SlackEvents, 'slack'>(() => ({
  id: 'slack',
  name: 'Slack',
  docsUrl: 'https://api.slack.com/authentication/verifying-requests-from-slack',
  source: PAGE,
  scheme: slackScheme,
  toleranceSec: 300,
  // Events API: `type` (event_callback, url_verification); slash commands: `command` (e.g. /weather).
  typeFields: ['type', 'command'],
  idField: 'event_id',
  bodyFormat: 'json-or-form',
  notes: {
    toleranceSec: { documented: `${PAGE}: reject a request timestamp more than five minutes from local time` },
    typeFields: {
      assumed:
        'Events API bodies carry `type`; slash-command forms carry `command`; interactive `payload=` forms carry neither at the top level',
    },
    bodyFormat: {
      documented: 'Slack API docs, "Implementing slash commands": sent as application/x-www-form-urlencoded',
    },
  },
}));
