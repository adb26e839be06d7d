// Sending from the API: the request (the hosted v3 API's send body) becomes an RFC 5322 message
// built by nodemailer's MailComposer, then goes through the one delivery pipeline like SMTP
// submission — From rewrite, Sent copy, local delivery, outbound queue — and the Sent copy is
// what the caller gets back. Everything is checked before anything is stored.
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { checkDisplayName } from '../accounts/display-name.js';
import type { DeliveryPipeline, Envelope } from '../delivery/pipeline.js';
import type { PeerInfo } from '../delivery/trace.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { fieldValue, splitMessage } from '../mail/header-block.js';
import { messageIds } from '../mail/summary.js';
import type { Store } from '../store/store.js';
import type { Account, MessageRecord } from '../store/types.js';

export interface Participant {
  name?: string | undefined;
  email: string;
}

export interface NewAttachment {
  filename: string;
  contentType?: string | undefined;
  content: Buffer;
  contentId?: string | undefined;
  /** "attachment" (default) or "inline". */
  contentDisposition?: string | undefined;
}

export interface SendRequest {
  from?: Participant[] | undefined;
  to?: Participant[] | undefined;
  cc?: Participant[] | undefined;
  bcc?: Participant[] | undefined;
  replyTo?: Participant[] | undefined;
  subject?: string | undefined;
  body?: string | undefined;
  isPlaintext?: boolean | undefined;
  attachments?: NewAttachment[] | undefined;
  customHeaders?: { name: string; value: string }[] | undefined;
  replyToMessageId?: string | undefined;
}

export interface ComposedMessage {
  raw: Buffer;
  envelope: Envelope;
  /** The one-message display name of `from[0].name`, if any. */
  displayName: string | undefined;
}

/** The hosted service's limit on recipients of one message (To, Cc and Bcc together). */
export const MAX_RECIPIENTS = 50;

/**
 * Fields a custom header may not set: those the API builds from its own fields, those that
 * describe the MIME structure, and trace and authentication fields added on the way.
 */
const RESERVED_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-id',
  'return-path',
  'received',
  'dkim-signature',
  'authentication-results',
  'arc-seal',
  'arc-message-signature',
  'arc-authentication-results',
]);

/** RFC 5321 mailbox, loosely: one @, no spaces, brackets, quotes or control characters. */
const EMAIL = /^[^\s@<>()",;:\\[\]\x00-\x1f\x7f]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

function checkParticipants(field: string, list: Participant[] | undefined): { name: string; address: string }[] {
  return (list ?? []).map((p, i) => {
    const email = p.email.trim();
    if (!EMAIL.test(email)) throw new ValidationError(`${field}[${i}].email`, 'format', `${field}[${i}].email "${p.email}" is not an email address`);
    const name = p.name ?? '';
    if (/[\x00-\x1f\x7f]/.test(name)) throw new ValidationError(`${field}[${i}].name`, 'control', `${field}[${i}].name must not contain control characters`);
    return { name, address: email };
  });
}

function checkHeaders(headers: SendRequest['customHeaders']): { key: string; value: string }[] {
  return (headers ?? []).map((h, i) => {
    // RFC 5322 §3.6.8: printable US-ASCII except colon.
    if (!/^[\x21-\x39\x3b-\x7e]{1,76}$/.test(h.name)) {
      throw new ValidationError(`custom_headers[${i}].name`, 'format', `custom_headers[${i}].name "${h.name}" is not a header field name`);
    }
    const lower = h.name.toLowerCase();
    if (RESERVED_HEADERS.has(lower) || lower.startsWith('resent-') || lower.startsWith('content-')) {
      throw new ValidationError(
        `custom_headers[${i}].name`,
        'reserved',
        `custom_headers[${i}]: ${h.name} cannot be set as a custom header; use the request's own fields`,
      );
    }
    if (/[\r\n\0]/.test(h.value) || h.value.length > 998) {
      throw new ValidationError(`custom_headers[${i}].value`, 'format', `custom_headers[${i}].value must be one line of at most 998 characters`);
    }
    return { key: h.name, value: h.value };
  });
}

/** `from`: only the display name may differ from the account's; the address is always its own. */
function displayNameOf(account: Account, from: Participant[] | undefined): string | undefined {
  if (!from || from.length === 0) return undefined;
  if (from.length > 1) throw new ValidationError('from', 'one_sender', 'from may name one sender only');
  const sender = from[0]!;
  if (sender.email !== undefined && sender.email !== '' && sender.email.trim().toLowerCase() !== account.email) {
    throw new ValidationError('from', 'not_yours', `from[0].email ${sender.email} is not this grant's address; send as ${account.email} (only from[0].name may be changed)`);
  }
  if (sender.name === undefined || sender.name === '') return undefined;
  const problem = checkDisplayName(sender.name);
  if (problem) throw new ValidationError('from', problem.rule, `from[0].name: ${problem.message}`);
  return sender.name;
}

/** Threading fields for a reply to one of the account's stored messages (RFC 5322 §3.6.4). */
function replyFields(store: Store, account: Account, publicId: string): { inReplyTo?: string; references?: string[]; subject: string } {
  const parent = store.mail.getMessageByPublicId(account.id, publicId);
  if (!parent) throw new NotFoundError(`reply_to_message_id: message ${publicId} not found`);
  const raw = store.mail.readMessage(parent.id) ?? Buffer.alloc(0);
  const { headers } = splitMessage(raw);
  const value = (key: string): string | null => {
    const line = headers.get(key)[0];
    return line === undefined ? null : fieldValue(line);
  };
  const parentId = messageIds(value('message-id'))[0];
  // RFC 5322 §3.6.4: the parent's References (else its single In-Reply-To), then its Message-ID.
  const parentRefs = messageIds(value('references'));
  const parentInReplyTo = messageIds(value('in-reply-to'));
  const references = parentRefs.length > 0 ? parentRefs : parentInReplyTo.length === 1 ? parentInReplyTo : [];
  const chain = [...new Set([...references, ...(parentId ? [parentId] : [])])];
  const subject = parent.subject ?? '';
  return {
    ...(parentId ? { inReplyTo: parentId } : {}),
    ...(chain.length > 0 ? { references: chain.slice(-50) } : {}),
    subject: /^re:/i.test(subject) ? subject : `Re: ${subject}`,
  };
}

export async function composeMessage(
  store: Store,
  pipeline: DeliveryPipeline,
  account: Account,
  request: SendRequest,
  now: Date,
): Promise<ComposedMessage> {
  const displayName = displayNameOf(account, request.from);
  const to = checkParticipants('to', request.to);
  const cc = checkParticipants('cc', request.cc);
  const bcc = checkParticipants('bcc', request.bcc);
  const replyTo = checkParticipants('reply_to', request.replyTo);
  const all = [...to, ...cc, ...bcc];
  if (all.length === 0) throw new ValidationError('to', 'required', 'name at least one recipient in to, cc or bcc');
  if (all.length > MAX_RECIPIENTS) {
    throw new ValidationError('to', 'too_many', `a message may have at most ${MAX_RECIPIENTS} recipients across to, cc and bcc (it has ${all.length})`);
  }
  // As SMTP refuses at RCPT time: an address on one of our domains must be an account.
  for (const r of all) {
    if (pipeline.route(r.address).kind === 'unknown_local') throw new ValidationError('to', 'unknown_recipient', `no account ${r.address} exists here`);
  }
  const headers = checkHeaders(request.customHeaders);
  const reply = request.replyToMessageId === undefined ? undefined : replyFields(store, account, request.replyToMessageId);
  const subject = request.subject ?? reply?.subject ?? '';
  if (/[\r\n\0]/.test(subject)) throw new ValidationError('subject', 'format', 'subject must be one line');

  const attachments = (request.attachments ?? []).map((a, i) => {
    const disposition = (a.contentDisposition ?? 'attachment').toLowerCase();
    if (disposition !== 'attachment' && disposition !== 'inline') {
      throw new ValidationError(`attachments[${i}].content_disposition`, 'format', `attachments[${i}].content_disposition must be attachment or inline`);
    }
    if (/[\r\n\0]/.test(a.filename) || (a.contentId !== undefined && /[\r\n\0<>\s]/.test(a.contentId))) {
      throw new ValidationError(`attachments[${i}]`, 'format', `attachments[${i}]: filename and content_id must be one line (content_id without spaces or angle brackets)`);
    }
    if (a.contentType !== undefined && !/^[\w.+-]+\/[\w.+-]+$/.test(a.contentType)) {
      throw new ValidationError(`attachments[${i}].content_type`, 'format', `attachments[${i}].content_type "${a.contentType}" is not a media type`);
    }
    return {
      filename: a.filename,
      content: a.content,
      ...(a.contentType ? { contentType: a.contentType } : {}),
      ...(a.contentId ? { cid: a.contentId } : {}),
      contentDisposition: disposition,
    };
  });

  const domain = account.email.slice(account.email.indexOf('@') + 1);
  const body = request.body ?? '';
  const composer = new MailComposer({
    from: { name: displayName ?? account.name ?? '', address: account.email },
    to,
    cc,
    bcc,
    ...(replyTo.length > 0 ? { replyTo } : {}),
    subject,
    ...(request.isPlaintext ? { text: body } : { html: body }),
    attachments,
    headers,
    ...(reply?.inReplyTo ? { inReplyTo: reply.inReplyTo } : {}),
    ...(reply?.references ? { references: reply.references } : {}),
    messageId: `<${randomUUID()}@${domain}>`,
    date: now,
    newline: 'win',
    // Content comes only from the request: never from a path or URL it might name.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const node = composer.compile();
  // The Sent copy shows Bcc; the pipeline removes it from every copy that travels.
  node.keepBcc = true;
  const raw = await node.build();
  const seen = new Set<string>();
  const recipients = all
    .filter((r) => (seen.has(r.address.toLowerCase()) ? false : (seen.add(r.address.toLowerCase()), true)))
    .map((r) => ({ address: r.address, dsn: null }));
  return { raw, envelope: { mailFrom: account.email, recipients }, displayName };
}

/** Sends through the pipeline; returns the stored Sent copy. */
export async function sendComposed(store: Store, pipeline: DeliveryPipeline, account: Account, composed: ComposedMessage, peer: PeerInfo): Promise<MessageRecord> {
  const result = await pipeline.deliver(
    { kind: 'submission', account, peer, ...(composed.displayName !== undefined ? { displayName: composed.displayName } : {}) },
    composed.envelope,
    composed.raw,
  );
  const sent = result.stored.find((s) => s.accountId === account.id && s.folder === 'Sent');
  const folder = sent && store.mail.getMailbox(account.id, sent.folder);
  const record = folder && store.mail.getMessages(folder.id, [sent.uid])[0];
  if (!record) throw new Error('the Sent copy of a message just sent is missing');
  return record;
}
