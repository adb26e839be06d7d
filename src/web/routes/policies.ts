// Policies of the application: limits and spam settings that workspaces attach. Each limit is
// a field named by its JSON path (`limits.limit_storage_total`), so the service's message lands
// next to the field it names; an empty field is the installation's default. A policy a
// workspace still uses cannot be deleted (409, with the service's message).
import type { Policy, PolicyLimits } from '../../policy/types.js';
import { appPath, type Page, redirect, type WebRequest, get, post } from '../context.js';
import { actionButton, checkbox, csrfField, field, type FieldErrors, formError } from '../forms.js';
import { html, type Html } from '../html.js';
import { recordChange } from './activity.js';
import { errorsFor, numberOrText, statusOf } from './form-input.js';

/** The limits in the order the form shows them, with what a person types. */
const LIMITS: { key: keyof PolicyLimits; label: string; unit: string }[] = [
  { key: 'limit_attachment_size_limit', label: 'Largest attachment', unit: 'bytes' },
  { key: 'limit_attachment_count_limit', label: 'Attachments per message', unit: 'count' },
  { key: 'limit_attachment_allowed_types', label: 'Allowed attachment types', unit: 'types' },
  { key: 'limit_size_total_mime', label: 'Largest message', unit: 'bytes' },
  { key: 'limit_storage_total', label: 'Storage per account', unit: 'bytes' },
  { key: 'limit_count_daily_message_received', label: 'Messages received per day', unit: 'count' },
  { key: 'limit_count_daily_email_sent', label: 'Messages sent per day', unit: 'count' },
  { key: 'limit_inbox_retention_period', label: 'Inbox retention', unit: 'days' },
  { key: 'limit_spam_retention_period', label: 'Junk retention', unit: 'days' },
];

/** Every service field path a text field of the form shows (a path into allowed types goes to that field). */
const FIELDS: Record<string, string> = Object.fromEntries([
  ['name', 'name'],
  ...LIMITS.map((l) => [`limits.${l.key}`, `limits.${l.key}`]),
  ['spam_detection.spam_sensitivity', 'spam_detection.spam_sensitivity'],
]);

const policyPath = (w: WebRequest, rest = ''): string => appPath(w.application!, `/policies${rest}`);

/** The form's values as typed (strings), to show again after an error. */
type PolicyForm = Record<string, string>;

function fromPolicy(p: Policy): PolicyForm {
  const form: PolicyForm = { name: p.name };
  for (const { key } of LIMITS) {
    const value = p.limits[key];
    form[`limits.${key}`] = value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value);
  }
  form['spam_detection.use_list_dnsbl'] = p.spamDetection.use_list_dnsbl ? 'on' : '';
  form['spam_detection.use_header_anomaly_detection'] = p.spamDetection.use_header_anomaly_detection ? 'on' : '';
  form['spam_detection.spam_sensitivity'] = String(p.spamDetection.spam_sensitivity ?? 1);
  return form;
}

const EMPTY: PolicyForm = { 'spam_detection.spam_sensitivity': '1' };

const readForm = (w: WebRequest): PolicyForm => Object.fromEntries([...w.form.entries()].filter(([k]) => k !== '_csrf'));

/**
 * The API body for the service. On create an empty limit is left out (the installation
 * default); on update it is sent as null, which returns the limit to the default.
 */
function policyBody(form: PolicyForm, mode: 'create' | 'update'): Record<string, unknown> {
  const limits: Record<string, unknown> = {};
  for (const { key } of LIMITS) {
    const raw = (form[`limits.${key}`] ?? '').trim();
    if (raw === '') {
      if (mode === 'update') limits[key] = null;
      continue;
    }
    limits[key] =
      key === 'limit_attachment_allowed_types'
        ? raw.split(/[\s,]+/).filter((t) => t !== '')
        : numberOrText(raw);
  }
  const sensitivity = numberOrText(form['spam_detection.spam_sensitivity'] ?? '');
  return {
    name: form.name ?? '',
    limits,
    spam_detection: {
      use_list_dnsbl: form['spam_detection.use_list_dnsbl'] === 'on',
      use_header_anomaly_detection: form['spam_detection.use_header_anomaly_detection'] === 'on',
      ...(sensitivity !== undefined ? { spam_sensitivity: sensitivity } : {}),
    },
  };
}

const UNIT_HINT: Record<string, string> = {
  bytes: 'Bytes; -1 for unlimited; empty for the installation default.',
  count: 'A whole number; -1 for unlimited; empty for the installation default.',
  days: 'Days; -1 for unlimited; empty for the installation default. Junk retention must be below inbox retention.',
  types: 'MIME types separated by commas or spaces, such as application/pdf, image/*; empty for the installation default.',
};

function formFields(form: PolicyForm, errors: FieldErrors): Html {
  return html`${field('Name', 'name', { value: form.name, required: true, error: errors.name })}
<fieldset>
<legend>Limits</legend>
${LIMITS.map((l) =>
  field(l.label, `limits.${l.key}`, {
    value: form[`limits.${l.key}`],
    error: errors[`limits.${l.key}`],
    hint: UNIT_HINT[l.unit],
    ...(l.unit === 'types' ? {} : { inputmode: 'numeric' }),
  }),
)}
</fieldset>
<fieldset>
<legend>Spam detection</legend>
${checkbox('Ask DNS blocklists about the sending server', 'spam_detection.use_list_dnsbl', form['spam_detection.use_list_dnsbl'] === 'on')}
${checkbox('Look for header anomalies', 'spam_detection.use_header_anomaly_detection', form['spam_detection.use_header_anomaly_detection'] === 'on')}
${field('Spam sensitivity', 'spam_detection.spam_sensitivity', {
  value: form['spam_detection.spam_sensitivity'],
  error: errors['spam_detection.spam_sensitivity'],
  inputmode: 'decimal',
  hint: 'From 0.1 (lenient) to 5.0 (strict); 1.0 is the default.',
})}
</fieldset>`;
}

/** A few words for the list: the limits set, "installation defaults" when none. */
function limitsSummary(p: Policy): string {
  const set = LIMITS.filter((l) => p.limits[l.key] !== undefined).map((l) => {
    const value = p.limits[l.key]!;
    if (Array.isArray(value)) return `${l.label.toLowerCase()}: ${value.join(' ') || 'none'}`;
    return `${l.label.toLowerCase()}: ${value === -1 ? 'unlimited' : `${value}${l.unit === 'count' ? '' : ` ${l.unit}`}`}`;
  });
  return set.length ? set.join('; ') : 'installation defaults';
}

function listPage(w: WebRequest, errors: FieldErrors = {}, status = 200): Page {
  const app = w.application!;
  const policies = w.services.policies.list(app.id);
  const workspaces = w.services.workspaces.list(app.id);
  return {
    title: 'Policies',
    section: 'policies',
    status,
    body: html`<h1>Policies</h1>
<p>A policy sets limits and spam settings; attach it to workspaces. <a class="button" href="${policyPath(w, '/new')}">New policy</a></p>
${formError(errors)}
${
  policies.length === 0
    ? html`<p>No policy yet: every workspace uses the installation's defaults.</p>`
    : html`<table class="list">
<thead><tr><th scope="col">Name</th><th scope="col">Limits</th><th scope="col">Used by</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
${policies.map((p) => {
  const users = workspaces.filter((ws) => ws.policyId === p.id).map((ws) => ws.name);
  return html`<tr>
<td><a href="${policyPath(w, `/${encodeURIComponent(p.id)}`)}">${p.name}</a></td>
<td>${limitsSummary(p)}</td>
<td>${users.length ? users.join(', ') : '—'}</td>
<td>${actionButton(w, policyPath(w, `/${encodeURIComponent(p.id)}/delete`), 'Delete', { danger: true, confirm: `Delete policy ${p.name}?` })}</td>
</tr>`;
})}
</tbody>
</table>`
}`,
  };
}

function newPage(w: WebRequest, form: PolicyForm, errors: FieldErrors = {}, status = 200): Page {
  return {
    title: 'New policy',
    section: 'policies',
    status,
    body: html`<p><a href="${policyPath(w)}">← Policies</a></p>
<h1>New policy</h1>
${formError(errors)}
<form method="post" action="${policyPath(w)}">
${csrfField(w)}
${formFields(form, errors)}
<button type="submit">Create policy</button>
</form>`,
  };
}

function editPage(w: WebRequest, p: Policy, form: PolicyForm, errors: FieldErrors = {}, status = 200): Page {
  const path = policyPath(w, `/${encodeURIComponent(p.id)}`);
  return {
    title: p.name,
    section: 'policies',
    status,
    body: html`<p><a href="${policyPath(w)}">← Policies</a></p>
<h1>${p.name}</h1>
<p>Id <code>${p.id}</code></p>
${formError(errors)}
<form method="post" action="${path}">
${csrfField(w)}
${formFields(form, errors)}
<button type="submit">Save</button>
</form>
<h2>Delete</h2>
${actionButton(w, `${path}/delete`, 'Delete policy', { danger: true, confirm: `Delete policy ${p.name}?` })}`,
  };
}

async function create(w: WebRequest) {
  const app = w.application!;
  const form = readForm(w);
  try {
    const p = w.services.policies.create(app.id, policyBody(form, 'create'));
    recordChange(w, 'policy.created', { type: 'policy', id: p.id, detail: { name: p.name, application_id: app.id } });
    w.flash(`Policy ${p.name} created.`);
    return redirect(policyPath(w));
  } catch (err) {
    return newPage(w, form, errorsFor(err, FIELDS), statusOf(err));
  }
}

async function update(w: WebRequest) {
  const app = w.application!;
  const p = w.services.policies.get(app.id, w.params.id!);
  const form = readForm(w);
  try {
    const after = w.services.policies.update(app.id, p.id, policyBody(form, 'update'));
    recordChange(w, 'policy.updated', { type: 'policy', id: p.id, detail: { name: after.name, application_id: app.id } });
    w.flash(`Policy ${after.name} saved.`);
    return redirect(policyPath(w));
  } catch (err) {
    return editPage(w, p, form, errorsFor(err, FIELDS), statusOf(err));
  }
}

async function remove(w: WebRequest) {
  const app = w.application!;
  const p = w.services.policies.get(app.id, w.params.id!);
  try {
    w.services.policies.delete(app.id, p.id);
  } catch (err) {
    return listPage(w, errorsFor(err, {}), statusOf(err));
  }
  recordChange(w, 'policy.deleted', { type: 'policy', id: p.id, detail: { name: p.name, application_id: app.id } });
  w.flash(`Policy ${p.name} deleted.`);
  return redirect(policyPath(w));
}

export const POLICY_ROUTES = [
  get('/dashboard/apps/:app/policies', 'member', (w) => listPage(w)),
  get('/dashboard/apps/:app/policies/new', 'member', (w) => newPage(w, EMPTY)),
  post('/dashboard/apps/:app/policies', 'member', create),
  get('/dashboard/apps/:app/policies/:id', 'member', (w) => {
    const p = w.services.policies.get(w.application!.id, w.params.id!);
    return editPage(w, p, fromPolicy(p));
  }),
  post('/dashboard/apps/:app/policies/:id', 'member', update),
  post('/dashboard/apps/:app/policies/:id/delete', 'member', remove),
];
