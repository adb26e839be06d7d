// Webhooks of the application: the list with each one's status (active, failing, failed,
// paused), create — the service challenges the endpoint first and its message says why an
// endpoint failed — the signing secret shown once after create and after rotation, edit,
// pause and resume, a test event, delete, and the recent deliveries with their attempts.
import { WEBHOOK_TRIGGERS, type Webhook, type WebhookDelivery } from '../../store/types.js';
import { appPath, type Page, redirect, type WebRequest, get, post } from '../context.js';
import { actionButton, csrfField, field, type FieldErrors, formError } from '../forms.js';
import { attr, html, type Html } from '../html.js';
import { recordChange } from './activity.js';
import { errorsFor, statusOf } from './form-input.js';
import { secretBox, secretPage, when } from './page-parts.js';

interface WebhookForm {
  url: string;
  description: string;
  triggers: string[];
  emails: string;
}

const FIELDS = {
  webhook_url: 'webhook_url',
  trigger_types: 'trigger_types',
  description: 'description',
  notification_email_addresses: 'notification_email_addresses',
};

const hooksPath = (w: WebRequest, rest = ''): string => appPath(w.application!, `/webhooks${rest}`);
const hookPath = (w: WebRequest, h: Webhook, rest = ''): string => hooksPath(w, `/${encodeURIComponent(h.id)}${rest}`);

const STATUS: Record<Webhook['status'], Html> = {
  active: html`<span class="badge ok">active</span>`,
  failing: html`<span class="badge bad">failing</span>`,
  failed: html`<span class="badge bad">failed</span>`,
  pause: html`<span class="badge">paused</span>`,
};

const STATUS_NOTE: Record<Webhook['status'], string> = {
  active: 'Events are delivered as they happen.',
  failing: 'The last delivery attempt failed; Wicket keeps retrying.',
  failed: 'Wicket gave up on a delivery after its retries; later events are still tried.',
  pause: 'Paused: events are kept and delivered when you resume.',
};

const readForm = (w: WebRequest): WebhookForm => ({
  url: (w.form.get('webhook_url') ?? '').trim(),
  description: w.form.get('description') ?? '',
  triggers: w.form.getAll('trigger_types'),
  emails: w.form.get('notification_email_addresses') ?? '',
});

const fromWebhook = (h: Webhook): WebhookForm => ({
  url: h.url,
  description: h.description ?? '',
  triggers: h.triggerTypes,
  emails: h.notificationEmails.join(', '),
});

const emailList = (text: string): string[] => text.split(/[\s,;]+/).filter((e) => e !== '');

function triggerChoices(chosen: string[], error: string | undefined): Html {
  return html`<fieldset class="field${error ? ' has-error' : ''}"${error ? html` aria-describedby="f-trigger_types-error"` : ''}>
<legend>Events</legend>
${WEBHOOK_TRIGGERS.map(
  (t) => html`<div class="checkbox"><input type="checkbox" id="f-trigger-${t.replace('.', '-')}" name="trigger_types" value="${t}"${attr('checked', chosen.includes(t))}> <label for="f-trigger-${t.replace('.', '-')}">${t}</label></div>`,
)}
${error ? html`<p class="field-error" id="f-trigger_types-error">${error}</p>` : ''}
</fieldset>`;
}

function formFields(form: WebhookForm, errors: FieldErrors): Html {
  return html`${field('Endpoint URL', 'webhook_url', {
    type: 'url',
    value: form.url,
    required: true,
    error: errors.webhook_url,
    placeholder: 'https://example.com/webhooks/wicket',
    hint: 'Wicket checks it first: GET <url>?challenge=<value> must answer 200 with the value as the body.',
  })}
${field('Description', 'description', { value: form.description, error: errors.description, hint: 'Optional.' })}
${triggerChoices(form.triggers, errors.trigger_types)}
${field('Notification emails', 'notification_email_addresses', {
  value: form.emails,
  error: errors.notification_email_addresses,
  hint: 'Optional; addresses separated by commas.',
})}`;
}

function listPage(w: WebRequest): Page {
  const app = w.application!;
  const hooks = w.services.webhooks.list(app.id);
  const pending = w.services.webhooks.pending(app.id);
  return {
    title: 'Webhooks',
    section: 'webhooks',
    body: html`<h1>Webhooks</h1>
<p>A webhook tells your endpoint about events in this application, signed with its secret. <a class="button" href="${hooksPath(w, '/new')}">New webhook</a></p>
${
  hooks.length === 0
    ? html`<p>No webhook yet.</p>`
    : html`<table class="list">
<thead><tr><th scope="col">Endpoint</th><th scope="col">Status</th><th scope="col">Events</th><th scope="col">Pending</th><th scope="col">Created</th></tr></thead>
<tbody>
${hooks.map(
  (h) => html`<tr>
<td><a href="${hookPath(w, h)}">${h.url}</a>${h.description ? html`<p class="hint">${h.description}</p>` : ''}</td>
<td>${STATUS[h.status]}</td>
<td>${h.triggerTypes.join(', ')}</td>
<td>${pending.get(h.id) ?? 0}</td>
<td>${when(h.createdAt)}</td>
</tr>`,
)}
</tbody>
</table>`
}`,
  };
}

function newPage(w: WebRequest, form: WebhookForm, errors: FieldErrors = {}, status = 200): Page {
  return {
    title: 'New webhook',
    section: 'webhooks',
    status,
    body: html`<p><a href="${hooksPath(w)}">← Webhooks</a></p>
<h1>New webhook</h1>
${formError(errors)}
<form method="post" action="${hooksPath(w)}">
${csrfField(w)}
${formFields(form, errors)}
<button type="submit">Create webhook</button>
</form>`,
  };
}

function deliveryRow(d: WebhookDelivery): Html {
  const badge = d.status === 'delivered' ? 'badge ok' : d.status === 'failed' ? 'badge bad' : 'badge';
  return html`<tr>
<td>${when(d.time)}</td>
<td>${d.type}</td>
<td><span class="${badge}">${d.status}</span></td>
<td>${d.attempts}</td>
<td>${d.status === 'pending' && d.nextAttemptAt !== null ? when(Math.floor(d.nextAttemptAt / 1000)) : '—'}</td>
<td>${d.lastError ?? '—'}</td>
</tr>`;
}

function webhookPage(w: WebRequest, h: Webhook, form: WebhookForm, errors: FieldErrors = {}, status = 200): Page {
  const deliveries = w.services.webhooks.recentDeliveries(h.applicationId, h.id);
  return {
    title: 'Webhook',
    section: 'webhooks',
    status,
    body: html`<p><a href="${hooksPath(w)}">← Webhooks</a></p>
<h1>Webhook ${STATUS[h.status]}</h1>
<p>${STATUS_NOTE[h.status]}</p>
<dl class="facts">
<dt>Endpoint</dt><dd><code>${h.url}</code></dd>
<dt>Id</dt><dd><code>${h.id}</code></dd>
<dt>Status since</dt><dd>${when(h.statusUpdatedAt)}</dd>
<dt>Created</dt><dd>${when(h.createdAt)}</dd>
</dl>
<p>
${
  h.status === 'pause'
    ? actionButton(w, hookPath(w, h, '/resume'), 'Resume')
    : actionButton(w, hookPath(w, h, '/pause'), 'Pause')
}
${actionButton(w, hookPath(w, h, '/test'), 'Send a test event')}
${actionButton(w, hookPath(w, h, '/rotate'), 'Rotate secret', { confirm: 'Make a new signing secret? Deliveries from now on are signed with the new one only.' })}
</p>
<h2>Recent deliveries</h2>
${
  deliveries.length === 0
    ? html`<p>No delivery yet.</p>`
    : html`<table class="list">
<thead><tr><th scope="col">Event time</th><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Next attempt</th><th scope="col">Last error</th></tr></thead>
<tbody>
${deliveries.map(deliveryRow)}
</tbody>
</table>`
}
<h2>Settings</h2>
${formError(errors)}
<form method="post" action="${hookPath(w, h)}">
${csrfField(w)}
${formFields(form, errors)}
<button type="submit">Save</button>
</form>
<h2>Delete</h2>
${actionButton(w, hookPath(w, h, '/delete'), 'Delete webhook', { danger: true, confirm: 'Delete this webhook? Its pending deliveries are dropped.' })}`,
  };
}

/** The page right after create or rotation: the only time the secret is shown. */
function secretShown(w: WebRequest, h: Webhook, heading: string): Page {
  secretPage(w);
  return {
    title: heading,
    section: 'webhooks',
    body: html`<h1>${heading}</h1>
<p>Endpoint <code>${h.url}</code></p>
${secretBox('webhook-secret', 'Signing secret', h.secret, 'Copy it now: it is not shown again. Your endpoint checks the X-Nylas-Signature header (HMAC-SHA256 of the raw body) with it.')}
<p><a class="button" href="${hookPath(w, h)}">Go to the webhook</a></p>`,
  };
}

async function create(w: WebRequest) {
  const app = w.application!;
  const form = readForm(w);
  try {
    const h = await w.services.webhooks.create(app.id, {
      url: form.url,
      triggerTypes: form.triggers,
      description: form.description,
      notificationEmails: emailList(form.emails),
    });
    recordChange(w, 'webhook.created', { type: 'webhook', id: h.id, detail: { url_origin: new URL(h.url).origin, trigger_types: h.triggerTypes, application_id: app.id } });
    return secretShown(w, h, 'Webhook created');
  } catch (err) {
    return newPage(w, form, errorsFor(err, FIELDS), statusOf(err));
  }
}

async function update(w: WebRequest) {
  const app = w.application!;
  const h = w.services.webhooks.get(app.id, w.params.id!);
  const form = readForm(w);
  try {
    const after = await w.services.webhooks.update(app.id, h.id, {
      url: form.url,
      triggerTypes: form.triggers,
      description: form.description,
      notificationEmails: emailList(form.emails),
    });
    recordChange(w, 'webhook.updated', { type: 'webhook', id: h.id, detail: { url_origin: new URL(after.url).origin, trigger_types: after.triggerTypes, application_id: app.id } });
    w.flash('Webhook saved.');
    return redirect(hookPath(w, h));
  } catch (err) {
    return webhookPage(w, h, form, errorsFor(err, FIELDS), statusOf(err));
  }
}

const setStatus = (status: 'active' | 'pause') => async (w: WebRequest) => {
  const app = w.application!;
  const h = await w.services.webhooks.update(app.id, w.params.id!, { status });
  recordChange(w, status === 'pause' ? 'webhook.paused' : 'webhook.resumed', { type: 'webhook', id: h.id, detail: { application_id: app.id } });
  w.flash(status === 'pause' ? 'Webhook paused.' : 'Webhook resumed.');
  return redirect(hookPath(w, h));
};

async function rotate(w: WebRequest) {
  const app = w.application!;
  const h = w.services.webhooks.rotateSecret(app.id, w.params.id!);
  recordChange(w, 'webhook.secret_rotated', { type: 'webhook', id: h.id, detail: { application_id: app.id } });
  return secretShown(w, h, 'New signing secret');
}

async function test(w: WebRequest) {
  const app = w.application!;
  const { webhook, outcome } = await w.services.webhooks.test(app.id, w.params.id!);
  recordChange(w, 'webhook.tested', { type: 'webhook', id: webhook.id, detail: { ok: outcome.ok, application_id: app.id } });
  w.flash(outcome.ok ? `Test event delivered (the endpoint answered ${outcome.status}).` : `Test event not delivered: ${outcome.error}`);
  return redirect(hookPath(w, webhook));
}

async function remove(w: WebRequest) {
  const app = w.application!;
  const h = w.services.webhooks.get(app.id, w.params.id!);
  w.services.webhooks.delete(app.id, h.id);
  recordChange(w, 'webhook.deleted', { type: 'webhook', id: h.id, detail: { url_origin: new URL(h.url).origin, application_id: app.id } });
  w.flash('Webhook deleted.');
  return redirect(hooksPath(w));
}

export const WEBHOOK_ROUTES = [
  get('/dashboard/apps/:app/webhooks', 'member', listPage),
  get('/dashboard/apps/:app/webhooks/new', 'member', (w) => newPage(w, { url: '', description: '', triggers: ['message.created'], emails: '' })),
  post('/dashboard/apps/:app/webhooks', 'member', create),
  get('/dashboard/apps/:app/webhooks/:id', 'member', (w) => {
    const h = w.services.webhooks.get(w.application!.id, w.params.id!);
    return webhookPage(w, h, fromWebhook(h));
  }),
  post('/dashboard/apps/:app/webhooks/:id', 'member', update),
  post('/dashboard/apps/:app/webhooks/:id/pause', 'member', setStatus('pause')),
  post('/dashboard/apps/:app/webhooks/:id/resume', 'member', setStatus('active')),
  post('/dashboard/apps/:app/webhooks/:id/rotate', 'member', rotate),
  post('/dashboard/apps/:app/webhooks/:id/test', 'member', test),
  post('/dashboard/apps/:app/webhooks/:id/delete', 'member', remove),
];
