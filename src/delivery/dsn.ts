// Delivery status notifications (RFC 3464): the bounce a sender finds in their INBOX when a
// recipient failed for good, or the report they asked for with NOTIFY=SUCCESS (RFC 3461).
// A multipart/report (RFC 6522) of three parts: words for a person, the
// message/delivery-status fields for software, and the original message (or only its header
// when RET=HDRS was asked for, or when it is large).
import { randomBytes } from 'node:crypto';
import { rfc5322Date } from '../mail/date.js';
import { splitMessage } from '../mail/header-block.js';

export interface DsnRecipient {
  recipient: string;
  /** RFC 3461 ORCPT as given ("rfc822;addr"), or null. */
  orcpt: string | null;
  /** 'relayed': handed to the next server, which does not report further (RFC 3464 §2.3.3). */
  action: 'failed' | 'relayed';
  /** RFC 3463 status, e.g. "5.1.1". */
  status: string;
  /** The remote server's reply, e.g. "550 5.1.1 no such user". */
  diagnostic: string | null;
  remoteMta: string | null;
  lastAttempt: Date;
}

export interface DsnInput {
  hostname: string;
  /** The original sender, who receives the report. */
  to: string;
  original: Buffer;
  ret: 'FULL' | 'HDRS' | null;
  envid: string | null;
  arrivalDate: Date;
  recipients: DsnRecipient[];
  now: Date;
}

/** Larger originals are returned as their header only (Postfix returns 50 KB by default). */
const FULL_RETURN_LIMIT = 100 * 1024;

/** An RFC 3463 code from an SMTP reply, or the class default from its basic code. */
export function statusFromReply(reply: string, fallback: string): string {
  const enhanced = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply);
  if (enhanced) return enhanced[1]!;
  const basic = /^([245])\d\d/.exec(reply);
  return basic ? `${basic[1]}.0.0` : fallback;
}

const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').trim();

export function buildDsn(input: DsnInput): Buffer {
  const boundary = `wicket-dsn-${randomBytes(12).toString('hex')}`;
  const failed = input.recipients.filter((r) => r.action === 'failed');
  const subject = failed.length > 0 ? 'Undelivered Mail Returned to Sender' : 'Successful Mail Delivery Report';
  const id = `<${randomBytes(12).toString('hex')}@${input.hostname}>`;

  const human = [
    `This is the mail system at ${input.hostname}.`,
    '',
    failed.length > 0
      ? 'Your message could not be delivered to one or more recipients. It is attached below.'
      : 'Your message was successfully delivered to the destination(s) listed below.',
    '',
    ...input.recipients.map((r) => `<${r.recipient}>: ${r.diagnostic ? oneLine(r.diagnostic) : r.action}`),
    '',
  ].join('\r\n');

  // RFC 3464 §2.2: per-message fields in the grammar's order, then one block per recipient (§2.3).
  const perMessage = input.envid ? [`Original-Envelope-Id: ${oneLine(input.envid)}`] : [];
  perMessage.push(`Reporting-MTA: dns; ${input.hostname}`, `Arrival-Date: ${rfc5322Date(input.arrivalDate)}`);
  const perRecipient = input.recipients.map((r) => {
    const fields = [];
    if (r.orcpt) fields.push(`Original-Recipient: ${oneLine(r.orcpt)}`);
    fields.push(`Final-Recipient: rfc822; ${r.recipient}`, `Action: ${r.action}`, `Status: ${r.status}`);
    if (r.remoteMta) fields.push(`Remote-MTA: dns; ${oneLine(r.remoteMta)}`);
    if (r.diagnostic) fields.push(`Diagnostic-Code: smtp; ${oneLine(r.diagnostic)}`);
    fields.push(`Last-Attempt-Date: ${rfc5322Date(r.lastAttempt)}`);
    return fields.join('\r\n');
  });
  const status = [perMessage.join('\r\n'), ...perRecipient].join('\r\n\r\n');

  const headersOnly = input.ret === 'HDRS' || input.original.length > FULL_RETURN_LIMIT;
  const returned = headersOnly ? splitMessage(input.original).headers.build() : input.original;
  const eightBit = returned.some((b) => b > 0x7e || (b < 0x20 && b !== 0x0d && b !== 0x0a && b !== 0x09));

  const head = [
    `From: Mail Delivery System <MAILER-DAEMON@${input.hostname}>`,
    `To: <${input.to}>`,
    `Subject: ${subject}`,
    `Date: ${rfc5322Date(input.now)}`,
    `Message-ID: ${id}`,
    // RFC 3834 §5: an automatic response; nobody should answer it automatically.
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    'Content-Description: Notification',
    '',
    human,
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    'Content-Description: Delivery report',
    '',
    status,
    '',
    `--${boundary}`,
    headersOnly ? 'Content-Type: text/rfc822-headers' : 'Content-Type: message/rfc822',
    `Content-Description: ${headersOnly ? 'Undelivered message headers' : 'Undelivered message'}`,
    ...(eightBit ? ['Content-Transfer-Encoding: 8bit'] : []),
    '',
    '',
  ].join('\r\n');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return Buffer.concat([Buffer.from(head, 'utf8'), returned, tail]);
}
