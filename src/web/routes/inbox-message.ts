// One message: its headers, its text, its HTML in a sandboxed frame (message-html.ts serves the
// frame's document under its own strict CSP), its attachments as downloads, and the actions —
// read/unread, star, move, delete. Every change goes through the same service functions as the
// REST API (messages/update.ts), i.e. the store calls IMAP uses, so the change bus tells open
// IMAP sessions at once. Opening a message marks it \Seen, as a mail client does.
import { NotFoundError, ValidationError } from '../../errors.js';
import { readMessage } from '../../mail/parts.js';
import { deleteMessage, updateMessage } from '../../messages/update.js';
import type { Account, Folder, MessageRecord } from '../../store/types.js';
import { type Outcome, type Page, redirect, SENT, type WebRequest, get, post } from '../context.js';
import { actionButton, csrfField } from '../forms.js';
import { html, type Html } from '../html.js';
import { messageHtmlDocument, sendAttachment, sendMessageHtml } from '../message-html.js';
import { accountOf, orderedFolders } from './accounts.js';
import { folderOf, formatSize, formatTime, mailPath, messageOf, type Participant, summaryOf, withQuery } from './inbox-common.js';
import { recordChange } from './activity.js';

const PART_PATH = /^\d{1,4}(?:\.\d{1,4}){0,50}$/;

const messagePath = (w: WebRequest, account: Account, record: MessageRecord, rest = ''): string =>
  mailPath(w.application!, account, `/${encodeURIComponent(record.publicId)}${rest}`);

const folderPath = (w: WebRequest, account: Account, folderId: number): string => withQuery(mailPath(w.application!, account), { folder: folderId });

const people = (list: Participant[]): Html =>
  html`${list.map((p, i) => html`${i > 0 ? ', ' : ''}${p.name ? html`${p.name} &lt;${p.email}&gt;` : p.email}`)}`;

function folderById(w: WebRequest, account: Account, id: number): Folder {
  return folderOf(w, account, String(id));
}

function actions(w: WebRequest, account: Account, record: MessageRecord, folder: Folder, unread: boolean, starred: boolean): Html {
  const targets = orderedFolders(w.services.store.mail.listMailboxes(account.id)).filter((f) => !f.noselect && f.id !== folder.id);
  const inTrash = folder.specialUse === '\\Trash';
  return html`<div class="actions row">
${actionButton(w, messagePath(w, account, record, '/flags'), unread ? 'Mark read' : 'Mark unread', { fields: { action: unread ? 'read' : 'unread' } })}
${actionButton(w, messagePath(w, account, record, '/flags'), starred ? 'Unstar' : 'Star', { fields: { action: starred ? 'unstar' : 'star' } })}
<form method="post" action="${messagePath(w, account, record, '/move')}" class="inline">
${csrfField(w)}
<label for="move-folder">Move to</label>
<select id="move-folder" name="folder">${targets.map((f) => html`<option value="${f.id}">${f.name}</option>`)}</select>
<button type="submit" class="secondary">Move</button>
</form>
${actionButton(w, messagePath(w, account, record, '/delete'), inTrash ? 'Delete for good' : 'Delete', {
  danger: true,
  ...(inTrash ? { confirm: 'Delete this message for good? It is already in Trash.' } : {}),
})}
</div>`;
}

function messagePage(w: WebRequest): Page {
  const account = accountOf(w);
  let record = messageOf(w, account);
  if (!record.flags.includes('\\Seen')) record = updateMessage(w.services.store, account, record.publicId, { unread: false });
  const folder = folderById(w, account, record.folderId);
  const m = summaryOf(w, record, true);
  const raw = w.services.store.mail.readMessage(record.id) ?? Buffer.alloc(0);
  const readable = readMessage(raw);
  const remote = w.query.remote === '1';
  const dateHeader = m.headers?.find((h) => h.name.toLowerCase() === 'date')?.value;
  const subject = m.subject.trim() === '' ? '(no subject)' : m.subject;
  const attachments = m.attachments.filter((a) => !a.is_inline || !readable.html);
  const frame = readable.html
    ? html`<p class="hint">${
        remote
          ? html`Remote content is shown. <a href="${messagePath(w, account, record)}">Block it again</a>`
          : html`Remote images are blocked, so the sender cannot see that or where you read this. <a href="${withQuery(messagePath(w, account, record), { remote: 1 })}">Load remote content</a>`
      }</p>
<iframe sandbox="" src="${withQuery(messagePath(w, account, record, '/html'), { remote: remote ? 1 : undefined })}" class="message-html" title="Message content (HTML)" referrerpolicy="no-referrer"></iframe>
${readable.text ? html`<details><summary>Plain text version</summary><pre class="message-text">${readable.text}</pre></details>` : ''}`
    : html`<pre class="message-text">${readable.text}</pre>`;
  return {
    title: subject,
    section: 'accounts',
    body: html`<p><a href="${folderPath(w, account, folder.id)}">← ${folder.name}</a> · ${account.email}</p>
<h1>${subject}</h1>
<dl class="facts">
<dt>From</dt><dd>${people(m.from)}</dd>
<dt>To</dt><dd>${people(m.to)}</dd>
${m.cc.length ? html`<dt>Cc</dt><dd>${people(m.cc)}</dd>` : ''}
<dt>Date</dt><dd>${dateHeader ?? formatTime(record.internalDate)}</dd>
<dt>Received</dt><dd><time datetime="${new Date(record.internalDate).toISOString()}">${formatTime(record.internalDate)}</time></dd>
<dt>Subject</dt><dd>${m.subject}</dd>
<dt>Folder</dt><dd>${folder.name}${m.starred ? html` <span class="badge">★ starred</span>` : ''}</dd>
</dl>
${actions(w, account, record, folder, m.unread, m.starred)}
<h2 class="sr-only">Message</h2>
${frame}
${
  attachments.length
    ? html`<h2>Attachments</h2>
<ul class="attachments">${attachments.map((a) => {
        const path = a.id.slice(a.id.lastIndexOf('_') + 1);
        return html`<li><a href="${messagePath(w, account, record, `/attachments/${path}`)}" download>${a.filename || `part ${path}`}</a> <span class="hint">${a.content_type}, ${formatSize(a.size)}</span></li>`;
      })}</ul>`
    : ''
}
<p><a href="${folderPath(w, account, folder.id)}">Back to ${folder.name}</a></p>`,
  };
}

/** The HTML part alone, for the sandboxed frame. */
function messageHtml(w: WebRequest): typeof SENT {
  const account = accountOf(w);
  const record = messageOf(w, account);
  const raw = w.services.store.mail.readMessage(record.id) ?? Buffer.alloc(0);
  const readable = readMessage(raw);
  if (readable.html === null) throw new NotFoundError('this message has no HTML part');
  sendMessageHtml(w.reply, messageHtmlDocument(readable.html, raw, readable.attachments), w.query.remote === '1');
  return SENT;
}

function attachment(w: WebRequest): typeof SENT {
  const account = accountOf(w);
  const record = messageOf(w, account);
  const path = w.params.part ?? '';
  const raw = w.services.store.mail.readMessage(record.id);
  const part = raw && PART_PATH.test(path) ? readMessage(raw).attachments.find((a) => a.path === path) : undefined;
  if (!raw || !part) throw new NotFoundError(`attachment ${path} not found`);
  sendAttachment(w.reply, raw, part);
  return SENT;
}

const FLAG_ACTIONS = {
  read: { patch: { unread: false }, done: 'Marked read.' },
  unread: { patch: { unread: true }, done: 'Marked unread.' },
  star: { patch: { starred: true }, done: 'Starred.' },
  unstar: { patch: { starred: false }, done: 'Star removed.' },
} as const;

function setFlags(w: WebRequest): Outcome {
  const account = accountOf(w);
  const record = messageOf(w, account);
  const action = w.form.get('action') ?? '';
  const chosen = Object.hasOwn(FLAG_ACTIONS, action) ? FLAG_ACTIONS[action as keyof typeof FLAG_ACTIONS] : undefined;
  if (!chosen) throw new ValidationError('action', 'unknown', 'choose read, unread, star or unstar');
  updateMessage(w.services.store, account, record.publicId, chosen.patch);
  recordChange(w, 'message.updated', { type: 'message', id: record.publicId, detail: { account: account.email, action } });
  w.flash(chosen.done);
  // Back to the message, except after "unread": opening it again would mark it read.
  return redirect(action === 'unread' ? folderPath(w, account, record.folderId) : messagePath(w, account, record));
}

function move(w: WebRequest): Outcome {
  const account = accountOf(w);
  const record = messageOf(w, account);
  const target = folderOf(w, account, w.form.get('folder') ?? '');
  updateMessage(w.services.store, account, record.publicId, { folders: [String(target.id)] });
  recordChange(w, 'message.moved', { type: 'message', id: record.publicId, detail: { account: account.email, folder: target.name } });
  w.flash(`Moved to ${target.name}.`);
  return redirect(folderPath(w, account, record.folderId));
}

function remove(w: WebRequest): Outcome {
  const account = accountOf(w);
  const record = messageOf(w, account);
  const inTrash = folderById(w, account, record.folderId).specialUse === '\\Trash';
  deleteMessage(w.services.store, account, record.publicId);
  recordChange(w, 'message.deleted', { type: 'message', id: record.publicId, detail: { account: account.email, permanently: inTrash } });
  w.flash(inTrash ? 'Message deleted for good.' : 'Message moved to Trash.');
  return redirect(folderPath(w, account, record.folderId));
}

const MESSAGE = '/dashboard/apps/:app/accounts/:account/mail/:message';

export const MESSAGE_ROUTES = [
  get(MESSAGE, 'member', messagePage),
  get(`${MESSAGE}/html`, 'member', messageHtml),
  get(`${MESSAGE}/attachments/:part`, 'member', attachment),
  post(`${MESSAGE}/flags`, 'member', setFlags),
  post(`${MESSAGE}/move`, 'member', move),
  post(`${MESSAGE}/delete`, 'member', remove),
];
