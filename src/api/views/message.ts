// The API's message object (the hosted v3 API's shape): what GET /messages answers and what
// webhooks carry. Built from the stored bytes with the MIME code IMAP uses (mail/parts.ts).
import { fieldValue, splitMessage } from '../../mail/header-block.js';
import { parseAddressList } from '../../mail/addresses.js';
import { readMessage } from '../../mail/parts.js';
import type { Store } from '../../store/store.js';
import type { MessageRecord } from '../../store/types.js';
import libmime from 'libmime';
import { folderApiId } from '../../messages/folder-ref.js';

export interface MessageObjectOptions {
  /** Include `body` (default true); webhooks leave it out of truncated payloads. */
  body?: boolean;
  /** Include `headers` as [{name, value}] (the `fields=include_headers` of the hosted API). */
  headers?: boolean;
}

/** An attachment's API id: the message's API id and the part's section, so it survives moves. */
export const attachmentId = (publicId: string, path: string): string => `${publicId}_${path}`;

/** The message API id and part section an attachment id names, or null when it is not one. */
export function parseAttachmentId(id: string): { publicId: string; path: string } | null {
  const match = /^([0-9A-Za-z-]{1,64})_(\d{1,4}(?:\.\d{1,4}){0,50})$/.exec(id);
  return match ? { publicId: match[1]!, path: match[2]! } : null;
}

const decodeText = (value: string): string => {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
};

export function messageObject(store: Store, record: MessageRecord, opts: MessageObjectOptions = {}): Record<string, unknown> {
  const raw = store.mail.readMessage(record.id) ?? Buffer.alloc(0);
  const { headers } = splitMessage(raw);
  const first = (key: string): string | null => {
    const line = headers.get(key)[0];
    return line === undefined ? null : fieldValue(line);
  };
  const addresses = (key: string) =>
    headers
      .get(key)
      .flatMap((line) => parseAddressList(fieldValue(line)))
      .filter((a) => a.address !== '')
      .map((a) => ({ name: a.name, email: a.address }));
  const subject = first('subject');
  const readable = readMessage(raw);
  const object: Record<string, unknown> = {
    id: record.publicId,
    grant_id: record.accountId,
    object: 'message',
    thread_id: record.threadId,
    subject: subject === null ? '' : decodeText(subject),
    from: addresses('from'),
    to: addresses('to'),
    cc: addresses('cc'),
    bcc: addresses('bcc'),
    reply_to: addresses('reply-to'),
    date: Math.floor(record.internalDate / 1000),
    snippet: readable.snippet,
    ...(opts.body === false ? {} : { body: readable.body }),
    unread: !record.flags.includes('\\Seen'),
    starred: record.flags.includes('\\Flagged'),
    folders: [folderApiId(record.folderId)],
    attachments: readable.attachments.map((part) => ({
      id: attachmentId(record.publicId, part.path),
      grant_id: record.accountId,
      filename: part.filename,
      content_type: part.contentType,
      size: part.size,
      is_inline: part.isInline,
      ...(part.contentId ? { content_id: part.contentId } : {}),
    })),
  };
  if (opts.headers) {
    object.headers = headers
      .getList()
      .filter((h) => h.key)
      .map((h) => {
        const colon = h.line.indexOf(':');
        return { name: colon === -1 ? h.line : h.line.slice(0, colon).trim(), value: decodeText(fieldValue(h.line)) };
      });
  }
  return object;
}

/** The message object of a stored message by its row id (what change events name), if it still exists. */
export function messageObjectById(
  store: Store,
  accountId: string,
  messageRowId: number,
  opts: MessageObjectOptions = {},
): Record<string, unknown> | undefined {
  const record = store.mail.getMessage(accountId, messageRowId);
  return record && messageObject(store, record, opts);
}
