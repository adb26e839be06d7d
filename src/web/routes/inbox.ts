// The inbox viewer's list: an account's folders with their unread counts and one folder's
// messages, newest first, a page at a time (the API's listMessages and its cursor). The list
// sits in a live region: app.js listens to the account's change stream (inbox-live.ts) and
// reloads the region from the fragment route, so new mail appears without a reload.
// The message view and its actions are in inbox-message.ts.
import { listMessages } from '../../messages/list.js';
import type { Account, Folder } from '../../store/types.js';
import { type Page, SENT, type WebRequest, get } from '../context.js';
import { html, type Html } from '../html.js';
import { accountOf, accountPath, orderedFolders } from './accounts.js';
import { displayName, folderOf, formatTime, mailPath, summaryOf, withQuery } from './inbox-common.js';
import { LIVE_ROUTES } from './inbox-live.js';
import { MESSAGE_ROUTES } from './inbox-message.js';

const PAGE_SIZE = 50;

function folderNav(w: WebRequest, account: Account, current: Folder): Html {
  const app = w.application!;
  const { store } = w.services;
  return html`<nav aria-label="Folders" class="folders"><ul>${orderedFolders(store.mail.listMailboxes(account.id))
    .filter((f) => !f.noselect)
    .map((f) => {
      const unseen = store.mail.mailboxStatus(f.id).unseen;
      return html`<li><a href="${withQuery(mailPath(app, account), { folder: f.id })}"${f.id === current.id ? html` aria-current="page"` : ''}>${f.name}${
        unseen > 0 ? html` <span class="badge">${unseen}<span class="sr-only"> unread</span></span>` : ''
      }</a></li>`;
    })}</ul></nav>`;
}

/** Folders, the message table and the pager: what the live region holds. */
function mailRegion(w: WebRequest, account: Account, folder: Folder): Html {
  const app = w.application!;
  const cursor = w.query.cursor || undefined;
  const page = listMessages(w.services.store, account.id, { folderIds: [folder.id] }, cursor, PAGE_SIZE);
  const rows = page.messages.map((record) => {
    const m = summaryOf(w, record);
    const from = m.from[0];
    const attachments = m.attachments.some((a) => !a.is_inline);
    return html`<tr${m.unread ? html` class="unread"` : ''}>
<td class="marks">${m.unread ? html`<span aria-hidden="true">●</span><span class="sr-only">Unread</span>` : ''}${
      m.starred ? html`<span aria-hidden="true">★</span><span class="sr-only">Starred</span>` : ''
    }${attachments ? html`<span aria-hidden="true">📎</span><span class="sr-only">Has attachments</span>` : ''}</td>
<td>${from ? html`<span title="${from.email}">${displayName(from)}</span>` : html`<span class="hint">(no sender)</span>`}</td>
<td><a href="${mailPath(app, account, `/${encodeURIComponent(m.id)}`)}">${m.subject.trim() === '' ? '(no subject)' : m.subject}</a></td>
<td><time datetime="${new Date(record.internalDate).toISOString()}">${formatTime(record.internalDate)}</time></td>
</tr>`;
  });
  return html`${folderNav(w, account, folder)}
<h2 id="list-heading">${folder.name}</h2>
${
  rows.length === 0
    ? html`<p>${cursor ? 'No older messages.' : 'No messages in this folder.'}</p>`
    : html`<table class="list messages" aria-labelledby="list-heading">
<thead><tr><th scope="col"><span class="sr-only">Status</span></th><th scope="col">From</th><th scope="col">Subject</th><th scope="col">Received</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}
${
  cursor || page.nextCursor
    ? html`<nav class="pager" aria-label="Pages">
${cursor ? html`<a href="${withQuery(mailPath(app, account), { folder: folder.id })}">← Newest</a>` : ''}
${page.nextCursor ? html`<a href="${withQuery(mailPath(app, account), { folder: folder.id, cursor: page.nextCursor })}" rel="next">Older messages →</a>` : ''}
</nav>`
    : ''
}`;
}

function mailPage(w: WebRequest): Page {
  const app = w.application!;
  const account = accountOf(w);
  const folder = folderOf(w, account);
  const live = withQuery(mailPath(app, account, '/events'), { folder: folder.id });
  const refresh = withQuery(mailPath(app, account, '/list-fragment'), { folder: folder.id, cursor: w.query.cursor });
  return {
    title: `${folder.name} · ${account.email}`,
    section: 'accounts',
    body: html`<h1>Mail of ${account.email}</h1>
<p><a href="${accountPath(app, account)}">← Account</a></p>
<div data-live="${live}" data-live-refresh="${refresh}">
${mailRegion(w, account, folder)}
</div>`,
  };
}

/** Just the live region's content, for app.js to swap in after a change. */
function listFragment(w: WebRequest): typeof SENT {
  const account = accountOf(w);
  const region = mailRegion(w, account, folderOf(w, account));
  void w.reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(region.text);
  return SENT;
}

export const INBOX_ROUTES = [
  get('/dashboard/apps/:app/accounts/:account/mail', 'member', mailPage),
  get('/dashboard/apps/:app/accounts/:account/mail/list-fragment', 'member', listFragment),
  ...LIVE_ROUTES,
  ...MESSAGE_ROUTES,
];
