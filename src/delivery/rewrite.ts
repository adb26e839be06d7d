// What submission does to a message before it goes anywhere (RFC 6409 §8 lets an MSA add and
// fix fields): the From field must name the authenticated account, and is rewritten to its
// canonical form (display name + address); Sender goes; Message-ID and Date are added when
// missing. The Sent copy keeps Bcc; the copies that travel lose it.
import { randomUUID } from 'node:crypto';
import { formatMailbox, parseAddressList } from '../mail/addresses.js';
import { rfc5322Date } from '../mail/date.js';
import { fieldValue, joinMessage, splitMessage } from '../mail/header-block.js';
import { summarize } from '../mail/summary.js';
import type { Account, MessageSummary } from '../store/types.js';
import { DeliveryRefused } from './refusal.js';

export interface PreparedSubmission {
  /** The copy for the sender's Sent folder (Bcc kept). */
  sent: Buffer;
  /** The copy for recipients (Bcc removed). */
  outbound: Buffer;
  summary: MessageSummary;
  messageId: string;
}

/** `displayName`, when given, replaces the account's name in the From field of this message only. */
export function prepareSubmission(raw: Buffer, account: Account, now: Date, displayName?: string): PreparedSubmission {
  const message = splitMessage(raw);
  const { headers } = message;

  // RFC 6409 §6.1 lets the MSA refuse a sender the user may not use; mox and Stalwart do.
  const fromLines = headers.get('from');
  if (fromLines.length > 1) throw new DeliveryRefused(550, '5.7.1', 'the message has more than one From field');
  if (fromLines.length === 1) {
    const addresses = parseAddressList(fieldValue(fromLines[0]!));
    const others = addresses.filter((a) => a.address.toLowerCase() !== account.email);
    if (addresses.every((a) => a.address === '')) {
      throw new DeliveryRefused(550, '5.7.1', `the From field names no address; use ${account.email}`);
    }
    if (others.length > 0) {
      throw new DeliveryRefused(550, '5.7.1', `the From address ${others[0]!.address} is not yours; send as ${account.email}`);
    }
  }

  headers.update('From', formatMailbox(displayName ?? account.name, account.email));
  headers.remove('Sender');
  let messageId = fieldValue(headers.get('message-id')[0] ?? '');
  if (!messageId) {
    // Missing or empty: one new field (RFC 5322 §3.6 allows at most one), replacing an empty one.
    messageId = `<${randomUUID()}@${account.email.slice(account.email.indexOf('@') + 1)}>`;
    headers.update('Message-ID', messageId);
  }
  if (headers.get('date').length === 0) headers.add('Date', rfc5322Date(now));

  const sent = joinMessage(message);
  const hasBcc = headers.get('bcc').length > 0;
  headers.remove('Bcc');
  const outbound = hasBcc ? joinMessage(message) : sent;
  return { sent, outbound, summary: summarize(headers), messageId };
}
