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

export function summarize(headers: Headers): MessageSummary {
  const addresses = (key: string) => headers.get(key).flatMap((line) => parseAddressList(fieldValue(line)));
  const date = first(headers, 'date');
  const parsedDate = date === null ? NaN : Date.parse(date);
  const messageId = first(headers, 'message-id');
  return {
    subject: decoded(first(headers, 'subject')),
    from: addresses('from'),
    to: addresses('to'),
    cc: addresses('cc'),
    messageId: messageId ? messageId.trim() : null,
    date: Number.isNaN(parsedDate) ? null : Math.floor(parsedDate / 1000),
  };
}
