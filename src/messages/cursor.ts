// The page token of message lists: an opaque base64url of the last position returned, in the
// list's order (internal date, then row id, both descending). A position, not an offset, so a
// message arriving while a client pages neither repeats one nor skips an older one.
import { ValidationError } from '../errors.js';
import type { MessagePosition } from '../store/types.js';

export function encodeCursor(position: MessagePosition): string {
  return Buffer.from(`m1:${position.internalDate}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(token: string): MessagePosition {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const match = /^m1:(\d{1,16}):(\d{1,16})$/.exec(text);
  if (!match) throw new ValidationError('page_token', 'format', 'page_token is not a next_cursor this server gave out');
  return { internalDate: Number(match[1]), id: Number(match[2]) };
}
