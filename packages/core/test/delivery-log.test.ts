// The logging policy: one line per failure, with code, vendor, event type and id and the
// cause; levels by who controls the rate; never a secret or a signature.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleLogger, errorStatuses, logLevels, WebhookError, type WebhookErrorCode, type WebhookLogFields } from '../src/index.js';
import { checkLogger, failureRecord, oneLine, writeRecord } from '../src/delivery-log.js';

afterEach(() => vi.restoreAllMocks());

const delivery = { vendor: 'aidelly', eventType: 'post.published', eventId: 'evt_42' };

describe('failure records', () => {
  it('a handler error: level error, one line naming code, status, vendor, type, id and what was thrown', () => {
    const cause = new Error('db is down: ECONNREFUSED');
    const record = failureRecord(new WebhookError('handler_error', 'The event handler failed; the vendor will retry.', { vendor: 'aidelly', cause }), delivery);
    expect(record.level).toBe('error');
    expect(record.message).toBe('hookproof: aidelly post.published evt_42: handler_error (500): The event handler failed; the vendor will retry. Cause: Error: db is down: ECONNREFUSED');
    expect(record.fields).toEqual({ webhook: { code: 'handler_error', status: 500, ...delivery }, err: cause });
  });

  it('a signature failure: level info (anyone can send one), no cause, vendor from the error', () => {
    const record = failureRecord(new WebhookError('signature_mismatch', 'The signature does not match the body.', { vendor: 'timbrix' }), undefined);
    expect(record.level).toBe('info');
    expect(record.message).toBe('hookproof: timbrix: signature_mismatch (401): The signature does not match the body.');
    expect(record.fields).toEqual({ webhook: { code: 'signature_mismatch', status: 401, vendor: 'timbrix', eventType: undefined, eventId: undefined } });
  });

  it('every error code has a level; 5xx are errors, the 401s are info, duplicates debug', () => {
    for (const code of Object.keys(errorStatuses) as WebhookErrorCode[]) {
      expect(['error', 'warn', 'info', 'debug']).toContain(logLevels[code]);
      if (errorStatuses[code] >= 500) expect(logLevels[code], code).toBe('error');
      if (errorStatuses[code] === 401) expect(logLevels[code], code).toBe('info');
    }
    expect(logLevels.duplicate).toBe('debug');
    expect(logLevels.in_progress).toBe('debug');
  });

  it('a newline in a handler message or an event id cannot forge a second log line', () => {
    const record = failureRecord(
      new WebhookError('handler_error', 'failed', { cause: new Error('boom\nhookproof: forged line') }),
      { vendor: 'aidelly', eventType: 'post.published', eventId: 'evt\r\n2' },
    );
    expect(record.message).not.toMatch(/[\r\n]/);
    expect(record.message).toContain('boom\\nhookproof: forged line');
    expect(record.message).toContain('evt\\r\\n2');
    expect(oneLine('x'.repeat(1000)).length).toBeLessThan(320);
  });

  it('non-Error throws are named without dumping them', () => {
    const record = failureRecord(new WebhookError('store_unavailable', 'The dedupe store is unavailable; retry later.', { cause: { password: 'hunter2' } }), delivery);
    expect(record.message).toContain('Cause: non-Error Object thrown');
    expect(record.message).not.toContain('hunter2');
  });

  it('an internal error (a bug of hookproof) is an error record', () => {
    const record = failureRecord(new WebhookError('internal_error', 'hookproof failed to process the delivery.', { cause: new TypeError('x is not a function') }), delivery);
    expect(record.level).toBe('error');
    expect(record.message).toBe('hookproof: aidelly post.published evt_42: internal_error (500): hookproof failed to process the delivery. Cause: TypeError: x is not a function');
  });
});

describe('loggers', () => {
  it('consoleLogger() prints error and warn records as one console line each, and drops info and debug', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const logger = consoleLogger();
    writeRecord(logger, failureRecord(new WebhookError('handler_error', 'failed', { cause: new Error('db is down') }), delivery));
    writeRecord(logger, failureRecord(new WebhookError('invalid_payload', 'bad'), delivery));
    writeRecord(logger, failureRecord(new WebhookError('signature_mismatch', 'bad signature'), delivery));
    writeRecord(logger, failureRecord(new WebhookError('duplicate', 'again'), delivery));
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0]).toEqual(['hookproof: aidelly post.published evt_42: handler_error (500): failed Cause: Error: db is down']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('invalid_payload (400)');
  });

  it("consoleLogger('info') also prints signature failures; a bad level is a TypeError naming the levels", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    writeRecord(consoleLogger('info'), failureRecord(new WebhookError('signature_mismatch', 'bad signature'), delivery));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(() => consoleLogger('verbose' as 'info')).toThrow(/'error', 'warn', 'info' or 'debug'/);
    expect(() => consoleLogger('toString' as 'info')).toThrow(TypeError);
  });

  it('a pino-style logger gets (fields, message) at the record level; a throwing logger changes nothing', () => {
    const calls: [string, WebhookLogFields, string][] = [];
    const logger = {
      error: (f: WebhookLogFields, m: string) => calls.push(['error', f, m]),
      warn: (f: WebhookLogFields, m: string) => calls.push(['warn', f, m]),
      info: (f: WebhookLogFields, m: string) => calls.push(['info', f, m]),
      debug: () => {
        throw new Error('logger broke');
      },
    };
    writeRecord(logger, failureRecord(new WebhookError('signature_mismatch', 'bad signature', { vendor: 'aidelly' }), undefined));
    expect(calls.map(([level, f]) => [level, f.webhook.code])).toEqual([['info', 'signature_mismatch']]);
    expect(() => writeRecord(logger, failureRecord(new WebhookError('duplicate', 'again'), delivery))).not.toThrow();
  });

  it('checkLogger: a logger, false or nothing; console becomes the one-line logger; anything else is a TypeError', () => {
    const pinoLike = { error() {}, warn() {}, info() {}, debug() {} };
    expect(checkLogger(pinoLike)).toBe(pinoLike);
    expect(checkLogger(false)).toBe(false);
    expect(checkLogger(undefined)).toBeUndefined();
    expect(checkLogger(console)).not.toBe(console);
    expect(() => checkLogger('pino')).toThrow(/`logger` must be a logger .*or false/);
    expect(() => checkLogger(true)).toThrow(TypeError);
  });
});
