// Folders: GET|POST /v3/grants/{id}/folders, GET|PUT|DELETE /v3/grants/{id}/folders/{folder_id}.
// Thin: creates, renames and deletes go through MailboxService, the same rules IMAP CREATE,
// RENAME and DELETE follow, so IMAP and the API see one set of folders.
//   - A folder id is the folder's row id as a string; it survives renames. Wherever an id is
//     taken, a folder name is accepted too ("INBOX", "sent", "Clients/Acme"): an exact name
//     first, then system names in any case (messages/folder-ref.ts, shared with the message routes).
//   - `name` is the full path with "/" between levels, as IMAP LIST shows it.
//   - \Noselect placeholders (a parent kept because it has children, RFC 3501 §6.3.4) are
//     listed, with the attribute \Noselect and no messages.
import { z } from 'zod';
import { DELIMITER, canonicalName } from '../../accounts/mailboxes.js';
import { SYSTEM_FOLDERS } from '../../accounts/accounts.js';
import { resolveFolder } from '../../messages/folder-ref.js';
import type { Account, Folder } from '../../store/types.js';
import { ApiError } from '../errors.js';
import { type AnyRoute, type ApiContext, NO_DATA, grantOf, paged, route } from '../route.js';
import { folderObject, parentName } from '../views/folder.js';
import { idParam } from './schemas.js';

const GrantParams = z.strictObject({ grantId: idParam.describe('grant id, or the account address') });
const FolderParams = z.strictObject({
  grantId: idParam.describe('grant id, or the account address'),
  folderId: idParam.describe('folder id, or the folder name ("INBOX", "Sent", "Clients/Acme")'),
});

const folderName = z
  .string({ error: (issue) => (issue.input === undefined ? 'name is required: the folder name' : 'name must be a string') })
  .min(1, 'name must not be empty')
  .max(2048);
const parentId = z.string().min(1).max(2048).describe('id (or name) of the parent folder');

const CreateFolder = z.strictObject({
  name: folderName.describe('the folder name; with "/" it is a path ("Clients/Acme"), missing parents are created'),
  parent_id: parentId.nullable().optional().describe('create the folder under this one; null or omitted: name is the full path'),
});

const UpdateFolder = z.strictObject({
  name: folderName
    .optional()
    .describe('new name: with "/" a full path; without, a new last level under the same parent (or under parent_id)'),
  parent_id: parentId.nullable().optional().describe('move under this folder; null moves it to the top level'),
});

// The hosted API's list parameters (limit, page_token, …) are accepted and ignored: every
// folder fits one page.
const ListQuery = z.object({});

const FolderView = z.object({
  id: z.string(),
  grant_id: z.string(),
  object: z.literal('folder'),
  name: z.string(),
  parent_id: z.string().nullable(),
  system_folder: z.boolean(),
  attributes: z.array(z.string()),
  total_count: z.number(),
  unread_count: z.number(),
  child_count: z.number(),
});

/** System names, lower case → as stored. */
const SYSTEM_BY_LOWER = new Map(SYSTEM_FOLDERS.map((f) => [f.name.toLowerCase(), f.name]));

/** A folder of the account by id or by name (as message routes resolve them); 404 otherwise. */
function findFolder(ctx: ApiContext, account: Account, ref: string, what = 'folder'): Folder {
  const folder = resolveFolder(ctx.services.store, account.id, ref);
  if (!folder) throw new ApiError(404, 'api.not_found_error', `${what} ${ref} not found`);
  return folder;
}

const leaf = (name: string): string => name.slice(name.lastIndexOf(DELIMITER) + 1);
const under = (parent: Folder | null, name: string): string => (parent ? `${parent.name}${DELIMITER}${name}` : name);

/**
 * "sent" or "JUNK" would be a new folder to IMAP (names are case-sensitive but for INBOX), yet
 * the API finds system folders by name in any case: such names are reserved here.
 */
function refuseSystemLookalike(target: string): void {
  const system = SYSTEM_BY_LOWER.get(target.toLowerCase());
  if (system !== undefined && system !== canonicalName(target)) {
    throw new ApiError(409, 'api.conflict_error', `${target} is reserved: it differs from the system folder ${system} only in case`);
  }
}

function refuseSystem(ctx: ApiContext, folder: Folder, action: 'renamed or moved' | 'deleted'): void {
  if (ctx.services.mailboxes.isSystem(folder.name)) {
    throw new ApiError(400, 'api.invalid_request_error', `${folder.name} is a system folder and cannot be ${action}`);
  }
}

export const folderRoutes: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/v3/grants/:grantId/folders',
    tag: 'Folders',
    summary: 'List the folders of an account',
    description: 'Every folder in one page, in name order; \\Noselect placeholders included.',
    params: GrantParams,
    query: ListQuery,
    response: z.array(FolderView),
    handler: ({ params, ctx }) => {
      const account = grantOf(ctx, params.grantId);
      const folders = ctx.services.store.mail.listMailboxes(account.id);
      return paged(
        folders.map((f) => folderObject(ctx.services.store, f, folders)),
        null,
      );
    },
  }),
  route({
    method: 'POST',
    path: '/v3/grants/:grantId/folders',
    tag: 'Folders',
    summary: 'Create a folder',
    description:
      'The name may be a path ("Clients/Acme"); with parent_id the folder is created under that folder. Missing parents are created (as IMAP CREATE does). 409 when the folder exists.',
    params: GrantParams,
    body: CreateFolder,
    response: FolderView,
    handler: ({ params, body, ctx }) => {
      const account = grantOf(ctx, params.grantId);
      const parent = body.parent_id != null ? findFolder(ctx, account, body.parent_id, 'parent folder') : null;
      const target = under(parent, body.name);
      refuseSystemLookalike(target);
      const folder = ctx.services.mailboxes.create(account.id, target);
      return folderObject(ctx.services.store, folder);
    },
  }),
  route({
    method: 'GET',
    path: '/v3/grants/:grantId/folders/:folderId',
    tag: 'Folders',
    summary: 'Get one folder, by id or by name',
    params: FolderParams,
    response: FolderView,
    handler: ({ params, ctx }) => {
      const account = grantOf(ctx, params.grantId);
      return folderObject(ctx.services.store, findFolder(ctx, account, params.folderId));
    },
  }),
  route({
    method: 'PUT',
    path: '/v3/grants/:grantId/folders/:folderId',
    tag: 'Folders',
    summary: 'Rename or move a folder',
    description:
      'IMAP RENAME semantics: the id stays, subfolders move along, subscriptions follow. A name without "/" renames the last level in place; parent_id moves the folder under another one (null: to the top level). System folders cannot be renamed or moved (400).',
    params: FolderParams,
    body: UpdateFolder,
    response: FolderView,
    handler: ({ params, body, ctx }) => {
      const account = grantOf(ctx, params.grantId);
      const folder = findFolder(ctx, account, params.folderId);
      if (body.name === undefined && body.parent_id === undefined) return folderObject(ctx.services.store, folder);
      refuseSystem(ctx, folder, 'renamed or moved');
      if (folder.noselect) {
        throw new ApiError(
          400,
          'api.invalid_request_error',
          `${folder.name} is a placeholder for its subfolders (\\Noselect): create it first, or rename the subfolders`,
        );
      }
      let target: string;
      if (body.parent_id !== undefined) {
        const parent = body.parent_id === null ? null : findFolder(ctx, account, body.parent_id, 'parent folder');
        target = under(parent, body.name ?? leaf(folder.name));
      } else {
        const name = body.name!;
        // Without "/" the last level changes and the folder stays where it is.
        const parent = parentName(folder.name);
        target = name.includes(DELIMITER) || parent === null ? name : `${parent}${DELIMITER}${name}`;
      }
      if (canonicalName(target) !== folder.name) {
        refuseSystemLookalike(target);
        ctx.services.mailboxes.rename(account.id, folder.name, target);
      }
      return folderObject(ctx.services.store, ctx.services.store.mail.getMailboxById(account.id, folder.id)!);
    },
  }),
  route({
    method: 'DELETE',
    path: '/v3/grants/:grantId/folders/:folderId',
    tag: 'Folders',
    summary: 'Delete a folder and the messages in it',
    description:
      'As IMAP DELETE: the folder\'s messages are deleted with it. A folder with subfolders keeps its name as a \\Noselect placeholder (same id) until they are gone. System folders cannot be deleted (400).',
    params: FolderParams,
    handler: ({ params, ctx }) => {
      const account = grantOf(ctx, params.grantId);
      const folder = findFolder(ctx, account, params.folderId);
      refuseSystem(ctx, folder, 'deleted');
      ctx.services.mailboxes.delete(account.id, folder.name);
      return NO_DATA;
    },
  }),
];
