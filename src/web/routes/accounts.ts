// Accounts of the picked application: list with search and paging, create (a registered domain,
// an alias, a display name, an optional app password), and a detail page with the folders and
// their counts, the app password reset, deletion and the client setup panel. Every rule is the
// AccountService's: the page shows the app-password rules and app.js ticks them off as the
// member types, but only the service's answer counts (PRODUCT.md "App password policy").
import { ClientSetupService, securityLabel, type ServerSetting } from '../../accounts/client-setup.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { SYSTEM_FOLDERS } from '../../accounts/accounts.js';
import type { Account, Application, Folder } from '../../store/types.js';
import { appPath, type Outcome, type Page, redirect, type WebRequest, get, post } from '../context.js';
import { csrfField, field, type FieldErrors, formError, formErrors, select } from '../forms.js';
import { html, type Html } from '../html.js';
import { recordChange } from './activity.js';

const PAGE_SIZE = 25;
const MAX_PAGE = 1_000_000;

/** `/dashboard/apps/<app>/accounts/<id><rest>` */
export const accountPath = (app: Application, account: Pick<Account, 'id'>, rest = ''): string =>
  appPath(app, `/accounts/${encodeURIComponent(account.id)}${rest}`);

/** The account named by `:account`, only if it belongs to the picked application (else 404). */
export const accountOf = (w: WebRequest): Account => w.services.accounts.get(w.application!.id, w.params.account ?? '');

const SYSTEM_ORDER = new Map(SYSTEM_FOLDERS.map((f, i) => [f.name, i]));

/** INBOX and the other system folders first, in their usual order, then the rest by name. */
export function orderedFolders(folders: readonly Folder[]): Folder[] {
  const rank = (f: Folder) => SYSTEM_ORDER.get(f.name) ?? SYSTEM_ORDER.size;
  return [...folders].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const isoDate = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

const pageNumber = (value: string | undefined): number => {
  const n = Number.parseInt(value ?? '1', 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, MAX_PAGE) : 1;
};

/**
 * The app-password rules as a list app.js checks live (`data-rules-for`); the same rules the
 * server checks (src/accounts/app-password.ts).
 */
function passwordRules(inputId: string): Html {
  return html`<ul class="password-rules" id="${inputId}-rules" data-rules-for="${inputId}" aria-label="App password rules">
<li data-rule="length_app">18 to 40 characters</li>
<li data-rule="printable">only printable ASCII, <code>!</code> to <code>~</code> (no spaces, accents or emoji)</li>
<li data-rule="upper">at least one uppercase letter (A–Z)</li>
<li data-rule="lower">at least one lowercase letter (a–z)</li>
<li data-rule="digit">at least one digit (0–9)</li>
</ul>`;
}

function appPasswordField(label: string, error: string | undefined, required: boolean, hint: string): Html {
  return html`${field(label, 'app_password', {
    type: 'password',
    autocomplete: 'new-password',
    required,
    error,
    hint,
    extra: html` data-password-rules="app" maxlength="40"`,
  })}
${passwordRules('f-app_password')}`;
}

// ---- list ----

function listPage(w: WebRequest): Page {
  const app = w.application!;
  const q = (w.query.q ?? '').slice(0, 200);
  const page = pageNumber(w.query.page);
  const { accounts, total } = w.services.accounts.search(app.id, q, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const workspaces = new Map(w.services.workspaces.list(app.id).map((ws) => [ws.id, ws.name]));
  const link = (n: number) => appPath(app, `/accounts?${new URLSearchParams({ ...(q ? { q } : {}), page: String(n) }).toString()}`);
  return {
    title: 'Accounts',
    section: 'accounts',
    body: html`<h1>Accounts</h1>
<p><a class="button" href="${appPath(app, '/accounts/new')}">New account</a></p>
<form method="get" action="${appPath(app, '/accounts')}" class="row" role="search">
${field('Search by address or name', 'q', { type: 'search', value: q })}
<button type="submit" class="secondary">Search</button>
${q ? html`<a href="${appPath(app, '/accounts')}">Clear</a>` : ''}
</form>
<p role="status">${
      q
        ? html`${total} account${total === 1 ? '' : 's'} match “${q}”.`
        : html`${total} account${total === 1 ? '' : 's'} in this application.`
    }</p>
${
  accounts.length === 0
    ? html`<p>${q ? 'No account matches.' : 'No accounts yet.'}</p>`
    : html`<table class="list">
<thead><tr><th scope="col">Address</th><th scope="col">Name</th><th scope="col">Workspace</th><th scope="col">App password</th><th scope="col">Created</th><th scope="col"><span class="sr-only">Inbox</span></th></tr></thead>
<tbody>
${accounts.map(
  (a) => html`<tr>
<td><a href="${accountPath(app, a)}">${a.email}</a></td>
<td>${a.name ?? ''}</td>
<td>${workspaces.get(a.workspaceId) ?? a.workspaceId}</td>
<td>${a.passwordHash ? html`<span class="badge ok">set</span>` : html`<span class="badge">none</span>`}</td>
<td><time datetime="${new Date(a.createdAt * 1000).toISOString()}">${isoDate(a.createdAt)}</time></td>
<td><a href="${accountPath(app, a, '/mail')}">Inbox<span class="sr-only"> of ${a.email}</span></a></td>
</tr>`,
)}
</tbody>
</table>`
}
${
  pages > 1
    ? html`<nav class="pager" aria-label="Pages">
${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">← Previous</a>` : ''}
<span>Page ${page} of ${pages}</span>
${page < pages ? html`<a href="${link(page + 1)}" rel="next">Next →</a>` : ''}
</nav>`
    : ''
}`,
  };
}

// ---- create ----

interface NewAccountValues {
  domain: string;
  alias: string;
  name: string;
  workspace: string;
}

function newAccountPage(w: WebRequest, values: NewAccountValues, errors: FieldErrors = {}, status = 200): Page {
  const app = w.application!;
  const domains = w.services.domains.list().map((d) => d.domain.name);
  const workspaces = w.services.workspaces.list(app.id);
  return {
    title: 'New account',
    section: 'accounts',
    status,
    body: html`<h1>New account</h1>
<p><a href="${appPath(app, '/accounts')}">← Accounts</a></p>
${
  domains.length === 0
    ? html`<p class="notice">No domain is registered yet. <a href="/dashboard/domains">Add a domain</a> first: accounts are created on a registered domain.</p>`
    : html`${formError(errors)}
<form method="post" action="${appPath(app, '/accounts')}" autocomplete="off">
${csrfField(w)}
${field('Alias', 'alias', {
  value: values.alias,
  required: true,
  error: errors.alias,
  hint: 'The part before the @, e.g. support or agent-7.',
  extra: html` autocapitalize="none" spellcheck="false"`,
})}
${select(
  'Domain',
  'domain',
  domains.map((d) => ({ value: d, label: `@${d}` })),
  values.domain,
  errors.domain,
)}
${field('Display name', 'name', { value: values.name, error: errors.name, hint: 'Optional; shown in the From of mail the account sends.' })}
${appPasswordField('App password', errors.app_password, false, 'Optional. Mail clients (IMAP, SMTP) log in with the address and this password; without one they cannot log in. It is stored only as a hash and never shown again.')}
${select(
  'Workspace',
  'workspace',
  [{ value: '', label: 'Automatic (by domain, else the default workspace)' }, ...workspaces.map((ws) => ({ value: ws.id, label: ws.name }))],
  values.workspace,
  errors.workspace,
)}
<button type="submit">Create account</button>
</form>`
}`,
  };
}

/** The service names the address `email`; the form has it as alias and domain. */
const createField = (name: string): string => (name === 'email' ? 'alias' : name === 'workspaceId' ? 'workspace' : name);

async function create(w: WebRequest): Promise<Outcome> {
  const app = w.application!;
  const values: NewAccountValues = {
    domain: (w.form.get('domain') ?? '').trim(),
    alias: (w.form.get('alias') ?? '').trim(),
    name: w.form.get('name') ?? '',
    workspace: w.form.get('workspace') ?? '',
  };
  const appPassword = w.form.get('app_password') ?? '';
  try {
    if (values.alias === '') throw new ValidationError('alias', 'required', 'type the alias: the part of the address before the @');
    if (values.alias.includes('@')) throw new ValidationError('alias', 'syntax', 'type only the part before the @; pick the domain from the list');
    if (!w.services.domains.list().some((d) => d.domain.name === values.domain)) {
      throw new ValidationError('domain', 'unregistered_domain', 'pick a registered domain from the list');
    }
    const account = await w.services.accounts.create(app.id, {
      email: `${values.alias}@${values.domain}`,
      ...(values.name.trim() !== '' ? { name: values.name } : {}),
      ...(appPassword !== '' ? { appPassword } : {}),
      ...(values.workspace !== '' ? { workspaceId: values.workspace } : {}),
    });
    recordChange(w, 'account.created', {
      type: 'account',
      id: account.id,
      detail: { email: account.email, application: app.id, app_password: account.passwordHash !== null },
    });
    w.flash(`Account ${account.email} created.`);
    return redirect(accountPath(app, account));
  } catch (err) {
    if (err instanceof ConflictError) return newAccountPage(w, values, { alias: err.message }, 409);
    return newAccountPage(w, values, formErrors(err, createField), 400);
  }
}

// ---- detail ----

function folderRows(w: WebRequest, account: Account): Html {
  const { store } = w.services;
  return html`${orderedFolders(store.mail.listMailboxes(account.id)).map((folder) => {
    if (folder.noselect) return html`<tr><td>${folder.name}</td><td>—</td><td>—</td></tr>`;
    const status = store.mail.mailboxStatus(folder.id);
    return html`<tr>
<td><a href="${accountPath(w.application!, account, `/mail?folder=${folder.id}`)}">${folder.name}</a></td>
<td>${status.messages}</td>
<td>${status.unseen}</td>
</tr>`;
  })}`;
}

function serverRows(label: string, servers: readonly ServerSetting[]): Html {
  return html`${servers.map(
    (s, i) => html`<tr><td>${label}${i === 0 ? ' (preferred)' : ''}</td><td><code>${s.host}</code></td><td>${s.port}</td><td>${securityLabel(s.security)}</td></tr>`,
  )}`;
}

function clientSetupPanel(w: WebRequest, account: Account): Html {
  const settings = new ClientSetupService(w.services.store, w.deps.config).forAddress(account.email);
  const email = encodeURIComponent(settings.email);
  return html`<section aria-labelledby="setup-heading">
<h2 id="setup-heading">Client setup</h2>
<dl class="facts">
<dt>Username</dt><dd><code id="setup-username">${settings.username}</code> <button data-copy="#setup-username" hidden>Copy</button></dd>
<dt>Password</dt><dd>the account’s app password${account.passwordHash ? '' : html` <span class="badge bad">none set: set one below first</span>`}</dd>
<dt>Authentication</dt><dd>normal password (PLAIN or LOGIN, inside TLS)</dd>
</dl>
<table class="list">
<caption class="sr-only">Mail servers</caption>
<thead><tr><th scope="col">Server</th><th scope="col">Host</th><th scope="col">Port</th><th scope="col">Security</th></tr></thead>
<tbody>
${serverRows('IMAP (incoming)', settings.imap)}
${serverRows('SMTP (outgoing)', settings.smtp)}
</tbody>
</table>
<p><strong>Thunderbird</strong> finds these settings by itself (autoconfig): enter the address and the app password and it fills in the servers. It reads <a href="/mail/config-v1.1.xml?emailaddress=${email}">this server’s autoconfig file</a>; for other domains publish the autoconfig record listed on the domain’s page.</p>
<p><strong>iPhone, iPad and Mac Mail</strong>: <a href="/apple/mobileconfig?email=${email}" download>download the configuration profile (.mobileconfig)</a>. It holds no password: the device asks for the app password while installing it.</p>
</section>`;
}

function detailPage(w: WebRequest, account: Account, errors: FieldErrors = {}, status = 200): Page {
  const app = w.application!;
  const workspace = w.services.workspaces.list(app.id).find((ws) => ws.id === account.workspaceId);
  return {
    title: account.email,
    section: 'accounts',
    status,
    body: html`<h1>${account.email}</h1>
<p><a href="${appPath(app, '/accounts')}">← Accounts</a> · <a href="${accountPath(app, account, '/mail')}">Open the inbox</a></p>
<dl class="facts">
<dt>Address</dt><dd>${account.email}</dd>
<dt>Name</dt><dd>${account.name ?? html`<span class="hint">none</span>`}</dd>
<dt>Id</dt><dd><code id="account-id">${account.id}</code> <button data-copy="#account-id" hidden>Copy</button></dd>
<dt>Workspace</dt><dd>${workspace?.name ?? account.workspaceId}</dd>
<dt>Created</dt><dd><time datetime="${new Date(account.createdAt * 1000).toISOString()}">${isoDate(account.createdAt)}</time></dd>
<dt>App password</dt><dd>${account.passwordHash ? html`<span class="badge ok">set</span>` : html`<span class="badge">not set</span> (IMAP and SMTP logins are refused)`}</dd>
</dl>
<h2>Folders</h2>
<table class="list">
<thead><tr><th scope="col">Folder</th><th scope="col">Messages</th><th scope="col">Unread</th></tr></thead>
<tbody>${folderRows(w, account)}</tbody>
</table>
${clientSetupPanel(w, account)}
<h2 id="password-heading">${account.passwordHash ? 'Reset the app password' : 'Set an app password'}</h2>
${formError(errors)}
<form method="post" action="${accountPath(app, account, '/password')}" aria-labelledby="password-heading" autocomplete="off">
${csrfField(w)}
${appPasswordField('New app password', errors.app_password, true, 'Mail clients signed in with the old password are signed out at once and must log in with the new one.')}
<button type="submit">${account.passwordHash ? 'Reset app password' : 'Set app password'}</button>
</form>
<h2>Delete</h2>
<form method="post" action="${accountPath(app, account, '/delete')}" data-confirm="${`Delete ${account.email} and all its mail? This cannot be undone.`}">
${csrfField(w)}
<div class="field checkbox${errors.confirm ? ' has-error' : ''}"><input type="checkbox" id="f-confirm" name="confirm" value="yes" required${
      errors.confirm ? html` aria-invalid="true" aria-describedby="f-confirm-error"` : ''
    }> <label for="f-confirm">Delete ${account.email} and all its mail for good</label>${
      errors.confirm ? html`<p class="field-error" id="f-confirm-error">${errors.confirm}</p>` : ''
    }</div>
<button type="submit" class="danger">Delete account</button>
</form>`,
  };
}

async function resetPassword(w: WebRequest): Promise<Outcome> {
  const app = w.application!;
  const account = accountOf(w);
  try {
    const updated = await w.services.accounts.update(app.id, account.id, { appPassword: w.form.get('app_password') ?? '' });
    recordChange(w, 'account.app_password_reset', { type: 'account', id: updated.id, detail: { email: updated.email } });
    w.flash(`The app password of ${updated.email} was changed; mail clients signed in with the old one were signed out.`);
    return redirect(accountPath(app, updated));
  } catch (err) {
    return detailPage(w, account, formErrors(err), 400);
  }
}

function remove(w: WebRequest): Outcome {
  const app = w.application!;
  const account = accountOf(w);
  if (w.form.get('confirm') !== 'yes') {
    return detailPage(w, account, { confirm: 'Tick the box to confirm: the account and all its mail are deleted for good.' }, 400);
  }
  const deleted = w.services.accounts.delete(app.id, account.id);
  recordChange(w, 'account.deleted', { type: 'account', id: deleted.id, detail: { email: deleted.email } });
  w.flash(`Account ${deleted.email} and its mail were deleted.`);
  return redirect(appPath(app, '/accounts'));
}

const emptyValues = (w: WebRequest): NewAccountValues => ({ domain: w.query.domain ?? '', alias: '', name: '', workspace: '' });

export const ACCOUNT_ROUTES = [
  get('/dashboard/apps/:app/accounts', 'member', listPage),
  get('/dashboard/apps/:app/accounts/new', 'member', (w) => newAccountPage(w, emptyValues(w))),
  post('/dashboard/apps/:app/accounts', 'member', create),
  get('/dashboard/apps/:app/accounts/:account', 'member', (w) => detailPage(w, accountOf(w))),
  post('/dashboard/apps/:app/accounts/:account/password', 'member', resetPassword),
  post('/dashboard/apps/:app/accounts/:account/delete', 'member', remove),
];
