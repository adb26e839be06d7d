// Messages: GET /v3/grants/{id}/messages (filters, cursor pages), GET|PUT|DELETE
// /v3/grants/{id}/messages/{message_id}, GET …/messages/{message_id}/raw and
// GET /v3/grants/{id}/attachments/{attachment_id}/download. Thin: the work is in messages/.
//   - A message id is the message's API id (16 hex digits): it survives moves (PUT folders,
//     IMAP MOVE); a copy (IMAP COPY) is a new message with a new id.
//   - Lists are newest first (received time, then arrival order); next_cursor is an opaque
//     position, so messages arriving while a client pages neither repeat nor push others out.
//   - unread/starred are the IMAP \Seen and \Flagged flags; folders holds the one folder id.
//     A move out of Junk marks the message $NotJunk, as IMAP MOVE does (messages/update.ts).
import { z } from 'zod';
import { readMessage as readParts, partContent } from '../../mail/parts.js';
import { resolveFolder } from '../../messages/folder-ref.js';
import { type MessageFilter, listMessages } from '../../messages/list.js';
import { deleteMessage, requireMessage, updateMessage } from '../../messages/update.js';
import type { Store } from '../../store/store.js';
import type { MessageRecord } from '../../store/types.js';
import { ApiError } from '../errors.js';
import { type AnyRoute, NO_DATA, grantOf, paged, route } from '../route.js';
import { messageObject, parseAttachmentId } from '../views/message.js';
import { idParam, limitParam, queryBoolean, unixSeconds } from './schemas.js';

const grantId = idParam.describe('grant id, or the account address');
const messageId = z.string().min(1).max(64).describe('message id');
const GrantParams = z.strictObject({ grantId });
const MessageParams = z.strictObject({ grantId, messageId });
const AttachmentParams = z.strictObject({ grantId, attachmentId: z.string().min(1).max(200).describe('attachment id') });

const Fields = z
  .enum(['standard', 'include_headers', 'raw_mime', 'include_tracking_options'], {
    message: 'fields must be standard, include_headers or raw_mime',
  })
  .optional()
  .describe('include_headers adds `headers`; raw_mime answers id, grant_id, object and raw_mime (base64url) only');
const Select = z
  .string()
  .regex(/^[a-z_]+(,[a-z_]+)*$/, 'select is a comma-separated list of field names')
  .optional()
  .describe('only these fields of each message (e.g. id,subject,unread)');

/** A comma-separated list of addresses in a query string. */
const addressList = (what: string) =>
  z
    .string()
    .max(4000)
    .transform((v) => v.split(',').map((a) => a.trim()).filter((a) => a !== ''))
    .describe(what);

const ListQuery = z.strictObject({
  limit: limitParam(200, 50).describe('page size, 1–200 (default 50)'),
  page_token: z.string().max(200).optional().describe('the next_cursor of the previous page'),
  subject: z.string().max(998).optional().describe('subject contains this (case-insensitive)'),
  from: addressList('From has any of these addresses (comma-separated)').optional(),
  to: addressList('To has any of these addresses (comma-separated)').optional(),
  cc: addressList('Cc has any of these addresses (comma-separated)').optional(),
  any_email: addressList('From, To or Cc has any of these addresses (comma-separated)').optional(),
  in: z.string().min(1).max(2048).optional().describe('folder id, or a folder name (INBOX, Sent… in any case)'),
  thread_id: z.string().max(64).optional(),
  unread: queryBoolean.optional(),
  starred: queryBoolean.optional(),
  has_attachment: queryBoolean.optional().describe('has (or has not) an attachment that is not an inline image'),
  received_before: unixSeconds.optional().describe('received before this time (Unix seconds, exclusive)'),
  received_after: unixSeconds.optional().describe('received after this time (Unix seconds, exclusive)'),
  search_query_native: z.string().max(2000).optional().describe('IMAP SEARCH criteria, e.g. `FROM alice UNSEEN SINCE 1-Feb-2024`'),
  fields: Fields,
  select: Select,
});

const GetQuery = z.strictObject({ fields: Fields, select: Select });

const MessagePut = z.strictObject({
  unread: z.boolean().optional().describe('false sets \\Seen, true clears it'),
  starred: z.boolean().optional().describe('\\Flagged'),
  folders: z.array(z.string().min(1).max(2048)).optional().describe('exactly one folder id (or name): moves the message'),
});

const DownloadQuery = z.strictObject({ message_id: messageId.optional().describe('the message the attachment belongs to') });

const Participant = z.object({ name: z.string(), email: z.string() });
export const MessageView = z.object({
  id: z.string(),
  grant_id: z.string(),
  object: z.literal('message'),
  thread_id: z.string(),
  subject: z.string(),
  from: z.array(Participant),
  to: z.array(Participant),
  cc: z.array(Participant),
  bcc: z.array(Participant),
  reply_to: z.array(Participant),
  date: z.number().describe('received, Unix seconds'),
  snippet: z.string(),
  body: z.string(),
  unread: z.boolean(),
  starred: z.boolean(),
  folders: z.array(z.string()),
  attachments: z.array(
    z.object({
      id: z.string(),
      grant_id: z.string(),
      filename: z.string(),
      content_type: z.string(),
      size: z.number(),
      is_inline: z.boolean(),
      content_id: z.string().optional(),
    }),
  ),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});

type Fields = z.infer<typeof Fields>;

function view(store: Store, record: MessageRecord, fields: Fields, select: string | undefined): Record<string, unknown> {
  let object: Record<string, unknown>;
  if (fields === 'raw_mime') {
    const raw = store.mail.readMessage(record.id) ?? Buffer.alloc(0);
    object = { id: record.publicId, grant_id: record.accountId, object: 'message', raw_mime: raw.toString('base64url') };
  } else {
    object = messageObject(store, record, { headers: fields === 'include_headers' });
  }
  if (select === undefined) return object;
  const keep = new Set(select.split(','));
  return Object.fromEntries(Object.entries(object).filter(([key]) => keep.has(key)));
}

/** `attachment; filename="…"` with an RFC 6266 / RFC 8187 `filename*` for non-ASCII names. */
function contentDisposition(filename: string): string {
  if (filename === '') return 'attachment';
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return ascii === filename ? `attachment; filename="${ascii}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export const messageRoutes: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/v3/grants/:grantId/messages',
    tag: 'Messages',
    summary: "List the account's messages, newest first",
    description:
      'Filters combine with AND. search_query_native takes IMAP SEARCH criteria (RFC 3501 §6.4.4), evaluated as an IMAP client would see them. Pages are cursor based: pass next_cursor back as page_token.',
    params: GrantParams,
    query: ListQuery,
    response: z.array(MessageView),
    handler: ({ params, query, ctx }) => {
      const account = grantOf(ctx, params.grantId);
      const { store } = ctx.services;
      const filter: MessageFilter = {};
      if (query.in !== undefined) {
        const folder = resolveFolder(store, account.id, query.in);
        if (!folder) throw new ApiError(404, 'api.not_found_error', `folder ${query.in} not found`);
        filter.folderIds = [folder.id];
      }
      if (query.thread_id !== undefined) filter.threadId = query.thread_id;
      if (query.subject !== undefined) filter.subject = query.subject;
      if (query.from !== undefined) filter.from = query.from;
      if (query.to !== undefined) filter.to = query.to;
      if (query.cc !== undefined) filter.cc = query.cc;
      if (query.any_email !== undefined) filter.anyEmail = query.any_email;
      if (query.unread !== undefined) filter.unread = query.unread;
      if (query.starred !== undefined) filter.starred = query.starred;
      if (query.has_attachment !== undefined) filter.hasAttachment = query.has_attachment;
      if (query.received_before !== undefined) filter.before = query.received_before * 1000;
      if (query.received_after !== undefined) filter.notBefore = (query.received_after + 1) * 1000;
      if (query.search_query_native !== undefined) filter.search = query.search_query_native;
      const page = listMessages(store, account.id, filter, query.page_token, query.limit);
      return paged(
        page.messages.map((m) => view(store, m, query.fields, query.select)),
        page.nextCursor,
      );
    },
  }),
  route({
    method: 'GET',
    path: '/v3/grants/:grantId/messages/:messageId',
    tag: 'Messages',
    summary: 'Get one message',
    params: MessageParams,
    query: GetQuery,
    response: MessageView,
    handler: ({ params, query, ctx }) => {
      const account = grantOf(ctx, params.grantId);
      const { store } = ctx.services;
      return view(store, requireMessage(store, account, params.messageId), query.fields, query.select);
    },
  }),
  route({
    method: 'PUT',
    path: '/v3/grants/:grantId/messages/:messageId',
    tag: 'Messages',
    summary: 'Mark read or unread, star, or move to another folder',
    description: 'unread and starred are the IMAP \\Seen and \\Flagged flags; folders moves the message (it keeps its id). IMAP sessions see the change at once.',
    params: MessageParams,
    body: MessagePut,
    response: MessageView,
    handler: ({ params, body, ctx }) => {
      const account = grantOf(ctx, params.grantId);
      const { store } = ctx.services;
      const patch = {
        ...(body.unread !== undefined ? { unread: body.unread } : {}),
        ...(body.starred !== undefined ? { starred: body.starred } : {}),
        ...(body.folders !== undefined ? { folders: body.folders } : {}),
      };
      return messageObject(store, updateMessage(store, account, params.messageId, patch));
    },
  }),
  route({
    method: 'DELETE',
    path: '/v3/grants/:grantId/messages/:messageId',
    tag: 'Messages',
    summary: 'Move a message to Trash (remove it for good when it is in Trash)',
    params: MessageParams,
    handler: ({ params, ctx }) => {
      deleteMessage(ctx.services.store, grantOf(ctx, params.grantId), params.messageId);
      return NO_DATA;
    },
  }),
  route({
    method: 'GET',
    path: '/v3/grants/:grantId/messages/:messageId/raw',
    tag: 'Messages',
    summary: 'Download the message as stored (message/rfc822)',
    produces: 'message/rfc822',
    params: MessageParams,
    handler: ({ params, ctx, reply }) => {
      const account = grantOf(ctx, params.grantId);
      const { store } = ctx.services;
      const record = requireMessage(store, account, params.messageId);
      const raw = store.mail.readMessage(record.id);
      if (!raw) throw new ApiError(404, 'api.not_found_error', `message ${params.messageId} not found`);
      void reply
        .header('content-type', 'message/rfc822')
        .header('content-disposition', contentDisposition(`${record.publicId}.eml`))
        .send(raw);
      return reply;
    },
  }),
  route({
    method: 'GET',
    path: '/v3/grants/:grantId/attachments/:attachmentId/download',
    tag: 'Messages',
    summary: "Download an attachment's bytes",
    produces: 'application/octet-stream',
    params: AttachmentParams,
    query: DownloadQuery,
    handler: ({ params, query, ctx, reply }) => {
      const account = grantOf(ctx, params.grantId);
      const { store } = ctx.services;
      const notFound = () => new ApiError(404, 'api.not_found_error', `attachment ${params.attachmentId} not found`);
      const ref = parseAttachmentId(params.attachmentId);
      if (!ref || (query.message_id !== undefined && query.message_id !== ref.publicId)) throw notFound();
      const record = store.mail.getMessageByPublicId(account.id, ref.publicId);
      const raw = record && store.mail.readMessage(record.id);
      const part = raw && readParts(raw).attachments.find((a) => a.path === ref.path);
      if (!raw || !part) throw notFound();
      const charset = part.node.contentType.type === 'text' ? part.node.contentType.params.charset : undefined;
      void reply
        .header('content-type', charset && /^[\w.:-]+$/.test(charset) ? `${part.contentType}; charset=${charset}` : part.contentType)
        .header('content-disposition', contentDisposition(part.filename))
        .send(partContent(raw, part));
      return reply;
    },
  }),
];
