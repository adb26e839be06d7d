// Lists of the application: typed sets of addresses, domains or TLDs that rules name with
// in_list. Create (name, type, description, first items), a list's page with its items (paged,
// each removable), add items one a line, rename, delete — refused with the service's message
// (409) while a rule uses the list.
import type { List } from '../../policy/types.js';
import { parseListItems } from '../../policy/validate.js';
import { appPath, type Page, redirect, type WebRequest, get, post } from '../context.js';
import { actionButton, csrfField, field, type FieldErrors, formError, select } from '../forms.js';
import { html } from '../html.js';
import { recordChange } from './activity.js';
import { errorsFor, type Lines, lines, statusOf } from './form-input.js';
import { when } from './page-parts.js';

const PAGE = 200;
const TYPES = [
  { value: 'address', label: 'address (jane@example.com)' },
  { value: 'domain', label: 'domain (example.com)' },
  { value: 'tld', label: 'tld (com, io)' },
];

interface ListForm {
  name: string;
  type: string;
  description: string;
  items: string;
}

const listPath = (w: WebRequest, rest = ''): string => appPath(w.application!, `/lists${rest}`);
const onePath = (w: WebRequest, l: List, rest = ''): string => listPath(w, `/${encodeURIComponent(l.id)}${rest}`);

const readForm = (w: WebRequest): ListForm => ({
  name: w.form.get('name') ?? '',
  type: w.form.get('type') ?? '',
  description: w.form.get('description') ?? '',
  items: w.form.get('items') ?? '',
});

const itemTargets = (items: Lines) => ({ items: { name: 'items', lines: items.lineOf } });

function indexPage(w: WebRequest, errors: FieldErrors = {}, status = 200): Page {
  const lists = w.services.lists.list(w.application!.id);
  return {
    title: 'Lists',
    section: 'lists',
    status,
    body: html`<h1>Lists</h1>
<p>Lists hold addresses, domains or TLDs that rules match with <code>in_list</code>. <a class="button" href="${listPath(w, '/new')}">New list</a></p>
${formError(errors)}
${
  lists.length === 0
    ? html`<p>No list yet.</p>`
    : html`<table class="list">
<thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Items</th><th scope="col">Used by</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
${lists.map((l) => {
  const users = w.services.lists.rulesUsing(l.applicationId, l.id).map((r) => r.name);
  return html`<tr>
<td><a href="${onePath(w, l)}">${l.name}</a>${l.description ? html`<p class="hint">${l.description}</p>` : ''}</td>
<td>${l.type}</td>
<td>${l.itemsCount}</td>
<td>${users.length ? users.join(', ') : '—'}</td>
<td>${actionButton(w, onePath(w, l, '/delete'), 'Delete', { danger: true, confirm: `Delete list ${l.name} and its ${l.itemsCount} items?` })}</td>
</tr>`;
})}
</tbody>
</table>`
}`,
  };
}

function newPage(w: WebRequest, form: ListForm, errors: FieldErrors = {}, status = 200): Page {
  return {
    title: 'New list',
    section: 'lists',
    status,
    body: html`<p><a href="${listPath(w)}">← Lists</a></p>
<h1>New list</h1>
${formError(errors)}
<form method="post" action="${listPath(w)}">
${csrfField(w)}
${field('Name', 'name', { value: form.name, required: true, error: errors.name })}
${select('Type', 'type', TYPES, form.type || 'domain', errors.type)}
${field('Description', 'description', { value: form.description, error: errors.description, hint: 'Optional.' })}
${field('Items', 'items', { type: 'textarea', value: form.items, error: errors.items, hint: 'One a line; optional. Lower-cased and checked against the type; duplicates are dropped.' })}
<button type="submit">Create list</button>
</form>`,
  };
}

function listPage(w: WebRequest, l: List, errors: FieldErrors = {}, status = 200, form?: Partial<ListForm>): Page {
  const after = typeof w.query.after === 'string' && w.query.after !== '' ? w.query.after : null;
  const rows = w.services.lists.items(l.applicationId, l.id, after, PAGE + 1);
  const items = rows.slice(0, PAGE);
  const next = rows.length > PAGE ? items[items.length - 1]!.value : null;
  const users = w.services.lists.rulesUsing(l.applicationId, l.id);
  return {
    title: l.name,
    section: 'lists',
    status,
    body: html`<p><a href="${listPath(w)}">← Lists</a></p>
<h1>${l.name}</h1>
<dl class="facts">
<dt>Type</dt><dd>${l.type}</dd>
<dt>Items</dt><dd>${l.itemsCount}</dd>
<dt>Used by</dt><dd>${users.length ? users.map((r) => r.name).join(', ') : 'no rule'}</dd>
<dt>Id</dt><dd><code id="list-id">${l.id}</code> <button data-copy="#list-id" hidden>Copy</button></dd>
</dl>
${formError(errors)}
<h2>Add items</h2>
<form method="post" action="${onePath(w, l, '/items')}">
${csrfField(w)}
${field('Items to add', 'items', { type: 'textarea', value: form?.items ?? '', error: errors.items, hint: `One ${l.type} a line, up to 1,000 at a time.` })}
<button type="submit">Add items</button>
</form>
<h2>Items</h2>
${
  items.length === 0
    ? html`<p>${after ? 'No more items.' : 'This list is empty.'}</p>`
    : html`<table class="list">
<thead><tr><th scope="col">Item</th><th scope="col">Added</th><th scope="col"><span class="sr-only">Remove</span></th></tr></thead>
<tbody>
${items.map(
  (i) => html`<tr><td><code>${i.value}</code></td><td>${when(i.createdAt)}</td><td>${actionButton(w, onePath(w, l, '/items/remove'), 'Remove', { fields: { item: i.value } })}</td></tr>`,
)}
</tbody>
</table>`
}
<p class="pager">${after ? html`<a href="${onePath(w, l)}">First page</a>` : ''}${next ? html`<a href="${onePath(w, l, `?after=${encodeURIComponent(next)}`)}">Next page</a>` : ''}</p>
<h2>Name and description</h2>
<form method="post" action="${onePath(w, l)}">
${csrfField(w)}
${field('Name', 'name', { value: form?.name ?? l.name, required: true, error: errors.name })}
${field('Description', 'description', { value: form?.description ?? l.description ?? '', error: errors.description })}
<button type="submit">Save</button>
</form>
<h2>Delete</h2>
${actionButton(w, onePath(w, l, '/delete'), 'Delete list', { danger: true, confirm: `Delete list ${l.name} and its ${l.itemsCount} items?` })}`,
  };
}

async function create(w: WebRequest) {
  const app = w.application!;
  const form = readForm(w);
  const items = lines(form.items);
  try {
    // The items are checked before the list is made, so a bad item leaves nothing behind.
    if (items.values.length > 0 && TYPES.some((t) => t.value === form.type)) parseListItems({ items: items.values }, form.type as List['type']);
    const l = w.services.lists.create(app.id, { name: form.name, type: form.type, description: form.description });
    const added = items.values.length > 0 ? w.services.lists.addItems(app.id, l.id, { items: items.values }).added : 0;
    recordChange(w, 'list.created', { type: 'list', id: l.id, detail: { name: l.name, type: l.type, items_added: added, application_id: app.id } });
    w.flash(`List ${l.name} created${added ? ` with ${added} item${added === 1 ? '' : 's'}` : ''}.`);
    return redirect(onePath(w, l));
  } catch (err) {
    return newPage(w, form, errorsFor(err, { name: 'name', type: 'type', description: 'description', ...itemTargets(items) }), statusOf(err));
  }
}

async function rename(w: WebRequest) {
  const app = w.application!;
  const l = w.services.lists.get(app.id, w.params.id!);
  const form = readForm(w);
  try {
    const after = w.services.lists.update(app.id, l.id, { name: form.name, description: form.description });
    recordChange(w, 'list.updated', { type: 'list', id: l.id, detail: { name: after.name, application_id: app.id } });
    w.flash(`List ${after.name} saved.`);
    return redirect(onePath(w, l));
  } catch (err) {
    return listPage(w, l, errorsFor(err, { name: 'name', description: 'description' }), statusOf(err), { name: form.name, description: form.description });
  }
}

async function addItems(w: WebRequest) {
  const app = w.application!;
  const l = w.services.lists.get(app.id, w.params.id!);
  const text = w.form.get('items') ?? '';
  const items = lines(text);
  try {
    const { added } = w.services.lists.addItems(app.id, l.id, { items: items.values });
    recordChange(w, 'list.items_added', { type: 'list', id: l.id, detail: { name: l.name, added, application_id: app.id } });
    w.flash(`${added} item${added === 1 ? '' : 's'} added${added < items.values.length ? ' (the others were there already)' : ''}.`);
    return redirect(onePath(w, l));
  } catch (err) {
    return listPage(w, l, errorsFor(err, itemTargets(items)), statusOf(err), { items: text });
  }
}

async function removeItem(w: WebRequest) {
  const app = w.application!;
  const l = w.services.lists.get(app.id, w.params.id!);
  const item = w.form.get('item') ?? '';
  const { removed } = w.services.lists.removeItems(app.id, l.id, { items: [item] });
  recordChange(w, 'list.items_removed', { type: 'list', id: l.id, detail: { name: l.name, items: [item], removed, application_id: app.id } });
  w.flash(removed ? `${item} removed.` : `${item} was not in the list.`);
  return redirect(onePath(w, l));
}

async function remove(w: WebRequest) {
  const app = w.application!;
  const l = w.services.lists.get(app.id, w.params.id!);
  try {
    w.services.lists.delete(app.id, l.id);
  } catch (err) {
    return indexPage(w, errorsFor(err, {}), statusOf(err));
  }
  recordChange(w, 'list.deleted', { type: 'list', id: l.id, detail: { name: l.name, application_id: app.id } });
  w.flash(`List ${l.name} deleted.`);
  return redirect(listPath(w));
}

export const LIST_ROUTES = [
  get('/dashboard/apps/:app/lists', 'member', (w) => indexPage(w)),
  get('/dashboard/apps/:app/lists/new', 'member', (w) => newPage(w, { name: '', type: 'domain', description: '', items: '' })),
  post('/dashboard/apps/:app/lists', 'member', create),
  get('/dashboard/apps/:app/lists/:id', 'member', (w) => listPage(w, w.services.lists.get(w.application!.id, w.params.id!))),
  post('/dashboard/apps/:app/lists/:id', 'member', rename),
  post('/dashboard/apps/:app/lists/:id/items', 'member', addItems),
  post('/dashboard/apps/:app/lists/:id/items/remove', 'member', removeItem),
  post('/dashboard/apps/:app/lists/:id/delete', 'member', remove),
];
