// Rules of the application: a match on sender, recipients or outbound type, and the actions to
// take. Conditions and actions are textareas of one entry a line, written as the CLI's flags
// are read (`from.domain is example.com`, `assign_to_folder Clients/Acme`), so a rule reads as
// a short list; the service validates every entry and its message is shown next to the
// textarea with the line it came from.
import type { Condition, List, Rule, RuleAction } from '../../policy/types.js';
import { appPath, type Page, redirect, type WebRequest, get, post } from '../context.js';
import { actionButton, checkbox, csrfField, field, type FieldErrors, formError, select } from '../forms.js';
import { html, type Html } from '../html.js';
import { recordChange } from './activity.js';
import { errorsFor, type FieldTarget, type Lines, lines, numberOrText, statusOf } from './form-input.js';

interface RuleForm {
  name: string;
  description: string;
  priority: string;
  enabled: boolean;
  trigger: string;
  matchOperator: string;
  conditions: string;
  actions: string;
}

const rulePath = (w: WebRequest, rest = ''): string => appPath(w.application!, `/rules${rest}`);

const EXAMPLE_CONDITIONS = 'from.domain is example.com';
const EXAMPLE_ACTIONS = 'mark_as_read\nassign_to_folder Clients/Example';

const EMPTY: RuleForm = {
  name: '',
  description: '',
  priority: '10',
  enabled: true,
  trigger: 'inbound',
  matchOperator: 'all',
  conditions: '',
  actions: '',
};

/** One condition a line, back as text: `field operator value`; in_list's list ids separated by commas. */
const conditionLine = (c: Condition): string => `${c.field} ${c.operator} ${Array.isArray(c.value) ? c.value.join(', ') : c.value}`;
const actionLine = (a: RuleAction): string => (a.value !== undefined ? `${a.type} ${a.value}` : a.type);

const fromRule = (r: Rule): RuleForm => ({
  name: r.name,
  description: r.description ?? '',
  priority: String(r.priority),
  enabled: r.enabled,
  trigger: r.trigger,
  matchOperator: r.match.operator,
  conditions: r.match.conditions.map(conditionLine).join('\n'),
  actions: r.actions.map(actionLine).join('\n'),
});

const readForm = (w: WebRequest): RuleForm => ({
  name: w.form.get('name') ?? '',
  description: w.form.get('description') ?? '',
  priority: w.form.get('priority') ?? '',
  enabled: w.form.get('enabled') === 'on',
  trigger: w.form.get('trigger') ?? '',
  matchOperator: w.form.get('match.operator') ?? '',
  conditions: w.form.get('match.conditions') ?? '',
  actions: w.form.get('actions') ?? '',
});

/**
 * A condition line: field, operator, then the rest of the line as the value; in_list takes
 * list ids separated by commas or spaces. Whatever is missing is sent empty, for the service
 * to name.
 */
function parseCondition(line: string): { field: string; operator: string; value: string | string[] } {
  const match = /^(\S+)(?:\s+(\S+))?(?:\s+(.*))?$/.exec(line)!;
  const operator = match[2] ?? '';
  const rest = (match[3] ?? '').trim();
  return { field: match[1]!, operator, value: operator === 'in_list' ? rest.split(/[\s,]+/).filter((id) => id !== '') : rest };
}

/** An action line: the type, then the rest of the line as its value (a folder may hold spaces). */
function parseAction(line: string): { type: string; value?: string } {
  const match = /^(\S+)(?:\s+(.*))?$/.exec(line)!;
  return match[2] !== undefined ? { type: match[1]!, value: match[2] } : { type: match[1]! };
}

function ruleBody(form: RuleForm, conditions: Lines, actions: Lines): Record<string, unknown> {
  const priority = numberOrText(form.priority);
  return {
    name: form.name,
    description: form.description,
    ...(priority !== undefined ? { priority } : {}),
    enabled: form.enabled,
    trigger: form.trigger,
    match: { operator: form.matchOperator, conditions: conditions.values.map(parseCondition) },
    actions: actions.values.map(parseAction),
  };
}

function targets(conditions: Lines, actions: Lines): Record<string, FieldTarget | string> {
  return {
    name: 'name',
    description: 'description',
    priority: 'priority',
    trigger: 'trigger',
    'match.operator': 'match.operator',
    'match.conditions': { name: 'match.conditions', lines: conditions.lineOf },
    match: 'match.conditions',
    actions: { name: 'actions', lines: actions.lineOf },
  };
}

function listsHint(lists: List[]): Html {
  if (lists.length === 0) return html``;
  return html`<p class="hint">Lists for in_list: ${lists.map((l, i) => html`${i ? '; ' : ''}${l.name} (${l.type}) <code>${l.id}</code>`)}</p>`;
}

function formFields(w: WebRequest, form: RuleForm, errors: FieldErrors): Html {
  const lists = w.services.lists.list(w.application!.id);
  return html`${field('Name', 'name', { value: form.name, required: true, error: errors.name })}
${field('Description', 'description', { value: form.description, error: errors.description, hint: 'Optional.' })}
${field('Priority', 'priority', { value: form.priority, error: errors.priority, inputmode: 'numeric', hint: '0 to 1000; lower runs first. 10 when empty.' })}
${checkbox('Enabled', 'enabled', form.enabled)}
${select(
  'Trigger',
  'trigger',
  [
    { value: 'inbound', label: 'inbound: mail arriving for the account' },
    { value: 'outbound', label: 'outbound: mail the account sends' },
  ],
  form.trigger,
  errors.trigger,
)}
${select(
  'Match',
  'match.operator',
  [
    { value: 'all', label: 'all conditions' },
    { value: 'any', label: 'any condition' },
  ],
  form.matchOperator,
  errors['match.operator'],
)}
${field('Conditions', 'match.conditions', {
  type: 'textarea',
  value: form.conditions,
  placeholder: EXAMPLE_CONDITIONS,
  error: errors['match.conditions'],
  hint: html`One a line: <code>field operator value</code>. Fields: from.address, from.domain, from.tld; for outbound rules also recipient.address, recipient.domain, recipient.tld and outbound.type (compose or reply). Operators: is, is_not, contains, in_list (the value: list ids). Example: <code>from.domain is example.com</code>.`,
})}
${listsHint(lists)}
${field('Actions', 'actions', {
  type: 'textarea',
  value: form.actions,
  placeholder: EXAMPLE_ACTIONS,
  error: errors.actions,
  hint: html`One a line: block (alone), mark_as_spam, mark_as_read, mark_as_starred, archive, trash, or <code>assign_to_folder Folder/Path</code>.`,
})}`;
}

function listPage(w: WebRequest): Page {
  const app = w.application!;
  const rules = w.services.rules.list(app.id);
  const workspaces = w.services.workspaces.list(app.id);
  return {
    title: 'Rules',
    section: 'rules',
    body: html`<h1>Rules</h1>
<p>Rules act on mail of the workspaces that name them, in priority order. <a class="button" href="${rulePath(w, '/new')}">New rule</a></p>
${
  rules.length === 0
    ? html`<p>No rule yet.</p>`
    : html`<table class="list">
<thead><tr><th scope="col">Priority</th><th scope="col">Name</th><th scope="col">Trigger</th><th scope="col">Match</th><th scope="col">Actions</th><th scope="col">Workspaces</th><th scope="col"><span class="sr-only">Delete</span></th></tr></thead>
<tbody>
${rules.map((r) => {
  const users = workspaces.filter((ws) => ws.ruleIds.includes(r.id)).map((ws) => ws.name);
  return html`<tr>
<td>${r.priority}</td>
<td><a href="${rulePath(w, `/${encodeURIComponent(r.id)}`)}">${r.name}</a>${r.enabled ? '' : html` <span class="badge">disabled</span>`}</td>
<td>${r.trigger}</td>
<td>${r.match.operator}: ${r.match.conditions.map((c, i) => html`${i ? '; ' : ''}<code>${conditionLine(c)}</code>`)}</td>
<td>${r.actions.map(actionLine).join(', ')}</td>
<td>${users.length ? users.join(', ') : '—'}</td>
<td>${actionButton(w, rulePath(w, `/${encodeURIComponent(r.id)}/delete`), 'Delete', { danger: true, confirm: `Delete rule ${r.name}? Workspaces that use it stop using it.` })}</td>
</tr>`;
})}
</tbody>
</table>`
}`,
  };
}

function newPage(w: WebRequest, form: RuleForm, errors: FieldErrors = {}, status = 200): Page {
  return {
    title: 'New rule',
    section: 'rules',
    status,
    body: html`<p><a href="${rulePath(w)}">← Rules</a></p>
<h1>New rule</h1>
${formError(errors)}
<form method="post" action="${rulePath(w)}">
${csrfField(w)}
${formFields(w, form, errors)}
<button type="submit">Create rule</button>
</form>`,
  };
}

function editPage(w: WebRequest, r: Rule, form: RuleForm, errors: FieldErrors = {}, status = 200): Page {
  const path = rulePath(w, `/${encodeURIComponent(r.id)}`);
  return {
    title: r.name,
    section: 'rules',
    status,
    body: html`<p><a href="${rulePath(w)}">← Rules</a></p>
<h1>${r.name}</h1>
<p>Id <code>${r.id}</code></p>
${formError(errors)}
<form method="post" action="${path}">
${csrfField(w)}
${formFields(w, form, errors)}
<button type="submit">Save</button>
</form>
<h2>Delete</h2>
${actionButton(w, `${path}/delete`, 'Delete rule', { danger: true, confirm: `Delete rule ${r.name}? Workspaces that use it stop using it.` })}`,
  };
}

async function create(w: WebRequest) {
  const app = w.application!;
  const form = readForm(w);
  const conditions = lines(form.conditions);
  const actions = lines(form.actions);
  try {
    const r = w.services.rules.create(app.id, ruleBody(form, conditions, actions));
    recordChange(w, 'rule.created', { type: 'rule', id: r.id, detail: { name: r.name, application_id: app.id } });
    w.flash(`Rule ${r.name} created. Attach it to a workspace for it to act.`);
    return redirect(rulePath(w));
  } catch (err) {
    return newPage(w, form, errorsFor(err, targets(conditions, actions)), statusOf(err));
  }
}

async function update(w: WebRequest) {
  const app = w.application!;
  const r = w.services.rules.get(app.id, w.params.id!);
  const form = readForm(w);
  const conditions = lines(form.conditions);
  const actions = lines(form.actions);
  try {
    const after = w.services.rules.update(app.id, r.id, ruleBody(form, conditions, actions));
    recordChange(w, 'rule.updated', { type: 'rule', id: r.id, detail: { name: after.name, application_id: app.id } });
    w.flash(`Rule ${after.name} saved.`);
    return redirect(rulePath(w));
  } catch (err) {
    return editPage(w, r, form, errorsFor(err, targets(conditions, actions)), statusOf(err));
  }
}

async function remove(w: WebRequest) {
  const app = w.application!;
  const { rule, detachedFrom } = w.services.rules.delete(app.id, w.params.id!);
  recordChange(w, 'rule.deleted', { type: 'rule', id: rule.id, detail: { name: rule.name, application_id: app.id, detached_from: detachedFrom } });
  w.flash(`Rule ${rule.name} deleted${detachedFrom ? `; ${detachedFrom} workspace${detachedFrom === 1 ? '' : 's'} no longer use it` : ''}.`);
  return redirect(rulePath(w));
}

export const RULE_ROUTES = [
  get('/dashboard/apps/:app/rules', 'member', listPage),
  get('/dashboard/apps/:app/rules/new', 'member', (w) => newPage(w, EMPTY)),
  post('/dashboard/apps/:app/rules', 'member', create),
  get('/dashboard/apps/:app/rules/:id', 'member', (w) => {
    const r = w.services.rules.get(w.application!.id, w.params.id!);
    return editPage(w, r, fromRule(r));
  }),
  post('/dashboard/apps/:app/rules/:id', 'member', update),
  post('/dashboard/apps/:app/rules/:id/delete', 'member', remove),
];
