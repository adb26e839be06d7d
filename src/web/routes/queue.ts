// The outbound queue, as far as this application's mail is concerned: one entry per remote
// recipient not yet delivered, with status, attempts, next attempt and the last answer of the
// remote server; retry (due now, and held mail released to the relay) and delete. The queue is
// the installation's, but each entry names the application whose account sent it, and only
// those entries are shown or touched here; another application's entry is "not found".
import { NotFoundError } from '../../errors.js';
import type { QueueEntry } from '../../store/types.js';
import { appPath, type Page, redirect, type WebRequest, get, post } from '../context.js';
import { actionButton, type FieldErrors, formError } from '../forms.js';
import { html, type Html } from '../html.js';
import { recordChange } from './activity.js';
import { errorsFor, statusOf } from './form-input.js';
import { when } from './page-parts.js';

const queuePath = (w: WebRequest, rest = ''): string => appPath(w.application!, `/queue${rest}`);

const STATUS_NOTE: Record<QueueEntry['status'], string> = {
  queued: 'waiting for its next attempt',
  held: 'held: no relay is configured',
  sending: 'being sent now',
  delivered: 'delivered',
  failed: 'failed for good (a bounce went to the sender)',
};

function entryRow(w: WebRequest, e: QueueEntry): Html {
  const path = queuePath(w, `/${encodeURIComponent(e.id)}`);
  const badge = e.status === 'failed' ? 'badge bad' : e.status === 'delivered' ? 'badge ok' : 'badge';
  return html`<tr id="entry-${e.id}">
<td><span class="${badge}">${e.status}</span><p class="hint">${STATUS_NOTE[e.status]}</p></td>
<td>${e.rcptTo}<p class="hint">from ${e.mailFrom}</p></td>
<td>${e.attempts}</td>
<td>${e.status === 'queued' ? when(e.nextAttemptAt, '—') : '—'}</td>
<td>${e.lastError ?? '—'}</td>
<td>${e.status === 'sending' ? '' : actionButton(w, `${path}/retry`, 'Retry now')}
${actionButton(w, `${path}/delete`, 'Delete', { danger: true, confirm: `Delete the entry to ${e.rcptTo}? The message is not sent to that recipient.` })}</td>
</tr>`;
}

/** The application's entries not yet delivered. */
const entriesOf = (w: WebRequest): QueueEntry[] => w.services.queue.list().filter((e) => e.applicationId === w.application!.id);

function queuePage(w: WebRequest, errors: FieldErrors = {}, status = 200): Page {
  const entries = entriesOf(w);
  const relay = w.deps.config.relay.mode;
  return {
    title: 'Outbound queue',
    section: 'queue',
    status,
    body: html`<h1>Outbound queue</h1>
<p>Mail from this application's accounts to remote addresses, until it is delivered. The queue is shared by the installation; only this application's entries are listed here.</p>
${
  relay === 'none'
    ? html`<p class="notice">The relay is off (<code>WICKET_RELAY=none</code>): mail to remote addresses is held here until a relay is configured.</p>`
    : html`<p>Relay: ${relay}.</p>`
}
${formError(errors)}
${
  entries.length === 0
    ? html`<p>Nothing is waiting.</p>`
    : html`<table class="list">
<thead><tr><th scope="col">Status</th><th scope="col">Recipient</th><th scope="col">Attempts</th><th scope="col">Next attempt</th><th scope="col">Last error</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
${entries.map((e) => entryRow(w, e))}
</tbody>
</table>`
}`,
  };
}

/** An entry of this application, or "not found" (whatever another application holds). */
function entryOf(w: WebRequest): QueueEntry {
  const entry = w.services.queue.get(w.params.id!);
  if (!entry || entry.applicationId !== w.application!.id) throw new NotFoundError(`queue entry ${w.params.id} not found`);
  return entry;
}

async function retry(w: WebRequest) {
  const entry = entryOf(w);
  try {
    w.services.queue.retry(entry.id);
  } catch (err) {
    return queuePage(w, errorsFor(err, {}), statusOf(err));
  }
  recordChange(w, 'queue.retried', { type: 'queue_entry', id: entry.id, detail: { to: entry.rcptTo, application_id: entry.applicationId } });
  w.flash(`The entry to ${entry.rcptTo} is due now; the queue sends it within seconds.`);
  return redirect(queuePath(w));
}

async function remove(w: WebRequest) {
  const entry = entryOf(w);
  w.services.queue.remove(entry.id);
  recordChange(w, 'queue.deleted', { type: 'queue_entry', id: entry.id, detail: { to: entry.rcptTo, application_id: entry.applicationId } });
  w.flash(`The entry to ${entry.rcptTo} is deleted; the message is not sent to that recipient.`);
  return redirect(queuePath(w));
}

export const QUEUE_ROUTES = [
  get('/dashboard/apps/:app/queue', 'member', (w) => queuePage(w)),
  post('/dashboard/apps/:app/queue/:id/retry', 'member', retry),
  post('/dashboard/apps/:app/queue/:id/delete', 'member', remove),
];
