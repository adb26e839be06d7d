// What the inbox pages share: their paths, and finding the folder and message a request names —
// always inside the account, which is always inside the picked application, so an id from
// another application or account is a 404 like any unknown one.
import { NotFoundError } from '../../errors.js';
import { resolveFolder } from '../../messages/folder-ref.js';
import { requireMessage } from '../../messages/update.js';
import type { Account, Application, Folder, MessageRecord } from '../../store/types.js';
import { messageObject } from '../../api/views/message.js';
import type { WebRequest } from '../context.js';
import { accountPath } from './accounts.js';

/** `/dashboard/apps/<app>/accounts/<id>/mail<rest>` */
export const mailPath = (app: Application, account: Pick<Account, 'id'>, rest = ''): string => accountPath(app, account, `/mail${rest}`);

/** A path with a query string; empty values are left out. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** The folder named by `?folder=` (an id or a name), INBOX when none is named. */
export function folderOf(w: WebRequest, account: Account, ref = w.query.folder): Folder {
  const name = ref === undefined || ref === '' ? 'INBOX' : ref.slice(0, 2048);
  const folder = resolveFolder(w.services.store, account.id, name);
  if (!folder || folder.noselect) throw new NotFoundError(`folder ${name} not found`);
  return folder;
}

/** The message named by `:message` (its API id), in this account only. */
export const messageOf = (w: WebRequest, account: Account): MessageRecord => requireMessage(w.services.store, account, (w.params.message ?? '').slice(0, 64));

export interface Participant {
  name: string;
  email: string;
}

/** The fields of the API's message object the pages use (src/api/views/message.ts). */
export interface MessageSummary {
  id: string;
  subject: string;
  from: Participant[];
  to: Participant[];
  cc: Participant[];
  /** Received, Unix seconds. */
  date: number;
  unread: boolean;
  starred: boolean;
  attachments: { id: string; filename: string; content_type: string; size: number; is_inline: boolean }[];
  headers?: { name: string; value: string }[];
}

/** A message as the API describes it: the same MIME reading for every surface. */
export const summaryOf = (w: WebRequest, record: MessageRecord, headers = false): MessageSummary =>
  messageObject(w.services.store, record, { body: false, headers }) as unknown as MessageSummary;

export const displayName = (p: Participant): string => (p.name.trim() !== '' ? p.name : p.email);

export const formatTime = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
