// Listing an account's messages for the API: the filters the store can answer in SQL, then the
// ones that read the message (IMAP SEARCH criteria, attachments), page by page in one stable
// order — newest first by internal date, then row id — with the page token a position.
import { readMessage } from '../mail/parts.js';
import type { Store } from '../store/store.js';
import type { MessagePosition, MessageQuery, MessageRecord } from '../store/types.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { matchesNative, parseNativeQuery } from './search.js';

export interface MessageFilter extends MessageQuery {
  /** An IMAP SEARCH criteria string. */
  search?: string;
  hasAttachment?: boolean;
}

export interface MessagePage {
  messages: MessageRecord[];
  nextCursor: string | null;
}

/** Rows one request may look at for the filters that read messages; the page ends early after. */
const MAX_SCANNED = 5000;

const positionOf = (m: MessageRecord): MessagePosition => ({ internalDate: m.internalDate, id: m.id });

export function hasAttachment(store: Store, record: MessageRecord): boolean {
  const raw = store.mail.readMessage(record.id);
  return raw !== undefined && readMessage(raw).attachments.some((a) => !a.isInline);
}

export function listMessages(store: Store, accountId: string, filter: MessageFilter, pageToken: string | undefined, limit: number): MessagePage {
  const { search, hasAttachment: wantAttachment, ...query } = filter;
  let after = pageToken === undefined ? null : decodeCursor(pageToken);
  const key = search === undefined ? null : parseNativeQuery(search);
  const reads = key !== null || wantAttachment !== undefined;
  const matches = (record: MessageRecord): boolean =>
    (wantAttachment === undefined || hasAttachment(store, record) === wantAttachment) && (key === null || matchesNative(store, key, record));

  // One more than asked tells whether another page follows.
  const wanted = limit + 1;
  const batch = reads ? Math.max(wanted, 200) : wanted;
  const found: MessageRecord[] = [];
  let scanned = 0;
  for (;;) {
    const rows = store.mail.queryMessages(accountId, query, after, batch);
    for (const row of rows) {
      scanned++;
      if (!reads || matches(row)) found.push(row);
      if (found.length === wanted) break;
    }
    if (found.length === wanted || rows.length < batch) break;
    after = positionOf(rows[rows.length - 1]!);
    if (scanned >= MAX_SCANNED) {
      // Enough work for one request: hand back what matched so far and where to go on from.
      return { messages: found, nextCursor: encodeCursor(after) };
    }
  }
  if (found.length > limit) {
    const page = found.slice(0, limit);
    return { messages: page, nextCursor: encodeCursor(positionOf(page[page.length - 1]!)) };
  }
  return { messages: found, nextCursor: null };
}
