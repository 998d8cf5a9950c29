// What each vendor's public pages state, field by field, typed in by hand from the pages
// themselves (not read from the profiles): `D` where a page states the value, `A` where
// the vendor is silent and the profile had to choose. A field labelled `documented`
// without a page behind it fails here, and so does a note that names no page.
import { vendors, type OptionalProfileField, type ProfileField, type Provenance, type VendorId } from '@hookproof/core';
import { describe, expect, it } from 'vitest';

type Kind = 'D' | 'A';

/** The pages a `documented` note may cite, by the title the vendor gives them. */
const PAGES: Record<VendorId, readonly string[]> = {
  autoposting: ['Autoposting.ai API reference, "Create a webhook endpoint"', 'Autoposting.ai docs, "Webhooks" concept page'],
  aidelly: ['Aidelly REST API guide, "Webhooks" page'],
  audenci: ['Audenci help, "Webhook Integrations & API Usage"'],
  timbrix: ['Timbrix API reference, "Create a new webhook"'],
  'standard-webhooks': ['Standard Webhooks specification'],
};

// Why each cell is what it is, in one line per row where it is not obvious:
// - timestamp fields follow `signedContent`: documented only where the page shows exactly
//   what is signed (Autoposting's concept page, Aidelly's sample code).
// - eventHeader / deliveryHeader: only Autoposting's concept page names such headers; the
//   other pages are silent, which is not the same as saying there are none.
// - customHeaders: only Audenci says users can add headers; the others are silent.
// - retry: the delays are documented for all but Audenci; the note must flag the assumed
//   timing (checked below).
// - api: Autoposting's OpenAPI gives server and path; Aidelly's host is a variable and
//   Timbrix's path is inferred from a path parameter; Audenci shows no webhook endpoint.
// - secretKey: only Aidelly's sample code shows the secret string used as the key.
// - secretSource: Autoposting takes `secret` in the request, Timbrix returns it once;
//   Aidelly and Audenci do not say.
const EXPECTED: Record<VendorId, Record<ProfileField, Kind> & Partial<Record<OptionalProfileField, Kind>>> = {
  autoposting: {
    signatureHeader: 'D', signatureEncoding: 'A', signaturePrefix: 'A', signedContent: 'D',
    timestampHeader: 'D', timestampFormat: 'A', toleranceSec: 'D', unsigned: 'D',
    eventHeader: 'D', deliveryHeader: 'D', typeFields: 'D', idField: 'D', timeField: 'D',
    events: 'D', otherEvents: 'D', retry: 'D', timeoutMs: 'A', customHeaders: 'A',
    disableAfterFailures: 'A', api: 'D', secretKey: 'A', secretSource: 'D',
  },
  aidelly: {
    signatureHeader: 'D', signatureEncoding: 'D', signaturePrefix: 'D', signedContent: 'D',
    timestampHeader: 'D', timestampFormat: 'D', toleranceSec: 'D', unsigned: 'D',
    eventHeader: 'A', deliveryHeader: 'A', typeFields: 'D', idField: 'D', timeField: 'D',
    events: 'D', otherEvents: 'D', retry: 'D', timeoutMs: 'D', customHeaders: 'A',
    disableAfterFailures: 'A', api: 'A', secretKey: 'D', secretSource: 'A',
  },
  audenci: {
    signatureHeader: 'D', signatureEncoding: 'A', signaturePrefix: 'A', signedContent: 'A',
    timestampHeader: 'A', timestampFormat: 'A', toleranceSec: 'A', unsigned: 'A',
    eventHeader: 'A', deliveryHeader: 'A', typeFields: 'D', idField: 'D', timeField: 'D',
    events: 'D', otherEvents: 'D', retry: 'A', timeoutMs: 'A', customHeaders: 'D',
    disableAfterFailures: 'A', api: 'A', secretKey: 'A', secretSource: 'A',
  },
  timbrix: {
    signatureHeader: 'D', signatureEncoding: 'A', signaturePrefix: 'A', signedContent: 'A',
    timestampHeader: 'A', timestampFormat: 'A', toleranceSec: 'A', unsigned: 'D',
    eventHeader: 'A', deliveryHeader: 'A', typeFields: 'A', idField: 'A', timeField: 'A',
    events: 'D', otherEvents: 'D', retry: 'D', timeoutMs: 'A', customHeaders: 'A',
    disableAfterFailures: 'A', api: 'A', secretKey: 'A', secretSource: 'D',
  },
  // The spec states the whole signing scheme, headers and payload structure; it says
  // nothing about retries in numbers, deadlines, custom headers, disabling or an API.
  'standard-webhooks': {
    scheme: 'D', signatureHeader: 'D', signatureEncoding: 'D', signaturePrefix: 'D', signedContent: 'D',
    timestampHeader: 'D', timestampFormat: 'D', toleranceSec: 'D', unsigned: 'D',
    eventHeader: 'D', deliveryHeader: 'D', typeFields: 'D', idField: 'D', timeField: 'D',
    events: 'D', otherEvents: 'D', openEvents: 'D', untypedEvent: 'A', retry: 'A', timeoutMs: 'A', customHeaders: 'A',
    disableAfterFailures: 'A', api: 'A', secretKey: 'D', secretSource: 'A',
  },
};

const kind = (p: Provenance): Kind => ('documented' in p ? 'D' : 'A');
const text = (p: Provenance): string => ('documented' in p ? p.documented : p.assumed);
const ids = Object.keys(EXPECTED) as VendorId[];

describe('provenance: documented only where a vendor page states it', () => {
  const rows = ids.flatMap((id) => (Object.keys(EXPECTED[id]) as ProfileField[]).map((field) => [id, field, EXPECTED[id][field]] as const));

  it.each(rows)('%s.%s is %s', (id, field, expected) => {
    const note = vendors[id].provenance[field] as Provenance;
    expect(note, `${id}.${field} has no provenance note`).toBeDefined();
    expect(kind(note), `${id}.${field}: ${text(note)}`).toBe(expected);
  });

  it.each(ids.map((id) => [id]))('%s: every field of the profile is in the table above', (id) => {
    expect(Object.keys(vendors[id].provenance).sort()).toEqual(Object.keys(EXPECTED[id]).sort());
  });

  it.each(ids.map((id) => [id]))('%s: a documented note names the vendor page it comes from', (id) => {
    for (const [field, note] of Object.entries(vendors[id].provenance) as [ProfileField, Provenance][]) {
      if ('documented' in note) expect(PAGES[id].some((page) => note.documented.includes(page)), `${id}.${field}: ${note.documented}`).toBe(true);
    }
  });

  it.each(ids.map((id) => [id]))('%s: no note is empty or a bare "none documented"', (id) => {
    for (const [field, note] of Object.entries(vendors[id].provenance) as [ProfileField, Provenance][]) {
      expect(text(note).length, `${id}.${field}`).toBeGreaterThan(20);
      expect(text(note), `${id}.${field}`).not.toMatch(/^(none|none documented|no .* documented)$/i);
    }
  });

  it.each([['autoposting'], ['aidelly'], ['timbrix']] as const)(
    '%s: the retry note keeps the documented delays apart from the assumed timing',
    (id) => {
      const note = vendors[id].provenance.retry;
      expect('documented' in note).toBe(true);
      const [documented = '', assumed = ''] = text(note).split('Assumed:');
      // Every delay of the profile is in the documented part, none is only assumed.
      expect(documented).toMatch(/\d/);
      expect(assumed).toMatch(/end of the failed attempt/);
      expect(vendors[id].retry.delayFrom).toBe('attempt-end');
    },
  );

  it("Timbrix's retry note also flags that a timeout counts as a failure as assumed (its page does not say)", () => {
    const [, assumed = ''] = text(vendors.timbrix.provenance.retry).split('Assumed:');
    expect(assumed).toMatch(/timeout is a failed attempt/);
  });
});

describe('profile values that follow from the pages', () => {
  it("Autoposting's events are the API reference's enum; the concept page's three extra names share one rule", () => {
    expect([...vendors.autoposting.events].sort()).toEqual(
      ['post.published', 'post.failed', 'post.scheduled', 'clip.render.completed', 'clip.render.failed', 'agent.run.completed', 'agent.run.failed'].sort(),
    );
    expect([...vendors.autoposting.otherEvents].sort()).toEqual(['post.cancelled', 'post.partial', 'token.expired']);
  });

  it('the HMAC key is the whole secret string for every vendor but Standard Webhooks (whsec_ + base64, decoded); where the secret comes from is stated', () => {
    for (const id of ids) expect(vendors[id].secretKey, id).toBe(id === 'standard-webhooks' ? 'whsec-base64' : 'utf8-string');
    expect(vendors.autoposting.secretSource).toBe('request');
    expect(vendors.timbrix.secretSource).toBe('response');
    expect(vendors.timbrix.api?.returnsSecret).toBe(true);
    expect(vendors.aidelly.secretSource).toBe('outside-api');
    expect(vendors.audenci.secretSource).toBe('outside-api');
  });

  it('custom headers: true only where documented (Audenci); unknown, not false, where the pages are silent', () => {
    expect(vendors.audenci.customHeaders).toBe(true);
    for (const id of ['autoposting', 'aidelly', 'timbrix'] as const) expect(vendors[id].customHeaders, id).toBeUndefined();
  });

  it('disableAfterFailures: an assumed threshold for Autoposting only', () => {
    expect(vendors.autoposting.disableAfterFailures).toBe(5);
    for (const id of ['aidelly', 'audenci', 'timbrix'] as const) expect(vendors[id].disableAfterFailures, id).toBeUndefined();
  });

  it('docsUrl only where a source gives one: none for Aidelly and Audenci', () => {
    expect(vendors.aidelly.docsUrl).toBeUndefined();
    expect(vendors.audenci.docsUrl).toBeUndefined();
    expect(vendors.autoposting.docsUrl).toBe('https://docs.autoposting.ai/concepts/webhooks');
    expect(vendors.timbrix.docsUrl).toMatch(/^https:\/\/docs\.timbrix\.mx\//);
  });
});
