// What a webhook is told about an event: the envelope's `type` and `data` ({application_id,
// grant_id, object}), built once per event when it is fanned out. `object` is the API's view
// of the thing when it still exists, else the snapshot the store wrote with the event.
import { grantView } from '../accounts/views.js';
import { folderObject } from '../api/views/folder.js';
import { messageObjectById } from '../api/views/message.js';
import type { Store } from '../store/store.js';
import type { Account, OutboxEvent } from '../store/types.js';

/** Larger message objects are sent as `<type>.truncated`, without the body (as the hosted service does). */
export const MAX_OBJECT_BYTES = 1024 * 1024;

/** The API's views of messages and folders (they live with the routes); null when gone. */
export interface ObjectViews {
  message(store: Store, accountId: string, messageRowId: number): Record<string, unknown> | null;
  folder(store: Store, accountId: string, folderId: number): Record<string, unknown> | null;
}

export interface Payload {
  type: string;
  data: { application_id: string; grant_id: string | null; object: Record<string, unknown> };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The grant as it was when the event was written, in the API's shape. */
function grantFromSnapshot(s: Record<string, unknown>, event: OutboxEvent): Record<string, unknown> {
  const account: Account = {
    id: String(s.id ?? event.accountId),
    applicationId: String(s.application_id ?? event.applicationId),
    workspaceId: String(s.workspace_id ?? ''),
    domainId: '',
    email: String(s.email ?? ''),
    name: typeof s.name === 'string' ? s.name : null,
    // Only whether there is one matters to the view; the hash is never in a snapshot.
    passwordHash: s.has_app_password === true ? '*' : null,
    grantStatus: s.grant_status === 'invalid' ? 'invalid' : 'valid',
    createdAt: num(s.created_at) ?? event.createdAt,
    updatedAt: num(s.updated_at) ?? event.createdAt,
  };
  return grantView(account);
}

/**
 * A message that is gone (deleted, moved on) or a queue event, from the snapshot written with
 * the event: the API's ids, and what else the snapshot knew, in the API's terms.
 */
function messageFallback(event: OutboxEvent, grantId: string | null): Record<string, unknown> {
  const { id, row_id: _row, uid: _uid, folder: _folder, folder_id: folderId, flags, grant_id: _grant, ...rest } = event.object;
  // message.delivered|bounced snapshots name a queue entry, not a stored message: no id then.
  const object: Record<string, unknown> = { ...(id !== undefined ? { id: String(id) } : {}), grant_id: grantId, object: 'message', ...rest };
  if (folderId !== undefined) object.folders = [String(folderId)];
  if (Array.isArray(flags)) {
    object.unread = !flags.includes('\\Seen');
    object.starred = flags.includes('\\Flagged');
  }
  return object;
}

export function buildPayload(store: Store, event: OutboxEvent, views: ObjectViews): Payload {
  const applicationId = event.applicationId ?? '';
  const grantId = event.accountId;
  const [kind] = event.type.split('.') as [string];
  // Message snapshots carry the row id apart from the API id (`id`); folder snapshots only a row id.
  const rowId = num(event.object.row_id) ?? num(event.object.id);
  let type: string = event.type;
  let object: Record<string, unknown>;

  if (kind === 'grant') {
    object = grantFromSnapshot(event.object, event);
  } else if (kind === 'folder') {
    const current = event.type !== 'folder.deleted' && grantId && rowId !== null ? views.folder(store, grantId, rowId) : null;
    object = current ?? { id: String(event.object.id ?? ''), grant_id: grantId, object: 'folder', name: event.object.name ?? null };
  } else if ((event.type === 'message.created' || event.type === 'message.updated') && grantId && rowId !== null) {
    object = views.message(store, grantId, rowId) ?? messageFallback(event, grantId);
  } else if (kind === 'message') {
    object = messageFallback(event, grantId);
  } else {
    object = { ...event.object };
  }

  if (kind === 'message' && typeof object.body === 'string' && Buffer.byteLength(JSON.stringify(object)) > MAX_OBJECT_BYTES) {
    const { body: _dropped, ...rest } = object;
    object = rest;
    type = `${event.type}.truncated`;
  }
  return { type, data: { application_id: applicationId, grant_id: grantId, object } };
}

/** The REST API's own views: webhooks describe objects exactly as GET would. */
export const apiViews: ObjectViews = {
  message: (store, accountId, rowId) => messageObjectById(store, accountId, rowId) ?? null,
  folder: (store, accountId, folderId) => {
    const folder = store.mail.getMailboxById(accountId, folderId);
    return folder && !folder.noselect ? folderObject(store, folder) : null;
  },
};
