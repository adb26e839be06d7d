// The few header facts stored beside each message so lists need not read bodies.
import libmime from 'libmime';
import type { Headers } from 'mailsplit';
import type { MessageSummary } from '../store/types.js';
import { parseAddressList } from './addresses.js';
import { fieldValue } from './header-block.js';

function first(headers: Headers, key: string): string | null {
  const line = headers.get(key)[0];
  return line === undefined ? null : fieldValue(line);
}

function decoded(value: string | null): string | null {
  if (value === null) return null;
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

/** The msg-ids of an In-Reply-To or References field (RFC 5322 §3.6.4), angle brackets kept. */
export function messageIds(value: string | null): string[] {
  if (value === null) return [];
  return (value.match(/<[^<>\s]+>/g) ?? []).slice(0, 100);
}

export function summarize(headers: Headers): MessageSummary {
  const addresses = (key: string) => headers.get(key).flatMap((line) => parseAddressList(fieldValue(line)));
  const date = first(headers, 'date');
  const parsedDate = date === null ? NaN : Date.parse(date);
  const messageId = first(headers, 'message-id');
  const inReplyTo = messageIds(first(headers, 'in-reply-to'));
  const references = messageIds(first(headers, 'references'));
  return {
    subject: decoded(first(headers, 'subject')),
    from: addresses('from'),
    to: addresses('to'),
    cc: addresses('cc'),
    messageId: messageId ? messageId.trim() : null,
    date: Number.isNaN(parsedDate) ? null : Math.floor(parsedDate / 1000),
    // Threading (store: thread of a new message); left out when absent, as in older summaries.
    ...(inReplyTo.length > 0 ? { inReplyTo } : {}),
    ...(references.length > 0 ? { references } : {}),
  };
}
