// API keys of the application: the list (name, prefix, created, last used, revoked — never
// the key, which the store does not keep), create — the key is shown on the answer to that
// one request, with a copy button, and never again — and revoke with confirmation.
import type { ApiKey } from '../../store/types.js';
import { appPath, type Page, redirect, type WebRequest, get, post } from '../context.js';
import { actionButton, csrfField, field, type FieldErrors, formError } from '../forms.js';
import { html } from '../html.js';
import { recordChange } from './activity.js';
import { errorsFor, statusOf } from './form-input.js';
import { secretBox, secretPage, when } from './page-parts.js';

const keysPath = (w: WebRequest, rest = ''): string => appPath(w.application!, `/api-keys${rest}`);

function keysPage(w: WebRequest, errors: FieldErrors = {}, name = '', status = 200): Page {
  const keys = w.services.apiKeys.list(w.application!.id);
  return {
    title: 'API keys',
    section: 'api-keys',
    status,
    body: html`<h1>API keys</h1>
<p>A key lets a program use the REST API for this application: <code>Authorization: Bearer &lt;key&gt;</code>.</p>
${
  keys.length === 0
    ? html`<p>No key yet.</p>`
    : html`<table class="list">
<thead><tr><th scope="col">Name</th><th scope="col">Key starts with</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
${keys.map(
  (k: ApiKey) => html`<tr>
<td>${k.name}</td>
<td><code>${k.prefix}…</code></td>
<td>${when(k.createdAt)}</td>
<td>${when(k.lastUsedAt)}</td>
<td>${k.revokedAt === null ? html`<span class="badge ok">active</span>` : html`<span class="badge bad">revoked</span> ${when(k.revokedAt)}`}</td>
<td>${
    k.revokedAt === null
      ? actionButton(w, keysPath(w, `/${encodeURIComponent(k.id)}/revoke`), 'Revoke', {
          danger: true,
          confirm: `Revoke API key ${k.name}? Programs using it are refused from now on.`,
        })
      : ''
  }</td>
</tr>`,
)}
</tbody>
</table>`
}
<h2>New key</h2>
${formError(errors)}
<form method="post" action="${keysPath(w)}" class="row">
${csrfField(w)}
${field('Name', 'name', { value: name, error: errors.name, hint: 'What uses the key, e.g. "billing service"; up to 100 characters.' })}
<button type="submit">Create key</button>
</form>`,
  };
}

async function create(w: WebRequest) {
  const app = w.application!;
  const name = w.form.get('name') ?? '';
  try {
    const { key, secret } = w.services.apiKeys.create(app.id, name);
    recordChange(w, 'api_key.created', { type: 'api_key', id: key.id, detail: { name: key.name, prefix: key.prefix, application_id: app.id } });
    secretPage(w);
    return {
      title: 'API key created',
      section: 'api-keys',
      body: html`<h1>API key created</h1>
<p>Key <strong>${key.name}</strong> for application ${app.name}.</p>
${secretBox('api-key-secret', 'API key', secret, 'Copy it now and keep it somewhere safe: it is not shown again. Wicket keeps only a hash of it; if it is lost, revoke it and create another.')}
<p><a class="button" href="${keysPath(w)}">Back to API keys</a></p>`,
    } satisfies Page;
  } catch (err) {
    return keysPage(w, errorsFor(err, { name: 'name' }), name, statusOf(err));
  }
}

async function revoke(w: WebRequest) {
  const app = w.application!;
  const key = w.services.apiKeys.revoke(app.id, w.params.id!);
  recordChange(w, 'api_key.revoked', { type: 'api_key', id: key.id, detail: { name: key.name, prefix: key.prefix, application_id: app.id } });
  w.flash(`API key ${key.name} revoked.`);
  return redirect(keysPath(w));
}

export const API_KEY_ROUTES = [
  get('/dashboard/apps/:app/api-keys', 'member', (w) => keysPage(w)),
  post('/dashboard/apps/:app/api-keys', 'member', create),
  post('/dashboard/apps/:app/api-keys/:id/revoke', 'member', revoke),
];
