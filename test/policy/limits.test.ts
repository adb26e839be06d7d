import { describe, expect, it } from 'vitest';
import type { AttachmentInfo } from '../../src/policy/attachments.js';
import {
  checkDaily,
  checkMessage,
  checkStorage,
  effectiveLimits,
  type EffectiveLimits,
  formatBytes,
  secondsUntilUtcMidnight,
  utcDay,
} from '../../src/policy/limits.js';
import type { Policy } from '../../src/policy/types.js';

const MiB = 1024 * 1024;

const defaults: EffectiveLimits = {
  limit_attachment_size_limit: 10 * MiB,
  limit_attachment_count_limit: 5,
  limit_attachment_allowed_types: ['*/*'],
  limit_size_total_mime: 25 * MiB,
  limit_storage_total: 1024 * MiB,
  limit_count_daily_message_received: 1000,
  limit_count_daily_email_sent: 100,
  limit_inbox_retention_period: -1,
  limit_spam_retention_period: 30,
};

const policy = (limits: Policy['limits']): Policy => ({
  id: 'p',
  applicationId: 'app',
  name: 'p',
  limits,
  spamDetection: {},
  createdAt: 0,
  updatedAt: 0,
});

const file = (size: number, contentType = 'application/pdf', filename: string | null = 'a.pdf'): AttachmentInfo => ({ filename, contentType, size });

describe('effectiveLimits', () => {
  it('is the defaults without a policy', () => {
    expect(effectiveLimits(null, defaults)).toEqual(defaults);
  });

  it("takes the policy's own values, -1 included, and the defaults for the rest", () => {
    const limits = effectiveLimits(policy({ limit_storage_total: -1, limit_attachment_allowed_types: ['image/*'], limit_count_daily_email_sent: 0 }), defaults);
    expect(limits).toEqual({ ...defaults, limit_storage_total: -1, limit_attachment_allowed_types: ['image/*'], limit_count_daily_email_sent: 0 });
  });

  it('does not change the defaults', () => {
    const copy = structuredClone(defaults);
    effectiveLimits(policy({ limit_storage_total: 1 }), defaults);
    expect(defaults).toEqual(copy);
  });
});

describe('checkMessage', () => {
  const tooBig = { code: 552, enhanced: '5.3.4' };
  it.each<[string, Partial<EffectiveLimits>, { size: number; attachments: AttachmentInfo[] }, string | null, object?]>([
    ['a message within every limit', {}, { size: MiB, attachments: [file(MiB)] }, null],
    ['a message of exactly the total size', { limit_size_total_mime: 1000 }, { size: 1000, attachments: [] }, null],
    ['a message over the total size', { limit_size_total_mime: 1000 }, { size: 1001, attachments: [] }, 'limit_size_total_mime', { smtp: tooBig, http: 413 }],
    ['an unlimited total size', { limit_size_total_mime: -1 }, { size: 10 ** 12, attachments: [] }, null],
    ['an attachment over the size limit', { limit_attachment_size_limit: 100 }, { size: 500, attachments: [file(10), file(101)] }, 'limit_attachment_size_limit', { smtp: tooBig, http: 413 }],
    ['an unlimited attachment size', { limit_attachment_size_limit: -1 }, { size: 500, attachments: [file(10 ** 9)] }, null],
    ['too many attachments', { limit_attachment_count_limit: 1 }, { size: 500, attachments: [file(1), file(1)] }, 'limit_attachment_count_limit', { smtp: tooBig, http: 400 }],
    ['no attachments allowed', { limit_attachment_count_limit: 0 }, { size: 500, attachments: [file(1)] }, 'limit_attachment_count_limit', {}],
    ['an unlimited count', { limit_attachment_count_limit: -1 }, { size: 500, attachments: Array.from({ length: 100 }, () => file(1)) }, null],
    ['a type not allowed', { limit_attachment_allowed_types: ['image/*', 'application/pdf'] }, { size: 5, attachments: [file(1, 'image/png'), file(1, 'application/zip', 'x.zip')] }, 'limit_attachment_allowed_types', { smtp: { code: 550, enhanced: '5.7.1' }, http: 400 }],
    ['an allowed exact type in other case', { limit_attachment_allowed_types: ['application/pdf'] }, { size: 5, attachments: [file(1, 'Application/PDF')] }, null],
    ['a type range does not cover a longer top-level type', { limit_attachment_allowed_types: ['image/*'] }, { size: 5, attachments: [file(1, 'imagex/png')] }, 'limit_attachment_allowed_types', {}],
    ['an empty allowed list with no attachment', { limit_attachment_allowed_types: [] }, { size: 5, attachments: [] }, null],
    ['an empty allowed list allows every type (as the hosted API)', { limit_attachment_allowed_types: [] }, { size: 5, attachments: [file(1)] }, null],
  ])('%s', (_name, overrides, message, limit, codes) => {
    const violation = checkMessage({ ...defaults, ...overrides }, message);
    if (limit === null) {
      expect(violation).toBeNull();
      return;
    }
    expect(violation).toMatchObject({ limit, ...codes });
  });

  it('says what is over and by how much', () => {
    expect(checkMessage({ ...defaults, limit_size_total_mime: 10 * MiB }, { size: 12.5 * MiB, attachments: [] })?.message).toBe(
      'the message is 12.5 MiB, over the limit of 10 MiB per message',
    );
    expect(checkMessage({ ...defaults, limit_attachment_allowed_types: ['image/*'] }, { size: 5, attachments: [file(1, 'application/x-msdownload', 'setup.exe')] })?.message).toBe(
      'attachments of type application/x-msdownload are not allowed ("setup.exe"); allowed: image/*',
    );
    expect(checkMessage({ ...defaults, limit_attachment_count_limit: 1 }, { size: 5, attachments: [file(1), file(1)] })?.message).toBe(
      'the message has 2 attachments, over the limit of 1 per message',
    );
  });

  it('reports the total size before the attachments', () => {
    const limits = { ...defaults, limit_size_total_mime: 10, limit_attachment_count_limit: 0 };
    expect(checkMessage(limits, { size: 11, attachments: [file(1)] })?.limit).toBe('limit_size_total_mime');
  });
});

describe('UTC days', () => {
  it.each([
    ['2026-03-01T00:00:00.000Z', '2026-03-01', 86_400],
    ['2026-03-01T23:59:59.000Z', '2026-03-01', 1],
    ['2026-03-01T23:59:59.999Z', '2026-03-01', 1],
    ['2026-02-28T12:00:00.000Z', '2026-02-28', 43_200],
    ['2024-02-28T23:00:00.000Z', '2024-02-28', 3_600],
    ['2026-12-31T23:30:00.500Z', '2026-12-31', 1_800],
    ['2026-06-15T10:00:00+05:00', '2026-06-15', 68_400],
    ['2026-06-15T01:00:00+05:00', '2026-06-14', 14_400],
  ])('%s is UTC day %s, %i s before the next midnight', (iso, day, seconds) => {
    const now = new Date(iso);
    expect(utcDay(now)).toBe(day);
    expect(secondsUntilUtcMidnight(now)).toBe(seconds);
  });
});

describe('checkDaily', () => {
  const now = new Date('2026-03-01T22:00:00Z');
  it.each<[number, number, 'sent' | 'received', boolean]>([
    [100, 99, 'sent', true],
    [100, 100, 'sent', false],
    [100, 250, 'sent', false],
    [0, 0, 'sent', false],
    [-1, 10 ** 9, 'sent', true],
    [1000, 999, 'received', true],
    [1000, 1000, 'received', false],
    [-1, 10 ** 9, 'received', true],
  ])('limit %i with %i counted (%s): allowed %s', (limit, count, direction, allowed) => {
    expect(checkDaily(limit, count, direction, now) === null).toBe(allowed);
  });

  it('refuses a send for now: SMTP 451 4.7.1, HTTP 429 with Retry-After to 00:00 UTC', () => {
    expect(checkDaily(100, 100, 'sent', now)).toEqual({
      limit: 'limit_count_daily_email_sent',
      message: 'this account has reached its limit of 100 messages sent per day (100 today); the count resets at 00:00 UTC (in about 2 hours)',
      smtp: { code: 451, enhanced: '4.7.1' },
      http: 429,
      retryAfterSeconds: 7200,
    });
  });

  it('refuses a delivery for now: SMTP 452 4.5.3, HTTP 429', () => {
    expect(checkDaily(1, 1, 'received', new Date('2026-03-01T23:59:30Z'))).toMatchObject({
      limit: 'limit_count_daily_message_received',
      smtp: { code: 452, enhanced: '4.5.3' },
      http: 429,
      retryAfterSeconds: 30,
      message: expect.stringContaining('1 message received per day'),
    });
  });
});

describe('checkStorage', () => {
  it.each<[number, number, number, boolean]>([
    [1000, 500, 500, true],
    [1000, 500, 501, false],
    [1000, 1200, 0, false],
    [0, 0, 1, false],
    [-1, 10 ** 15, 10 ** 9, true],
  ])('limit %i, %i used, adding %i: allowed %s', (limit, used, adding, allowed) => {
    expect(checkStorage(limit, used, adding) === null).toBe(allowed);
  });

  it('answers mailbox full: SMTP 552 5.2.2, IMAP OVERQUOTA, HTTP 413', () => {
    expect(checkStorage(MiB, 900 * 1024, 200 * 1024)).toEqual({
      limit: 'limit_storage_total',
      message: 'the mailbox is full: it holds 900 KiB of 1 MiB, and 200 KiB more do not fit',
      smtp: { code: 552, enhanced: '5.2.2' },
      http: 413,
      imapCode: 'OVERQUOTA',
    });
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [25 * MiB, '25 MiB'],
    [3 * 1024 * MiB, '3 GiB'],
    [MiB - 10, '1 MiB'],
    [1.25 * MiB, '1.3 MiB'],
  ])('%i → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
