// Folders over the REST API: list, create, get, rename/move, delete — and IMAP seeing the same
// folders with the same ids.
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { api, apiKey, masked } from '../helpers/api.js';
import { PASSWORD, type TestGateway, startTestGateway } from '../helpers/gateway.js';

function imap(g: TestGateway, user: string): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port: g.ports.imaps,
    secure: true,
    auth: { user, pass: PASSWORD },
    tls: { rejectUnauthorized: false },
    logger: false,
  });
}

async function setup() {
  const g = await startTestGateway();
  const account = await g.account('sales');
  const key = apiKey(g);
  const base = `/v3/grants/${account.id}/folders`;
  return { g, account, key, base };
}

const SYSTEM = ['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash'];

const folder = (name: string, extra: Record<string, unknown> = {}) => ({
  id: '<id>',
  grant_id: '<id>',
  object: 'folder',
  name,
  parent_id: null,
  system_folder: false,
  attributes: ['\\HasNoChildren'],
  total_count: 0,
  unread_count: 0,
  child_count: 0,
  ...extra,
});

describe('GET /v3/grants/:grantId/folders', () => {
  it('lists the six system folders of a new account, with their special use', async () => {
    const { g, key, base, account } = await setup();
    const res = await api(g, key, 'GET', base);
    expect(res.status).toBe(200);
    expect(masked(res.body)).toEqual({
      request_id: '<id>',
      next_cursor: null,
      data: [
        folder('Archive', { system_folder: true, attributes: ['\\Archive', '\\HasNoChildren'] }),
        folder('Drafts', { system_folder: true, attributes: ['\\Drafts', '\\HasNoChildren'] }),
        folder('INBOX', { system_folder: true, attributes: ['\\Inbox', '\\HasNoChildren'] }),
        folder('Junk', { system_folder: true, attributes: ['\\Junk', '\\HasNoChildren'] }),
        folder('Sent', { system_folder: true, attributes: ['\\Sent', '\\HasNoChildren'] }),
        folder('Trash', { system_folder: true, attributes: ['\\Trash', '\\HasNoChildren'] }),
      ],
    });
    for (const f of res.body.data) {
      expect(f.grant_id).toBe(account.id);
      expect(f.id).toMatch(/^\d+$/);
    }
    // The hosted API's paging parameters are accepted (one page holds every folder).
    const paged = await api(g, key, 'GET', `${base}?limit=2&page_token=x`);
    expect(paged.status).toBe(200);
    expect(paged.body.data).toHaveLength(6);
  });

  it('counts messages and unread messages', async () => {
    const { g, key, base, account } = await setup();
    const { store } = g.gateway.services;
    const inbox = store.mail.getMailbox(account.id, 'INBOX')!;
    for (const flags of [[], ['\\Seen'], []]) {
      g.gateway.pipeline.append(account, inbox, Buffer.from('Subject: hi\r\n\r\nbody\r\n'), { flags });
    }
    const res = await api(g, key, 'GET', `${base}/INBOX`);
    expect(res.body.data).toMatchObject({ name: 'INBOX', total_count: 3, unread_count: 2 });
  });

  it('answers 401 without a key and 404 for an unknown grant or another application\'s grant', async () => {
    const { g, key } = await setup();
    expect((await api(g, null, 'GET', '/v3/grants/nope/folders')).status).toBe(401);
    const unknown = await api(g, key, 'GET', '/v3/grants/nope/folders');
    expect(unknown.status).toBe(404);
    expect(masked(unknown.body)).toEqual({ request_id: '<id>', error: { type: 'api.not_found_error', message: 'grant nope not found' } });
  });
});

describe('POST /v3/grants/:grantId/folders', () => {
  it('creates a folder, also by path and under a parent_id, and IMAP LIST shows them', async () => {
    const { g, key, base, account } = await setup();
    const created = await api(g, key, 'POST', base, { name: 'Clients' });
    expect(created.status).toBe(200);
    expect(masked(created.body)).toEqual({ request_id: '<id>', data: folder('Clients') });
    const clients = created.body.data.id as string;

    const child = await api(g, key, 'POST', base, { name: 'Acme', parent_id: clients });
    expect(child.status).toBe(200);
    expect(masked(child.body.data)).toEqual(folder('Clients/Acme', { parent_id: '<id>' }));
    expect(child.body.data.parent_id).toBe(clients);

    // A parent named by name; a path that needs a placeholder parent.
    const byName = await api(g, key, 'POST', base, { name: 'Globex', parent_id: 'Clients' });
    expect(byName.body.data).toMatchObject({ name: 'Clients/Globex', parent_id: clients });
    const deep = await api(g, key, 'POST', base, { name: 'Projects/2026/Q1' });
    expect(deep.status).toBe(200);
    expect(deep.body.data.name).toBe('Projects/2026/Q1');

    const parent = await api(g, key, 'GET', `${base}/${clients}`);
    expect(parent.body.data).toMatchObject({ child_count: 2, attributes: ['\\HasChildren'] });
    // Parents made on the way are real (selectable) folders, as IMAP CREATE makes them.
    const projects = await api(g, key, 'GET', `${base}/Projects`);
    expect(projects.body.data).toMatchObject({ name: 'Projects', child_count: 1, attributes: ['\\HasChildren'] });

    const client = imap(g, account.email);
    await client.connect();
    const names = (await client.list()).map((m) => m.path).sort();
    await client.logout();
    expect(names).toEqual(
      ['Archive', 'Clients', 'Clients/Acme', 'Clients/Globex', 'Drafts', 'INBOX', 'Junk', 'Projects', 'Projects/2026', 'Projects/2026/Q1', 'Sent', 'Trash'].sort(),
    );
  });

  it('refuses an existing name (409), a system name, a bad name, an unknown parent and a bad body', async () => {
    const { g, key, base } = await setup();
    await api(g, key, 'POST', base, { name: 'Clients' });
    const cases: [unknown, number, string, string][] = [
      [{ name: 'Clients' }, 409, 'api.conflict_error', 'mailbox Clients already exists'],
      [{ name: 'Sent' }, 409, 'api.conflict_error', 'mailbox Sent already exists'],
      [{ name: 'inbox' }, 409, 'api.conflict_error', 'mailbox INBOX already exists'],
      [{ name: 'sent' }, 409, 'api.conflict_error', 'sent is reserved: it differs from the system folder Sent only in case'],
      [{ name: 'a//b' }, 400, 'api.invalid_request_error', 'the mailbox name has an empty level (leading, trailing or double "/")'],
      [{ name: 'x*' }, 400, 'api.invalid_request_error', 'the mailbox name contains a wildcard (* or %)'],
      [{ name: 'x', parent_id: '999999' }, 404, 'api.not_found_error', 'parent folder 999999 not found'],
      [{}, 400, 'api.invalid_request_error', 'name: name is required: the folder name'],
      [{ name: '' }, 400, 'api.invalid_request_error', 'name: name must not be empty'],
      [{ name: 'x', color: 'red' }, 400, 'api.invalid_request_error', 'body: Unrecognized key: "color"'],
    ];
    for (const [body, status, type, message] of cases) {
      const res = await api(g, key, 'POST', base, body);
      expect({ body, status: res.status, answer: masked(res.body) }).toEqual({ body, status, answer: { request_id: '<id>', error: { type, message } } });
    }
    const none = await api(g, key, 'POST', base);
    expect(none.status).toBe(400);
    expect(none.body.error.type).toBe('api.invalid_request_payload');
    const broken = await api(g, key, 'POST', base, '{"name":', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.type).toBe('api.invalid_request_payload');
  });
});

describe('GET /v3/grants/:grantId/folders/:folderId', () => {
  it('finds a folder by id or by name (system names in any case)', async () => {
    const { g, key, base, account } = await setup();
    const sent = g.gateway.services.store.mail.getMailbox(account.id, 'Sent')!;
    for (const ref of [String(sent.id), 'Sent', 'sent', 'SENT']) {
      const res = await api(g, key, 'GET', `${base}/${ref}`);
      expect(res.status).toBe(200);
      expect(masked(res.body)).toEqual({ request_id: '<id>', data: folder('Sent', { system_folder: true, attributes: ['\\Sent', '\\HasNoChildren'] }) });
      expect(res.body.data.id).toBe(String(sent.id));
    }
    const inbox = await api(g, key, 'GET', `${base}/inbox`);
    expect(inbox.body.data.name).toBe('INBOX');
    await api(g, key, 'POST', base, { name: 'Clients/Acme' });
    const nested = await api(g, key, 'GET', `${base}/${encodeURIComponent('Clients/Acme')}`);
    expect(nested.status).toBe(200);
    expect(nested.body.data.name).toBe('Clients/Acme');
    // User folders are matched exactly.
    expect((await api(g, key, 'GET', `${base}/clients`)).status).toBe(404);
    // An IMAP client may make "drafts" beside "Drafts": its exact name finds it.
    g.gateway.services.mailboxes.create(account.id, 'drafts');
    expect((await api(g, key, 'GET', `${base}/drafts`)).body.data).toMatchObject({ name: 'drafts', system_folder: false });
    expect((await api(g, key, 'GET', `${base}/DRAFTS`)).body.data).toMatchObject({ name: 'Drafts', system_folder: true });
  });

  it('answers 404 for an unknown folder and for a folder of another grant', async () => {
    const { g, key, base } = await setup();
    const other = await g.account('support');
    const theirs = g.gateway.services.store.mail.getMailbox(other.id, 'Sent')!;
    for (const ref of ['999999', 'Nope', String(theirs.id)]) {
      const res = await api(g, key, 'GET', `${base}/${ref}`);
      expect(res.status).toBe(404);
      expect(masked(res.body)).toEqual({ request_id: '<id>', error: { type: 'api.not_found_error', message: `folder ${ref} not found` } });
    }
    // Another grant's folder is not reachable through any folder route.
    expect((await api(g, key, 'PUT', `${base}/${theirs.id}`, { name: 'X' })).status).toBe(404);
    expect((await api(g, key, 'DELETE', `${base}/${theirs.id}`)).status).toBe(404);
    expect((await api(g, key, 'GET', `/v3/grants/nope/folders/INBOX`)).status).toBe(404);
  });
});

describe('PUT /v3/grants/:grantId/folders/:folderId', () => {
  it('renames in place, moves under a parent and to the top level, keeping ids; children follow', async () => {
    const { g, key, base, account } = await setup();
    const clients = (await api(g, key, 'POST', base, { name: 'Clients' })).body.data;
    const acme = (await api(g, key, 'POST', base, { name: 'Clients/Acme' })).body.data;
    const sub = (await api(g, key, 'POST', base, { name: 'Clients/Acme/Invoices' })).body.data;

    // A name without "/": the last level, in place.
    const renamed = await api(g, key, 'PUT', `${base}/${acme.id}`, { name: 'Acme Corp' });
    expect(renamed.status).toBe(200);
    expect(masked(renamed.body)).toEqual({
      request_id: '<id>',
      data: folder('Clients/Acme Corp', { parent_id: '<id>', child_count: 1, attributes: ['\\HasChildren'] }),
    });
    expect(renamed.body.data).toMatchObject({ id: acme.id, parent_id: clients.id });
    expect((await api(g, key, 'GET', `${base}/${sub.id}`)).body.data).toMatchObject({ name: 'Clients/Acme Corp/Invoices', parent_id: acme.id });

    // parent_id: null moves it to the top level, keeping its last level.
    const top = await api(g, key, 'PUT', `${base}/${acme.id}`, { parent_id: null });
    expect(top.body.data).toMatchObject({ id: acme.id, name: 'Acme Corp', parent_id: null });
    // A full path.
    const path = await api(g, key, 'PUT', `${base}/${acme.id}`, { name: 'Archive/2026/Acme' });
    expect(path.body.data).toMatchObject({ id: acme.id, name: 'Archive/2026/Acme' });
    // parent_id (by id) with a new name.
    const moved = await api(g, key, 'PUT', `${base}/${acme.id}`, { name: 'ACME', parent_id: clients.id });
    expect(moved.body.data).toMatchObject({ id: acme.id, name: 'Clients/ACME', parent_id: clients.id });
    // Nothing to change: the folder as it is.
    const same = await api(g, key, 'PUT', `${base}/${acme.id}`, {});
    expect(same.body.data).toMatchObject({ id: acme.id, name: 'Clients/ACME' });
    expect((await api(g, key, 'PUT', `${base}/${acme.id}`, { name: 'ACME' })).body.data.name).toBe('Clients/ACME');

    const client = imap(g, account.email);
    await client.connect();
    const names = (await client.list()).map((m) => m.path);
    await client.logout();
    expect(names).toContain('Clients/ACME/Invoices');
    expect(names).not.toContain('Clients/Acme');
  });

  it('protects system folders and refuses conflicts, moves into itself and bad bodies', async () => {
    const { g, key, base } = await setup();
    const a = (await api(g, key, 'POST', base, { name: 'A' })).body.data;
    await api(g, key, 'POST', base, { name: 'A/B' });
    await api(g, key, 'POST', base, { name: 'C' });
    const cases: [string, unknown, number, string, string][] = [
      ['Sent', { name: 'Sent2' }, 400, 'api.invalid_request_error', 'Sent is a system folder and cannot be renamed or moved'],
      ['inbox', { name: 'Old' }, 400, 'api.invalid_request_error', 'INBOX is a system folder and cannot be renamed or moved'],
      ['Trash', { parent_id: a.id }, 400, 'api.invalid_request_error', 'Trash is a system folder and cannot be renamed or moved'],
      [a.id, { name: 'C' }, 409, 'api.conflict_error', 'mailbox C already exists'],
      [a.id, { name: 'Junk' }, 409, 'api.conflict_error', 'mailbox Junk already exists'],
      [a.id, { name: 'TRASH' }, 409, 'api.conflict_error', 'TRASH is reserved: it differs from the system folder Trash only in case'],
      [a.id, { parent_id: 'A/B' }, 400, 'api.invalid_request_error', 'cannot move A into itself'],
      [a.id, { parent_id: 'Nope' }, 404, 'api.not_found_error', 'parent folder Nope not found'],
      [a.id, { name: 'x%' }, 400, 'api.invalid_request_error', 'the mailbox name contains a wildcard (* or %)'],
      [a.id, { name: 5 }, 400, 'api.invalid_request_error', 'name: name must be a string'],
      [a.id, { id: '1' }, 400, 'api.invalid_request_error', 'body: Unrecognized key: "id"'],
      ['999999', { name: 'Z' }, 404, 'api.not_found_error', 'folder 999999 not found'],
    ];
    for (const [ref, body, status, type, message] of cases) {
      const res = await api(g, key, 'PUT', `${base}/${ref}`, body);
      expect({ ref, body, status: res.status, answer: masked(res.body) }).toEqual({ ref, body, status, answer: { request_id: '<id>', error: { type, message } } });
    }
    const none = await api(g, key, 'PUT', `${base}/${a.id}`);
    expect(none.status).toBe(400);
    expect(none.body.error.type).toBe('api.invalid_request_payload');
  });

  it('sees a folder created and renamed over IMAP, with the same id after the rename', async () => {
    const { g, key, base, account } = await setup();
    const client = imap(g, account.email);
    await client.connect();
    await client.mailboxCreate('Projects');
    const before = (await api(g, key, 'GET', base)).body.data.find((f: { name: string }) => f.name === 'Projects');
    expect(masked(before)).toEqual(folder('Projects'));
    await client.mailboxRename('Projects', 'Work/Projects');
    await client.logout();
    const after = await api(g, key, 'GET', `${base}/${before.id}`);
    expect(after.status).toBe(200);
    expect(after.body.data).toMatchObject({ id: before.id, name: 'Work/Projects' });
    expect(after.body.data.parent_id).toBe((await api(g, key, 'GET', `${base}/Work`)).body.data.id);
  });
});

describe('DELETE /v3/grants/:grantId/folders/:folderId', () => {
  it('deletes a folder and its messages; IMAP no longer lists it', async () => {
    const { g, key, base, account } = await setup();
    const created = (await api(g, key, 'POST', base, { name: 'Old' })).body.data;
    const { store } = g.gateway.services;
    g.gateway.pipeline.append(account, store.mail.getMailboxById(account.id, Number(created.id))!, Buffer.from('Subject: x\r\n\r\nx\r\n'), { flags: [] });
    const res = await api(g, key, 'DELETE', `${base}/${created.id}`);
    expect(res.status).toBe(200);
    expect(masked(res.body)).toEqual({ request_id: '<id>' });
    expect((await api(g, key, 'GET', `${base}/${created.id}`)).status).toBe(404);
    expect(store.mail.getMailbox(account.id, 'Old')).toBeUndefined();

    const client = imap(g, account.email);
    await client.connect();
    const names = (await client.list()).map((m) => m.path);
    await client.logout();
    expect(names).not.toContain('Old');
  });

  it('keeps a deleted parent as a \\Noselect placeholder (same id) while it has children', async () => {
    const { g, key, base } = await setup();
    const parent = (await api(g, key, 'POST', base, { name: 'P' })).body.data;
    const child = (await api(g, key, 'POST', base, { name: 'P/C' })).body.data;
    expect((await api(g, key, 'DELETE', `${base}/P`)).status).toBe(200);
    const placeholder = await api(g, key, 'GET', `${base}/${parent.id}`);
    expect(masked(placeholder.body.data)).toEqual(folder('P', { attributes: ['\\Noselect', '\\HasChildren'], child_count: 1 }));
    // A placeholder cannot be renamed or deleted while it has children.
    const rename = await api(g, key, 'PUT', `${base}/${parent.id}`, { name: 'Q' });
    expect(rename.status).toBe(400);
    expect(rename.body.error.message).toBe('P is a placeholder for its subfolders (\\Noselect): create it first, or rename the subfolders');
    const again = await api(g, key, 'DELETE', `${base}/${parent.id}`);
    expect(masked(again.body)).toEqual({ request_id: '<id>', error: { type: 'api.invalid_request_error', message: 'P has child mailboxes; delete them first' } });
    // Creating it again makes it a real folder, with the same id.
    const revived = await api(g, key, 'POST', base, { name: 'P' });
    expect(revived.body.data).toMatchObject({ id: parent.id, attributes: ['\\HasChildren'], total_count: 0 });
    // Deleting the last child of a placeholder removes the placeholder too.
    expect((await api(g, key, 'DELETE', `${base}/P`)).status).toBe(200);
    expect((await api(g, key, 'DELETE', `${base}/${child.id}`)).status).toBe(200);
    expect((await api(g, key, 'GET', `${base}/${parent.id}`)).status).toBe(404);
  });

  it('refuses to delete a system folder', async () => {
    const { g, key, base } = await setup();
    for (const name of ['INBOX', 'Sent', 'Drafts', 'Trash', 'Junk', 'Archive']) {
      const res = await api(g, key, 'DELETE', `${base}/${name.toLowerCase()}`);
      expect(masked(res.body)).toEqual({ request_id: '<id>', error: { type: 'api.invalid_request_error', message: `${name} is a system folder and cannot be deleted` } });
      expect(res.status).toBe(400);
    }
    expect((await api(g, key, 'GET', base)).body.data.map((f: { name: string }) => f.name)).toEqual(SYSTEM);
  });
});
