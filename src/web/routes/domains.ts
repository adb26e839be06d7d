// Domains (organization-wide, any member): the list with each domain's verification status,
// add, a domain's page with the DNS records to publish (each value with a copy button) and
// the outcome of the last check per record, "Verify now", and delete — which asks again, on
// a page of its own, when accounts still use the domain (their mail would go with it).
import { zoneLine } from '../../accounts/dns-records.js';
import type { DomainDetails, RecordWithStatus } from '../../accounts/domains.js';
import { ConflictError } from '../../errors.js';
import { type Page, redirect, type WebRequest, get, post } from '../context.js';
import { actionButton, csrfField, field, type FieldErrors, formError } from '../forms.js';
import { html, type Html } from '../html.js';
import { recordChange } from './activity.js';
import { errorsFor, statusOf } from './form-input.js';
import { when } from './page-parts.js';

const domainPath = (d: DomainDetails, rest = ''): string => `/dashboard/domains/${encodeURIComponent(d.domain.id)}${rest}`;

const STATUS_BADGE: Record<DomainDetails['status'], Html> = {
  verified: html`<span class="badge ok">verified</span>`,
  unverified: html`<span class="badge bad">not verified</span>`,
  pending: html`<span class="badge">not checked yet</span>`,
};

/**
 * What the last check found, in one word. dns-verify.ts words its reasons so a person can act
 * on them: "no … record at", "… does not exist in DNS" when nothing is published; "timed
 * out", "refused", "failed" when the lookup itself did not work; anything else means a record
 * is there with another value (the reason says what was found).
 */
export function recordVerdict(r: RecordWithStatus): 'ok' | 'missing' | 'wrong' | 'lookup failed' | 'not checked' {
  if (r.status === 'pending') return 'not checked';
  if (r.status === 'verified') return 'ok';
  const reason = r.reason ?? '';
  if (/^no |does not exist in DNS/.test(reason)) return 'missing';
  if (/timed out|refused|failed/.test(reason)) return 'lookup failed';
  return 'wrong';
}

function recordRow(r: RecordWithStatus): Html {
  const verdict = recordVerdict(r);
  const badge = verdict === 'ok' ? 'badge ok' : verdict === 'not checked' ? 'badge' : 'badge bad';
  return html`<tr id="record-${r.key}">
<td>${r.type}${r.required ? '' : html` <span class="badge">optional</span>`}</td>
<td><code id="rec-${r.key}-host">${r.host}</code> <button data-copy="#rec-${r.key}-host" hidden>Copy</button></td>
<td><code id="rec-${r.key}-value">${r.value}</code> <button data-copy="#rec-${r.key}-value" hidden>Copy</button>${
    r.priority !== undefined ? html`<p class="hint">Priority ${r.priority}</p>` : ''
  }<p class="hint">${r.purpose}</p></td>
<td><span class="${badge}">${verdict}</span>${r.reason ? html`<p class="hint">${r.reason}</p>` : ''}${
    r.checkedAt !== null ? html`<p class="hint">checked ${when(r.checkedAt)}</p>` : ''
  }</td>
</tr>`;
}

function domainsPage(w: WebRequest, errors: FieldErrors = {}, name = '', status = 200): Page {
  const domains = w.services.domains.list();
  return {
    title: 'Domains',
    section: 'domains',
    status,
    body: html`<h1>Domains</h1>
<p>Domains belong to the organization: every application can create accounts on them. Publish each domain's DNS records, then verify them.</p>
${
  domains.length === 0
    ? html`<p>No domain is registered yet.</p>`
    : html`<table class="list">
<thead><tr><th scope="col">Domain</th><th scope="col">Status</th><th scope="col">Required records</th><th scope="col">Accounts</th><th scope="col">Added</th></tr></thead>
<tbody>
${domains.map((d) => {
  const required = d.records.filter((r) => r.required);
  return html`<tr>
<td><a href="${domainPath(d)}">${d.domain.name}</a></td>
<td>${STATUS_BADGE[d.status]}</td>
<td>${required.filter((r) => r.status === 'verified').length} of ${required.length} ok</td>
<td>${d.accountCount}</td>
<td>${when(d.domain.createdAt)}</td>
</tr>`;
})}
</tbody>
</table>`
}
<h2>Add a domain</h2>
${formError(errors)}
<form method="post" action="/dashboard/domains" class="row">
${csrfField(w)}
${field('Domain', 'domain', { value: name, required: true, error: errors.domain, placeholder: 'agents.example.com', hint: 'A domain you control; its DKIM key is made now.' })}
<button type="submit">Add domain</button>
</form>`,
  };
}

function domainPage(w: WebRequest, d: DomainDetails): Page {
  const zone = d.records.map((r) => zoneLine(r)).join('\n');
  return {
    title: d.domain.name,
    section: 'domains',
    body: html`<p><a href="/dashboard/domains">← Domains</a></p>
<h1>${d.domain.name} ${STATUS_BADGE[d.status]}</h1>
<dl class="facts">
<dt>Accounts</dt><dd>${d.accountCount}</dd>
<dt>DKIM selector</dt><dd><code>${d.domain.dkimSelector}</code></dd>
<dt>Added</dt><dd>${when(d.domain.createdAt)}</dd>
</dl>
<h2>DNS records</h2>
<p>Publish these records at your DNS provider, then press “Verify now”. Records marked optional help mail clients and receivers but are not needed for mail to flow.</p>
<table class="list records">
<thead><tr><th scope="col">Type</th><th scope="col">Name (host)</th><th scope="col">Value</th><th scope="col">Status</th></tr></thead>
<tbody>
${d.records.map(recordRow)}
</tbody>
</table>
<form method="post" action="${domainPath(d, '/verify')}">${csrfField(w)}<button type="submit">Verify now</button></form>
<details>
<summary>All records as zone-file lines</summary>
<pre id="zone-lines">${zone}</pre>
<button data-copy="#zone-lines" hidden>Copy</button>
</details>
<h2>Delete</h2>
<p>${
      d.accountCount > 0
        ? `${d.accountCount} account${d.accountCount === 1 ? ' uses' : 's use'} this domain; deleting it asks again before it deletes them and their mail.`
        : 'No account uses this domain.'
    }</p>
${actionButton(w, domainPath(d, '/delete'), 'Delete domain', { danger: true, confirm: `Delete domain ${d.domain.name}?` })}`,
  };
}

/** Asked when the domain still has accounts: deleting it deletes them and their mail. */
function confirmDeletePage(w: WebRequest, d: DomainDetails, message: string): Page {
  return {
    title: `Delete ${d.domain.name}?`,
    section: 'domains',
    status: 409,
    body: html`<h1>Delete ${d.domain.name}?</h1>
<p class="form-error" role="alert">${message}</p>
<p>Deleting the domain also deletes its ${d.accountCount} account${d.accountCount === 1 ? '' : 's'}, in every application, with all their mail. This cannot be undone.</p>
${actionButton(w, domainPath(d, '/delete'), `Delete the domain and its ${d.accountCount} account${d.accountCount === 1 ? '' : 's'}`, {
  danger: true,
  confirm: `Delete ${d.domain.name} and its accounts with all their mail?`,
  fields: { force: '1' },
})}
<p><a href="${domainPath(d)}">Cancel</a></p>`,
  };
}

async function add(w: WebRequest) {
  const name = w.form.get('domain') ?? '';
  try {
    const d = await w.services.domains.add(name);
    recordChange(w, 'domain.created', { type: 'domain', id: d.domain.id, detail: { name: d.domain.name } });
    w.flash(`Domain ${d.domain.name} added. Publish its records, then verify.`);
    return redirect(domainPath(d));
  } catch (err) {
    return domainsPage(w, errorsFor(err, { domain: 'domain' }), name, statusOf(err));
  }
}

async function verify(w: WebRequest) {
  const d = await w.services.domains.verify(w.params.domain!);
  const required = d.records.filter((r) => r.required);
  const ok = required.filter((r) => r.status === 'verified').length;
  recordChange(w, 'domain.verified', { type: 'domain', id: d.domain.id, detail: { name: d.domain.name, status: d.status } });
  w.flash(d.status === 'verified' ? `${d.domain.name} is verified.` : `${ok} of ${required.length} required records check out; see each record's status below.`);
  return redirect(domainPath(d));
}

async function remove(w: WebRequest) {
  const d = w.services.domains.get(w.params.domain!);
  try {
    const { accountsDeleted } = w.services.domains.delete(d.domain.id, { force: w.form.get('force') === '1' });
    recordChange(w, 'domain.deleted', { type: 'domain', id: d.domain.id, detail: { name: d.domain.name, accounts_deleted: accountsDeleted } });
    w.flash(`Domain ${d.domain.name} deleted${accountsDeleted ? `, with ${accountsDeleted} account${accountsDeleted === 1 ? '' : 's'}` : ''}.`);
    return redirect('/dashboard/domains');
  } catch (err) {
    if (err instanceof ConflictError) return confirmDeletePage(w, d, err.message);
    throw err;
  }
}

export const DOMAIN_ROUTES = [
  get('/dashboard/domains', 'member', (w) => domainsPage(w)),
  post('/dashboard/domains', 'member', add),
  get('/dashboard/domains/:domain', 'member', (w) => domainPage(w, w.services.domains.get(w.params.domain!))),
  post('/dashboard/domains/:domain/verify', 'member', verify),
  post('/dashboard/domains/:domain/delete', 'member', remove),
];
