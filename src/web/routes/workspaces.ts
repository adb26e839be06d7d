// Workspaces of the application: the list, create (name, domain, auto-grouping, policy,
// rules), edit, delete (its accounts move to the default workspace). The default workspace
// takes only a policy and rules; a workspace's domain is set when it is created.
import type { Workspace } from '../../store/types.js';
import { appPath, type Page, redirect, type WebRequest, get, post } from '../context.js';
import { actionButton, csrfField, field, type FieldErrors, formError, select } from '../forms.js';
import { attr, html, type Html } from '../html.js';
import { recordChange } from './activity.js';
import { errorsFor, statusOf } from './form-input.js';

interface WorkspaceForm {
  name: string;
  domain: string;
  autoGroup: boolean;
  policyId: string;
  ruleIds: string[];
}

const FIELDS = { name: 'name', domain: 'domain', auto_group: 'auto_group', policy_id: 'policy_id', rule_ids: 'rule_ids' };

const workspacePath = (w: WebRequest, rest = ''): string => appPath(w.application!, `/workspaces${rest}`);

function readForm(w: WebRequest): WorkspaceForm {
  return {
    name: w.form.get('name') ?? '',
    domain: (w.form.get('domain') ?? '').trim(),
    autoGroup: w.form.get('auto_group') === 'on',
    policyId: (w.form.get('policy_id') ?? '').trim(),
    ruleIds: w.form.getAll('rule_ids').filter((id) => id !== ''),
  };
}

const fromWorkspace = (ws: Workspace): WorkspaceForm => ({
  name: ws.name,
  domain: ws.domain ?? '',
  autoGroup: ws.autoGroup,
  policyId: ws.policyId ?? '',
  ruleIds: ws.ruleIds,
});

/** The application's rules as checkboxes, in priority order. */
function ruleChoices(w: WebRequest, chosen: string[], error: string | undefined): Html {
  const rules = w.services.rules.list(w.application!.id);
  return html`<fieldset class="field${error ? ' has-error' : ''}"${error ? html` aria-describedby="f-rule_ids-error"` : ''}>
<legend>Rules</legend>
${
  rules.length === 0
    ? html`<p class="hint">This application has no rules yet (<a href="${appPath(w.application!, '/rules/new')}">create one</a>).</p>`
    : rules.map(
        (r, i) => html`<div class="checkbox"><input type="checkbox" id="f-rule_ids-${i}" name="rule_ids" value="${r.id}"${attr('checked', chosen.includes(r.id))}> <label for="f-rule_ids-${i}">${r.name} <span class="hint">(${r.trigger}, priority ${r.priority}${r.enabled ? '' : ', disabled'})</span></label></div>`,
      )
}
${error ? html`<p class="field-error" id="f-rule_ids-error">${error}</p>` : ''}
</fieldset>`;
}

function formFields(w: WebRequest, form: WorkspaceForm, errors: FieldErrors, existing: Workspace | undefined): Html {
  const app = w.application!;
  const policies = w.services.policies.list(app.id);
  const policySelect = select(
    'Policy',
    'policy_id',
    [{ value: '', label: 'None (installation defaults)' }, ...policies.map((p) => ({ value: p.id, label: p.name }))],
    form.policyId,
    errors.policy_id,
  );
  if (existing?.isDefault) {
    return html`<p>The default workspace keeps every account no other workspace takes; only its policy and rules can change.</p>${policySelect}${ruleChoices(w, form.ruleIds, errors.rule_ids)}`;
  }
  const domains = w.services.domains.list().map((d) => d.domain.name);
  const domainField = existing
    ? html`<div class="field"><p><strong>Domain</strong>: ${existing.domain ?? 'none'}</p><p class="hint">A workspace's domain is set when it is created.</p></div>`
    : select('Domain', 'domain', [{ value: '', label: 'None' }, ...domains.map((d) => ({ value: d, label: d }))], form.domain, errors.domain);
  return html`${field('Name', 'name', { value: form.name, required: true, error: errors.name, hint: '1 to 128 characters.' })}
${domainField}
<div class="field checkbox${errors.auto_group ? ' has-error' : ''}"><input type="checkbox" id="f-auto_group" name="auto_group" value="on"${attr('checked', form.autoGroup)}${
    errors.auto_group ? html` aria-invalid="true" aria-describedby="f-auto_group-error"` : ''
  }> <label for="f-auto_group">Auto-group: new accounts on this domain join this workspace</label>${
    errors.auto_group ? html`<p class="field-error" id="f-auto_group-error">${errors.auto_group}</p>` : ''
  }</div>
${policySelect}
${ruleChoices(w, form.ruleIds, errors.rule_ids)}`;
}

function listPage(w: WebRequest, errors: FieldErrors = {}, status = 200): Page {
  const app = w.application!;
  const workspaces = w.services.workspaces.list(app.id);
  const policies = new Map(w.services.policies.list(app.id).map((p) => [p.id, p.name]));
  return {
    title: 'Workspaces',
    section: 'workspaces',
    status,
    body: html`<h1>Workspaces</h1>
<p>A workspace groups accounts that share a policy and rules. <a class="button" href="${workspacePath(w, '/new')}">New workspace</a></p>
${formError(errors)}
<table class="list">
<thead><tr><th scope="col">Name</th><th scope="col">Domain</th><th scope="col">Policy</th><th scope="col">Rules</th><th scope="col">Accounts</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
${workspaces.map(
  (ws) => html`<tr>
<td><a href="${workspacePath(w, `/${encodeURIComponent(ws.id)}`)}">${ws.name}</a>${ws.isDefault ? html` <span class="badge">default</span>` : ''}</td>
<td>${ws.domain ?? '—'}${ws.autoGroup ? html` <span class="badge">auto-group</span>` : ''}</td>
<td>${ws.policyId ? (policies.get(ws.policyId) ?? ws.policyId) : '—'}</td>
<td>${ws.ruleIds.length}</td>
<td>${w.services.workspaces.accountCount(ws)}</td>
<td>${
    ws.isDefault
      ? ''
      : actionButton(w, workspacePath(w, `/${encodeURIComponent(ws.id)}/delete`), 'Delete', {
          danger: true,
          confirm: `Delete workspace ${ws.name}? Its accounts move to the default workspace.`,
        })
  }</td>
</tr>`,
)}
</tbody>
</table>`,
  };
}

function newPage(w: WebRequest, form: WorkspaceForm, errors: FieldErrors = {}, status = 200): Page {
  return {
    title: 'New workspace',
    section: 'workspaces',
    status,
    body: html`<p><a href="${workspacePath(w)}">← Workspaces</a></p>
<h1>New workspace</h1>
${formError(errors)}
<form method="post" action="${workspacePath(w)}">
${csrfField(w)}
${formFields(w, form, errors, undefined)}
<button type="submit">Create workspace</button>
</form>`,
  };
}

function editPage(w: WebRequest, ws: Workspace, form: WorkspaceForm, errors: FieldErrors = {}, status = 200): Page {
  const path = workspacePath(w, `/${encodeURIComponent(ws.id)}`);
  return {
    title: ws.name,
    section: 'workspaces',
    status,
    body: html`<p><a href="${workspacePath(w)}">← Workspaces</a></p>
<h1>${ws.name}${ws.isDefault ? html` <span class="badge">default</span>` : ''}</h1>
<p>${w.services.workspaces.accountCount(ws)} accounts. Id <code>${ws.id}</code></p>
${formError(errors)}
<form method="post" action="${path}">
${csrfField(w)}
${formFields(w, form, errors, ws)}
<button type="submit">Save</button>
</form>
${
  ws.isDefault
    ? ''
    : html`<h2>Delete</h2>${actionButton(w, `${path}/delete`, 'Delete workspace', { danger: true, confirm: `Delete workspace ${ws.name}? Its accounts move to the default workspace.` })}`
}`,
  };
}

async function create(w: WebRequest) {
  const app = w.application!;
  const form = readForm(w);
  try {
    const ws = w.services.workspaces.create(app.id, {
      name: form.name,
      ...(form.domain !== '' ? { domain: form.domain } : {}),
      autoGroup: form.autoGroup,
      policyId: form.policyId === '' ? null : form.policyId,
      ruleIds: form.ruleIds,
    });
    recordChange(w, 'workspace.created', { type: 'workspace', id: ws.id, detail: { name: ws.name, application_id: app.id } });
    w.flash(`Workspace ${ws.name} created.`);
    return redirect(workspacePath(w));
  } catch (err) {
    return newPage(w, form, errorsFor(err, FIELDS), statusOf(err));
  }
}

async function update(w: WebRequest) {
  const app = w.application!;
  const ws = w.services.workspaces.get(app.id, w.params.id!);
  const form = readForm(w);
  try {
    const after = w.services.workspaces.update(app.id, ws.id, {
      ...(ws.isDefault ? {} : { name: form.name, autoGroup: form.autoGroup }),
      policyId: form.policyId === '' ? null : form.policyId,
      ruleIds: form.ruleIds,
    });
    recordChange(w, 'workspace.updated', { type: 'workspace', id: ws.id, detail: { name: after.name, application_id: app.id } });
    w.flash(`Workspace ${after.name} saved.`);
    return redirect(workspacePath(w));
  } catch (err) {
    return editPage(w, ws, { ...form, domain: ws.domain ?? '' }, errorsFor(err, FIELDS), statusOf(err));
  }
}

async function remove(w: WebRequest) {
  const app = w.application!;
  const ws = w.services.workspaces.get(app.id, w.params.id!);
  try {
    const { workspace, moved } = w.services.workspaces.delete(app.id, ws.id);
    recordChange(w, 'workspace.deleted', { type: 'workspace', id: workspace.id, detail: { name: workspace.name, application_id: app.id, accounts_moved: moved } });
    w.flash(`Workspace ${workspace.name} deleted${moved ? `; ${moved} account${moved === 1 ? '' : 's'} moved to the default workspace` : ''}.`);
    return redirect(workspacePath(w));
  } catch (err) {
    return listPage(w, errorsFor(err, {}), statusOf(err));
  }
}

export const WORKSPACE_ROUTES = [
  get('/dashboard/apps/:app/workspaces', 'member', (w) => listPage(w)),
  get('/dashboard/apps/:app/workspaces/new', 'member', (w) => newPage(w, { name: '', domain: '', autoGroup: false, policyId: '', ruleIds: [] })),
  post('/dashboard/apps/:app/workspaces', 'member', create),
  get('/dashboard/apps/:app/workspaces/:id', 'member', (w) => {
    const ws = w.services.workspaces.get(w.application!.id, w.params.id!);
    return editPage(w, ws, fromWorkspace(ws));
  }),
  post('/dashboard/apps/:app/workspaces/:id', 'member', update),
  post('/dashboard/apps/:app/workspaces/:id/delete', 'member', remove),
];
