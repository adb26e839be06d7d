// A policy's limits applied to one message, one day's count or one mailbox (PRODUCT.md
// "Policies"). `-1` is unlimited everywhere; an absent limit is the installation default. Over
// a limit the answer is a violation carrying what each surface says: a size refusal is
// permanent (SMTP 5xx, RFC 3463 X.3.4 / X.2.2), a daily count temporary (4xx) since it resets at
// 00:00 UTC, and the API answers 4xx with the same message.
import type { AttachmentInfo } from './attachments.js';
import type { LimitName, Policy, PolicyLimits } from './types.js';

/** Every limit with a value: the policy's own, else the installation default. */
export type EffectiveLimits = Required<PolicyLimits>;

export const UNLIMITED = -1;

export interface LimitViolation {
  limit: LimitName;
  /** For the person at the other end; the same text over SMTP and the API. */
  message: string;
  /** SMTP reply code and RFC 3463 enhanced status code. */
  smtp: { code: number; enhanced: string };
  /** API status. */
  http: number;
  /** With HTTP 429: seconds until the count resets (the Retry-After header). */
  retryAfterSeconds?: number;
  /** IMAP response code (RFC 5530) when an IMAP command hits the limit. */
  imapCode?: 'OVERQUOTA';
}

/** The limits in force: each the policy's value when it sets one, else the default. */
export function effectiveLimits(policy: Policy | null, defaults: EffectiveLimits): EffectiveLimits {
  const own = policy?.limits ?? {};
  const merged = { ...defaults };
  for (const name of Object.keys(defaults) as LimitName[]) {
    const value = own[name];
    if (value !== undefined) (merged as Record<LimitName, unknown>)[name] = value;
  }
  return merged;
}

const isUnlimited = (limit: number): boolean => limit === UNLIMITED;

/** 10485760 → "10 MiB", one decimal at most; exact byte counts below 1 KiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  // Rounded before the unit is chosen, so 1023.99 KiB is "1 MiB", not "1024.0 KiB".
  while (Math.round(value * 10) / 10 >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = Math.round(value * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded : rounded.toFixed(1)} ${units[unit]}`;
}

/** RFC 3463 §3.4 X.3.4: "message too big for system" — a size over the policy is permanent. */
const TOO_BIG = { code: 552, enhanced: '5.3.4' };
/** RFC 3463 §3.8 X.7.1: "delivery not authorized, message refused" — a type the policy refuses. */
const NOT_AUTHORIZED = { code: 550, enhanced: '5.7.1' };

/** Whether `type` (lower case) is in the allowed list: exact, `image/*`, or `*` + `/*`. */
function typeAllowed(type: string, allowed: readonly string[]): boolean {
  const top = type.slice(0, type.indexOf('/') + 1);
  return allowed.some((range) => {
    const r = range.toLowerCase();
    return r === type || r === '*/*' || (r.endsWith('/*') && r.slice(0, -1) === top);
  });
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

const attachmentName = (a: AttachmentInfo): string => (a.filename ? `"${a.filename}"` : 'an attachment');

/**
 * The first limit a message breaks, or null: the whole MIME size, then each attachment's size,
 * then the attachment count, then each attachment's type.
 */
export function checkMessage(limits: EffectiveLimits, message: { size: number; attachments: readonly AttachmentInfo[] }): LimitViolation | null {
  const total = limits.limit_size_total_mime;
  if (!isUnlimited(total) && message.size > total) {
    return {
      limit: 'limit_size_total_mime',
      message: `the message is ${formatBytes(message.size)}, over the limit of ${formatBytes(total)} per message`,
      smtp: TOO_BIG,
      http: 413,
    };
  }
  const perAttachment = limits.limit_attachment_size_limit;
  if (!isUnlimited(perAttachment)) {
    const big = message.attachments.find((a) => a.size > perAttachment);
    if (big) {
      return {
        limit: 'limit_attachment_size_limit',
        message: `${attachmentName(big)} is ${formatBytes(big.size)}, over the limit of ${formatBytes(perAttachment)} per attachment`,
        smtp: TOO_BIG,
        http: 413,
      };
    }
  }
  const count = limits.limit_attachment_count_limit;
  if (!isUnlimited(count) && message.attachments.length > count) {
    return {
      limit: 'limit_attachment_count_limit',
      message: `the message has ${plural(message.attachments.length, 'attachment')}, over the limit of ${count} per message`,
      smtp: TOO_BIG,
      http: 400,
    };
  }
  // An empty list allows every type, as the hosted API's "empty or omitted: all types" does.
  const allowed = limits.limit_attachment_allowed_types;
  const refused = allowed.length === 0 ? undefined : message.attachments.find((a) => !typeAllowed(a.contentType.toLowerCase(), allowed));
  if (refused) {
    return {
      limit: 'limit_attachment_allowed_types',
      message: `attachments of type ${refused.contentType} are not allowed (${attachmentName(refused)}); allowed: ${allowed.join(', ')}`,
      smtp: NOT_AUTHORIZED,
      http: 400,
    };
  }
  return null;
}

/** The UTC day of `now`, `YYYY-MM-DD`: the key daily counts are kept under (reset 00:00 UTC). */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Whole seconds from `now` to the next 00:00 UTC, at least 1 (at midnight itself, a full day). */
export function secondsUntilUtcMidnight(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/**
 * Whether one more message may be counted today, `countToday` being the messages already
 * counted this UTC day. Over the limit, a temporary refusal that lifts at 00:00 UTC:
 * received → SMTP 452 4.5.3 (RFC 3463 X.5.3, at RCPT: this mailbox takes no more today);
 * sent → SMTP 451 4.7.1 (X.7.1, the submission is refused for now); both HTTP 429 with
 * Retry-After.
 */
export function checkDaily(limit: number, countToday: number, direction: 'sent' | 'received', now: Date): LimitViolation | null {
  if (isUnlimited(limit) || countToday < limit) return null;
  const retryAfterSeconds = secondsUntilUtcMidnight(now);
  const hours = Math.ceil(retryAfterSeconds / 3600);
  const when = `the count resets at 00:00 UTC (in ${hours === 1 ? 'under an hour' : `about ${hours} hours`})`;
  return direction === 'sent'
    ? {
        limit: 'limit_count_daily_email_sent',
        message: `this account has reached its limit of ${plural(limit, 'message')} sent per day (${countToday} today); ${when}`,
        smtp: { code: 451, enhanced: '4.7.1' },
        http: 429,
        retryAfterSeconds,
      }
    : {
        limit: 'limit_count_daily_message_received',
        message: `this account has reached its limit of ${plural(limit, 'message')} received per day (${countToday} today); ${when}`,
        smtp: { code: 452, enhanced: '4.5.3' },
        http: 429,
        retryAfterSeconds,
      };
}

/**
 * Whether `adding` bytes fit in the account's storage beside the `usedBytes` it holds. Over:
 * SMTP 552 5.2.2 (RFC 3463 X.2.2 "mailbox full"), IMAP [OVERQUOTA] (RFC 5530), HTTP 413.
 */
export function checkStorage(limit: number, usedBytes: number, adding: number): LimitViolation | null {
  if (isUnlimited(limit) || usedBytes + adding <= limit) return null;
  return {
    limit: 'limit_storage_total',
    message: `the mailbox is full: it holds ${formatBytes(usedBytes)} of ${formatBytes(limit)}, and ${formatBytes(adding)} more do not fit`,
    smtp: { code: 552, enhanced: '5.2.2' },
    http: 413,
    imapCode: 'OVERQUOTA',
  };
}
