// The main page: the organization's applications (tenants). Create, delete with confirmation,
// pick one; every page below works inside the picked application (/dashboard/apps/<id>/…).
import { appPath, type Page, redirect, type WebRequest, get, post } from '../context.js';
import { actionButton, csrfField, field, type FieldErrors, formError, formErrors } from '../forms.js';
import { html } from '../html.js';
import { recordChange } from './activity.js';

function applicationsPage(w: WebRequest, errors: FieldErrors = {}, name = '', status = 200): Page {
  const apps = w.services.applications.list();
  return {
    title: 'Applications',
    section: 'applications',
    status,
    body: html`<h1>Applications</h1>
<p>Each application has its own accounts, workspaces, policies, rules, lists, API keys and webhooks. Pick one to work in.</p>
<table class="list">
<thead><tr><th scope="col">Name</th><th scope="col">Accounts</th><th scope="col">Id</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
${apps.map(
  (a) => html`<tr>
<td><a href="${appPath(a, '/accounts')}">${a.name}</a>${a.isDefault ? html` <span class="badge">default</span>` : ''}</td>
<td>${w.services.accounts.count(a.id)}</td>
<td><code>${a.id}</code></td>
<td>${
    a.isDefault
      ? ''
      : actionButton(w, appPath(a, '/delete'), 'Delete', {
          danger: true,
          confirm: `Delete application ${a.name}? Its API keys, webhooks, workspaces, policies, rules and lists go with it.`,
        })
  }</td>
</tr>`,
)}
</tbody>
</table>
<h2>New application</h2>
${formError(errors)}
<form method="post" action="/dashboard/apps" class="row">
${csrfField(w)}
${field('Name', 'name', { value: name, required: true, error: errors.name, hint: 'Letters, digits, spaces, dots, dashes or underscores; up to 64.' })}
<button type="submit">Create application</button>
</form>`,
  };
}

function create(w: WebRequest) {
  const name = w.form.get('name') ?? '';
  try {
    const app = w.services.applications.create(name);
    recordChange(w, 'application.created', { type: 'application', id: app.id, detail: { name: app.name } });
    w.flash(`Application ${app.name} created.`);
    return redirect(appPath(app, '/accounts'));
  } catch (err) {
    return applicationsPage(w, formErrors(err), name, 400);
  }
}

function remove(w: WebRequest) {
  const app = w.application!;
  try {
    const { accountsDeleted } = w.services.applications.delete(app.id);
    recordChange(w, 'application.deleted', { type: 'application', id: app.id, detail: { name: app.name, accounts_deleted: accountsDeleted } });
    w.flash(`Application ${app.name} deleted.`);
  } catch (err) {
    return applicationsPage(w, formErrors(err), '', 409);
  }
  return redirect('/dashboard');
}

export const APPLICATION_ROUTES = [
  get('/dashboard', 'member', (w) => applicationsPage(w)),
  post('/dashboard/apps', 'member', create),
  get('/dashboard/apps/:app', 'member', (w) => redirect(appPath(w.application!, '/accounts'))),
  post('/dashboard/apps/:app/delete', 'member', remove),
];
