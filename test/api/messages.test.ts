// Messages over the REST API against the whole gateway on port 0: the message object, every
// list filter, cursor pages under concurrent inserts, get / raw / attachment download, PUT
// (flags and moves, seen by IMAP at once and the other way round), DELETE, threads, bad input.
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/store/types.js';
import { api, apiKey, masked } from '../helpers/api.js';
import { PASSWORD, type TestGateway, startTestGateway } from '../helpers/gateway.js';

const PEER = { address: '192.0.2.1', helo: 'remote.example', protocol: 'ESMTP', tls: null };

/** Delivers a message from the world to `to`, as the MX listener would. */
async function arrive(g: TestGateway, to: Account, raw: string): Promise<void> {
  await g.gateway.pipeline.deliver(
    { kind: 'inbound', peer: PEER },
    { mailFrom: 'alice@remote.example', recipients: [{ address: to.email, dsn: null }] },
    Buffer.from(raw.replace(/\r?\n/g, '\r\n'), 'utf8'),
  );
}

function simple(subject: string, opts: { from?: string; to?: string; cc?: string; messageId?: string; inReplyTo?: string; body?: string } = {}): string {
  return [
    `From: ${opts.from ?? 'Alice Example <alice@remote.example>'}`,
    `To: ${opts.to ?? 'sales@agents.example.com'}`,
    ...(opts.cc ? [`Cc: ${opts.cc}`] : []),
    `Subject: ${subject}`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0000',
    `Message-ID: ${opts.messageId ?? `<${subject.replace(/\W/g, '')}.${Math.random().toString(36).slice(2)}@remote.example>`}`,
    ...(opts.inReplyTo ? [`In-Reply-To: ${opts.inReplyTo}`, `References: ${opts.inReplyTo}`] : []),
    '',
    opts.body ?? `The body of ${subject}.`,
    '',
  ].join('\r\n');
}

const PDF = Buffer.from('%PDF-1.4 pretend pdf \x00\x01\x02 bytes', 'latin1');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

const NESTED = [
  'From: "Alice Example" <alice@remote.example>',
  'To: "Sales" <sales@agents.example.com>, bob@agents.example.com',
  'Cc: carol@remote.example',
  'Reply-To: replies@remote.example',
  'Subject: =?UTF-8?Q?Quarterly_r=C3=A9port?=',
  'Date: Mon, 23 Nov 2026 10:00:00 +0100',
  'Message-ID: <nested-1@remote.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  '--outer',
  'Content-Type: multipart/related; boundary="rel"',
  '',
  '--rel',
  'Content-Type: multipart/alternative; boundary="inner"',
  '',
  '--inner',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Hello, the r=C3=A9port is attached.',
  '--inner',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>Hello, the r&eacute;port is attached. <img src="cid:logo@remote"></p>',
  '--inner--',
  '',
  '--rel',
  'Content-Type: image/png',
  'Content-ID: <logo@remote>',
  'Content-Transfer-Encoding: base64',
  '',
  PNG.toString('base64'),
  '--rel--',
  '',
  '--outer',
  'Content-Type: application/pdf; name="report.pdf"',
  'Content-Disposition: attachment; filename="=?UTF-8?Q?r=C3=A9port.pdf?="',
  'Content-Transfer-Encoding: base64',
  '',
  PDF.toString('base64'),
  '--outer--',
  '',
].join('\r\n');

async function setup() {
  const g = await startTestGateway();
  const key = apiKey(g);
  const sales = await g.account('sales', { name: 'Sales Agent' });
  const bob = await g.account('bob');
  const folderId = (account: Account, name: string) => String(g.gateway.services.store.mail.getMailbox(account.id, name)!.id);
  const list = async (query = '', account = sales) => {
    const res = await api(g, key, 'GET', `/v3/grants/${account.id}/messages${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { data: any[]; next_cursor: string | null };
  };
  return { g, key, sales, bob, folderId, list };
}

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

describe('GET /v3/grants/{id}/messages', () => {
  it('answers the message object of the hosted API, with body, snippet and attachments', async () => {
    const { g, sales, folderId, list } = await setup();
    await arrive(g, sales, NESTED);
    const page = await list();
    expect(page.next_cursor).toBeNull();
    expect(page.data).toHaveLength(1);
    const message = page.data[0];
    expect(message.id).toMatch(/^[0-9a-f]{16}$/);
    expect(message.thread_id).toMatch(/^[0-9a-f]{16}$/);
    expect(message.grant_id).toBe(sales.id);
    expect(message.folders).toEqual([folderId(sales, 'INBOX')]);
    expect(Math.abs(message.date - Date.now() / 1000)).toBeLessThan(60);
    expect(masked(message)).toEqual({
      id: '<id>',
      grant_id: '<id>',
      object: 'message',
      thread_id: '<id>',
      subject: 'Quarterly réport',
      from: [{ name: 'Alice Example', email: 'alice@remote.example' }],
      to: [
        { name: 'Sales', email: 'sales@agents.example.com' },
        { name: '', email: 'bob@agents.example.com' },
      ],
      cc: [{ name: '', email: 'carol@remote.example' }],
      bcc: [],
      reply_to: [{ name: '', email: 'replies@remote.example' }],
      date: '<time>',
      snippet: 'Hello, the réport is attached.',
      body: '<p>Hello, the r&eacute;port is attached. <img src="cid:logo@remote"></p>',
      unread: true,
      starred: false,
      folders: [folderId(sales, 'INBOX')],
      attachments: [
        { id: '<id>', grant_id: '<id>', filename: '', content_type: 'image/png', size: PNG.length, is_inline: true, content_id: '<id>' },
        { id: '<id>', grant_id: '<id>', filename: 'réport.pdf', content_type: 'application/pdf', size: PDF.length, is_inline: false },
      ],
    });
    expect(message.attachments.map((a: { id: string }) => a.id)).toEqual([`${message.id}_1.2`, `${message.id}_2`]);
    expect(message.attachments[0].content_id).toBe('logo@remote');
  });

  it('a plain-text message: the body is the text, the snippet its first 200 characters', async () => {
    const { g, sales, list } = await setup();
    const long = `${'word '.repeat(60)}\r\n\r\n${'more '.repeat(10)}`;
    await arrive(g, sales, simple('long one', { body: long }));
    const [message] = (await list()).data;
    expect(message.body).toBe(long);
    expect(message.snippet).toBe('word '.repeat(40).trim());
    expect(message.snippet.length).toBeLessThanOrEqual(200);
  });

  it('lists newest first and pages with next_cursor; limit defaults to 50, at most 200', async () => {
    const { g, key, sales, list } = await setup();
    for (let i = 1; i <= 7; i++) await arrive(g, sales, simple(`number ${i}`));
    const subjects: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { data: any[]; next_cursor: string | null } = await list(`?limit=3${cursor ? `&page_token=${cursor}` : ''}`);
      subjects.push(...page.data.map((m) => m.subject));
      cursor = page.next_cursor;
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(subjects).toEqual(['number 7', 'number 6', 'number 5', 'number 4', 'number 3', 'number 2', 'number 1']);
    expect((await list()).data).toHaveLength(7);
    // An exact fit ends without an empty extra page.
    expect((await list('?limit=7')).next_cursor).toBeNull();
    for (const bad of ['?limit=0', '?limit=201', '?limit=abc', '?page_token=nonsense', '?page_token=bTE6MTI6MzQ6NTY']) {
      const res = await api(g, key, 'GET', `/v3/grants/${sales.id}/messages${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.type).toBe('api.invalid_request_error');
    }
    expect((await api(g, key, 'GET', `/v3/grants/${sales.id}/messages?limit=200`)).status).toBe(200);
  });

  it('pages stay stable while messages arrive: no duplicates, no older message skipped', async () => {
    const { g, sales, list } = await setup();
    for (let i = 1; i <= 20; i++) await arrive(g, sales, simple(`old ${i}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const page: { data: any[]; next_cursor: string | null } = await list(`?limit=4${cursor ? `&page_token=${cursor}` : ''}`);
      seen.push(...page.data.map((m) => m.subject));
      cursor = page.next_cursor;
      // New mail while the client pages, several per page.
      await Promise.all([arrive(g, sales, simple(`new ${round}a`)), arrive(g, sales, simple(`new ${round}b`))]);
      round++;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => `old ${20 - i}`));
    expect((await list('?limit=200')).data).toHaveLength(20 + 2 * round);
  });

  it('filters: subject, from, to, cc, any_email, in (id or name), unread, starred, thread_id', async () => {
    const { g, key, sales, folderId, list } = await setup();
    await arrive(g, sales, simple('Invoice March', { from: 'billing@vendor.example' }));
    await arrive(g, sales, simple('invoice april', { from: 'Billing <BILLING@vendor.example>', cc: 'audit@vendor.example' }));
    await arrive(g, sales, simple('Lunch?', { from: 'dave@friends.example', to: 'sales@agents.example.com, team@agents.example.com' }));
    const subjects = async (query: string) => (await list(query)).data.map((m) => m.subject).sort();
    expect(await subjects('?subject=invoice')).toEqual(['Invoice March', 'invoice april']);
    expect(await subjects('?subject=INVOICE%20APRIL')).toEqual(['invoice april']);
    expect(await subjects('?subject=%25')).toEqual([]);
    expect(await subjects('?from=billing@vendor.example')).toEqual(['Invoice March', 'invoice april']);
    expect(await subjects('?from=nobody@x.example,dave@friends.example')).toEqual(['Lunch?']);
    expect(await subjects('?to=team@agents.example.com')).toEqual(['Lunch?']);
    expect(await subjects('?cc=audit@vendor.example')).toEqual(['invoice april']);
    expect(await subjects('?any_email=audit@vendor.example,team@agents.example.com')).toEqual(['Lunch?', 'invoice april']);
    expect(await subjects('?any_email=sales@agents.example.com')).toHaveLength(3);

    const [lunch] = (await list('?subject=lunch')).data;
    await api(g, key, 'PUT', `/v3/grants/${sales.id}/messages/${lunch.id}`, { unread: false, starred: true });
    expect(await subjects('?unread=true')).toEqual(['Invoice March', 'invoice april']);
    expect(await subjects('?unread=false')).toEqual(['Lunch?']);
    expect(await subjects('?starred=true')).toEqual(['Lunch?']);
    expect(await subjects('?starred=0')).toEqual(['Invoice March', 'invoice april']);

    await api(g, key, 'PUT', `/v3/grants/${sales.id}/messages/${lunch.id}`, { folders: ['Archive'] });
    expect(await subjects(`?in=${folderId(sales, 'Archive')}`)).toEqual(['Lunch?']);
    expect(await subjects('?in=archive')).toEqual(['Lunch?']);
    expect(await subjects('?in=INBOX')).toEqual(['Invoice March', 'invoice april']);
    expect(await subjects('?in=inbox&from=billing@vendor.example&subject=april')).toEqual(['invoice april']);
    expect(await subjects(`?thread_id=${lunch.thread_id}`)).toEqual(['Lunch?']);

    const unknownFolder = await api(g, key, 'GET', `/v3/grants/${sales.id}/messages?in=Nope`);
    expect(unknownFolder.status).toBe(404);
    expect(unknownFolder.body.error).toEqual({ type: 'api.not_found_error', message: 'folder Nope not found' });
    const badBool = await api(g, key, 'GET', `/v3/grants/${sales.id}/messages?unread=maybe`);
    expect(badBool.status).toBe(400);
    expect(badBool.body.error.message).toBe('unread: expected true or false');
    const unknownParam = await api(g, key, 'GET', `/v3/grants/${sales.id}/messages?unred=true`);
    expect(unknownParam.status).toBe(400);
  });

  it('filters: received_before / received_after (Unix seconds), has_attachment', async () => {
    const { g, sales, list } = await setup();
    const { store } = g.gateway.services;
    const inbox = store.mail.getMailbox(sales.id, 'INBOX')!;
    const at = (iso: string, subject: string, raw = simple(subject)) =>
      store.mail.appendMessage(sales.id, inbox.id, { raw: Buffer.from(raw), internalDate: new Date(iso) });
    at('2026-01-01T00:00:00Z', 'january');
    at('2026-02-01T00:00:00Z', 'february', NESTED);
    at('2026-03-01T00:00:00.500Z', 'march');
    const t = (iso: string) => Date.parse(iso) / 1000;
    const subjects = async (query: string) => (await list(query)).data.map((m) => m.subject);
    expect(await subjects(`?received_before=${t('2026-02-01T00:00:00Z')}`)).toEqual(['january']);
    expect(await subjects(`?received_after=${t('2026-02-01T00:00:00Z')}`)).toEqual(['march']);
    expect(await subjects(`?received_after=${t('2026-01-15T00:00:00Z')}&received_before=${t('2026-03-01T00:00:00Z')}`)).toEqual(['Quarterly réport']);
    expect(await subjects(`?received_after=${t('2026-03-01T00:00:00Z')}`)).toEqual([]);
    expect(await subjects('?has_attachment=true')).toEqual(['Quarterly réport']);
    expect(await subjects('?has_attachment=false')).toEqual(['march', 'january']);
  });

  it('search_query_native takes IMAP SEARCH criteria, and pages through what matches', async () => {
    const { g, key, sales, list } = await setup();
    for (let i = 1; i <= 6; i++) await arrive(g, sales, simple(`report ${i}`, { body: i % 2 ? 'contains the word zebra' : 'nothing here' }));
    await arrive(g, sales, simple('other', { from: 'mallory@evil.example' }));
    const q = (s: string) => `?search_query_native=${encodeURIComponent(s)}`;
    const subjects = async (query: string) => (await list(query)).data.map((m) => m.subject);
    expect(await subjects(q('BODY zebra'))).toEqual(['report 5', 'report 3', 'report 1']);
    expect(await subjects(q('FROM mallory'))).toEqual(['other']);
    expect(await subjects(q('OR FROM mallory SUBJECT "report 2"'))).toEqual(['other', 'report 2']);
    expect(await subjects(q('NOT BODY zebra UNSEEN') + '&subject=report')).toEqual(['report 6', 'report 4', 'report 2']);
    const first = await list(`${q('BODY zebra')}&limit=2`);
    expect(first.data.map((m) => m.subject)).toEqual(['report 5', 'report 3']);
    const second = await list(`${q('BODY zebra')}&limit=2&page_token=${first.next_cursor}`);
    expect(second.data.map((m) => m.subject)).toEqual(['report 1']);
    expect(second.next_cursor).toBeNull();
    for (const bad of ['FROM', 'BOGUS x', '1:3', 'UID 1:*', '']) {
      const res = await api(g, key, 'GET', `/v3/grants/${sales.id}/messages${q(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.message).toMatch(/^search_query_native: /);
    }
  });

  it('fields=include_headers adds the header fields; select keeps the named fields only', async () => {
    const { g, sales, list } = await setup();
    await arrive(g, sales, simple('with headers'));
    const [withHeaders] = (await list('?fields=include_headers')).data;
    expect(withHeaders.headers).toEqual(
      expect.arrayContaining([
        { name: 'Subject', value: 'with headers' },
        { name: 'Return-Path', value: '<alice@remote.example>' },
      ]),
    );
    const [selected] = (await list('?select=id,subject,unread')).data;
    expect(Object.keys(selected).sort()).toEqual(['id', 'subject', 'unread']);
  });

  it('lists a message that arrived over SMTP at the MX listener', async () => {
    const { g, list } = await setup();
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: g.ports.mx, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from: '"Remote Person" <person@remote.example>',
      to: 'sales@agents.example.com',
      subject: 'over SMTP',
      text: 'sent with nodemailer',
      attachments: [{ filename: 'notes.txt', content: 'some notes' }],
    });
    transport.close();
    const [message] = (await list()).data;
    expect(message).toMatchObject({
      subject: 'over SMTP',
      from: [{ name: 'Remote Person', email: 'person@remote.example' }],
      body: 'sent with nodemailer',
      attachments: [{ filename: 'notes.txt', content_type: 'text/plain', size: 10, is_inline: false }],
    });
  });
});

describe('GET /v3/grants/{id}/messages/{id}, raw, attachments', () => {
  it('gets one message; raw and fields=raw_mime give the bytes exactly as stored', async () => {
    const { g, key, sales } = await setup();
    await arrive(g, sales, NESTED);
    const { store } = g.gateway.services;
    const record = store.mail.listMessages(store.mail.getMailbox(sales.id, 'INBOX')!.id)[0]!;
    const stored = store.mail.readMessage(record.id)!;
    const one = await api(g, key, 'GET', `/v3/grants/${sales.id}/messages/${record.publicId}`);
    expect(one.status).toBe(200);
    expect(one.body.data.id).toBe(record.publicId);
    expect(one.body.data.subject).toBe('Quarterly réport');

    const res = await fetch(`http://127.0.0.1:${g.ports.http}/v3/grants/${sales.id}/messages/${record.publicId}/raw`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('message/rfc822');
    expect(Buffer.from(await res.arrayBuffer()).equals(stored)).toBe(true);

    const rawMime = await api(g, key, 'GET', `/v3/grants/${sales.id}/messages/${record.publicId}?fields=raw_mime`);
    expect(Object.keys(rawMime.body.data).sort()).toEqual(['grant_id', 'id', 'object', 'raw_mime']);
    expect(Buffer.from(rawMime.body.data.raw_mime, 'base64url').equals(stored)).toBe(true);
  });

  it('downloads an attachment with its content type and file name', async () => {
    const { g, key, sales, list } = await setup();
    await arrive(g, sales, NESTED);
    const [message] = (await list()).data;
    const [logo, pdf] = message.attachments;
    const download = (id: string, query = `?message_id=${message.id}`) =>
      fetch(`http://127.0.0.1:${g.ports.http}/v3/grants/${sales.id}/attachments/${id}/download${query}`, {
        headers: { authorization: `Bearer ${key}` },
      });
    const res = await download(pdf.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="r_port.pdf"; filename*=UTF-8''r%C3%A9port.pdf`);
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    const image = await download(logo.id, '');
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);
    for (const [id, query] of [
      [`${message.id}_9`, ''],
      [pdf.id, '?message_id=0000000000000000'],
      ['not-an-attachment', ''],
      [`0000000000000000_2`, ''],
    ] as const) {
      const missing = await download(id, query);
      expect(missing.status, id).toBe(404);
      expect(((await missing.json()) as any).error.type).toBe('api.not_found_error');
    }
  });

  it('unknown grant, unknown message and a message of another grant are 404', async () => {
    const { g, key, sales, bob } = await setup();
    await arrive(g, bob, simple('for bob', { to: 'bob@agents.example.com' }));
    const { store } = g.gateway.services;
    const bobs = store.mail.listMessages(store.mail.getMailbox(bob.id, 'INBOX')!.id)[0]!;
    const cases: [string, string, unknown?][] = [
      ['GET', `/v3/grants/nope/messages`],
      ['GET', `/v3/grants/nope/messages/${bobs.publicId}`],
      ['GET', `/v3/grants/${sales.id}/messages/${bobs.publicId}`],
      ['GET', `/v3/grants/${sales.id}/messages/${bobs.publicId}/raw`],
      ['PUT', `/v3/grants/${sales.id}/messages/${bobs.publicId}`, { unread: false }],
      ['DELETE', `/v3/grants/${sales.id}/messages/${bobs.publicId}`],
      ['GET', `/v3/grants/${sales.id}/messages/0123456789abcdef`],
      ['GET', `/v3/grants/${sales.id}/attachments/${bobs.publicId}_1/download`],
    ];
    for (const [method, path, body] of cases) {
      const res = await api(g, key, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.type).toBe('api.not_found_error');
    }
    // Another application's key does not see the grant at all.
    const other = g.gateway.services.applications.create('customer-2');
    const theirs = g.gateway.services.apiKeys.create(other.id, 'theirs').secret;
    expect((await api(g, theirs, 'GET', `/v3/grants/${bob.id}/messages/${bobs.publicId}`)).status).toBe(404);
    // Bob's message is untouched.
    expect(store.mail.getMessageByPublicId(bob.id, bobs.publicId)!.flags).toEqual([]);
  });
});

describe('PUT and DELETE /v3/grants/{id}/messages/{id}', () => {
  it('PUT unread/starred sets \\Seen/\\Flagged, seen by an IMAP session at once; IMAP flags show in the API', async () => {
    const { g, key, sales, list } = await setup();
    await arrive(g, sales, simple('flag me'));
    const [message] = (await list()).data;
    const client = imap(g, sales.email);
    await client.connect();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const flagsSeen: Set<string>[] = [];
        client.on('flags', (event: { flags: Set<string> }) => flagsSeen.push(event.flags));
        const put = await api(g, key, 'PUT', `/v3/grants/${sales.id}/messages/${message.id}`, { unread: false, starred: true });
        expect(put.status).toBe(200);
        expect(put.body.data).toMatchObject({ id: message.id, unread: false, starred: true });
        await client.noop();
        expect(flagsSeen.length).toBeGreaterThan(0);
        const fetched = await client.fetchOne('*', { flags: true });
        expect(fetched && [...fetched.flags!].filter((f) => f !== '\\Recent').sort()).toEqual(['\\Flagged', '\\Seen']);

        // The other way: IMAP STORE, then the API.
        await client.messageFlagsRemove('*', ['\\Seen', '\\Flagged']);
        await client.messageFlagsAdd('*', ['\\Answered']);
        const after = await api(g, key, 'GET', `/v3/grants/${sales.id}/messages/${message.id}`);
        expect(after.body.data).toMatchObject({ unread: true, starred: false });
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  });

  it('PUT folders moves the message (same id); IMAP MOVE keeps the id too; IMAP COPY makes a new one', async () => {
    const { g, key, sales, folderId, list } = await setup();
    await arrive(g, sales, NESTED);
    const [message] = (await list()).data;
    const moved = await api(g, key, 'PUT', `/v3/grants/${sales.id}/messages/${message.id}`, { folders: [folderId(sales, 'Archive')] });
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ id: message.id, thread_id: message.thread_id, folders: [folderId(sales, 'Archive')] });
    expect(moved.body.data.attachments.map((a: { id: string }) => a.id)).toEqual(message.attachments.map((a: { id: string }) => a.id));

    const client = imap(g, sales.email);
    await client.connect();
    try {
      const status = await client.status('Archive', { messages: true });
      expect(status && status.messages).toBe(1);
      await client.mailboxOpen('Archive');
      await client.messageMove('1:*', 'INBOX');
      const back = await api(g, key, 'GET', `/v3/grants/${sales.id}/messages/${message.id}`);
      expect(back.status).toBe(200);
      expect(back.body.data.folders).toEqual([folderId(sales, 'INBOX')]);
      await client.mailboxOpen('INBOX');
      await client.messageCopy('1:*', 'Archive');
    } finally {
      await client.logout();
    }
    const all = (await list()).data;
    expect(all).toHaveLength(2);
    expect(all.filter((m) => m.id === message.id).map((m) => m.folders)).toEqual([[folderId(sales, 'INBOX')]]);
    const copy = all.find((m) => m.id !== message.id)!;
    expect(copy.folders).toEqual([folderId(sales, 'Archive')]);
    expect(copy.thread_id).toBe(message.thread_id);
  });

  it('PUT refuses bad input and writes nothing when any part is wrong', async () => {
    const { g, key, sales, list } = await setup();
    await arrive(g, sales, simple('keep me'));
    const [message] = (await list()).data;
    const path = `/v3/grants/${sales.id}/messages/${message.id}`;
    const cases: [unknown, number, string][] = [
      [{ unread: 'yes' }, 400, 'unread: Invalid input: expected boolean, received string'],
      [{ folders: 'Archive' }, 400, 'folders: Invalid input: expected array, received string'],
      [{ folders: ['Archive', 'INBOX'] }, 400, 'folders must name exactly one folder (a message is in one folder); got 2'],
      [{ unread: false, folders: ['Nowhere'] }, 404, 'folder Nowhere not found'],
      [{ subject: 'changed' }, 400, 'body: Unrecognized key: "subject"'],
    ];
    for (const [body, status, messageText] of cases) {
      const res = await api(g, key, 'PUT', path, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message).toBe(messageText);
    }
    const malformed = await api(g, key, 'PUT', path, '{"unread": fals', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.type).toBe('api.invalid_request_payload');
    // Nothing was written: still unread, still in INBOX.
    const after = (await api(g, key, 'GET', path)).body.data;
    expect(after).toMatchObject({ unread: true, starred: false, folders: message.folders });
  });

  it('DELETE moves to Trash; DELETE in Trash removes for good', async () => {
    const { g, key, sales, folderId, list } = await setup();
    await arrive(g, sales, simple('delete me'));
    const [message] = (await list()).data;
    const path = `/v3/grants/${sales.id}/messages/${message.id}`;
    const first = await api(g, key, 'DELETE', path);
    expect(first.status).toBe(200);
    expect(masked(first.body)).toEqual({ request_id: '<id>' });
    expect((await api(g, key, 'GET', path)).body.data.folders).toEqual([folderId(sales, 'Trash')]);
    expect((await api(g, key, 'DELETE', path)).status).toBe(200);
    expect((await api(g, key, 'GET', path)).status).toBe(404);
    expect((await list()).data).toEqual([]);
    expect((await api(g, key, 'DELETE', path)).status).toBe(404);
  });
});

describe('threads and events', () => {
  it('a reply (In-Reply-To / References) joins the thread of the message it answers', async () => {
    const { g, sales, list } = await setup();
    await arrive(g, sales, simple('first', { messageId: '<first@remote.example>' }));
    await arrive(g, sales, simple('unrelated', { messageId: '<other@remote.example>' }));
    await arrive(g, sales, simple('Re: first', { messageId: '<second@remote.example>', inReplyTo: '<first@remote.example>' }));
    await arrive(g, sales, simple('Re: Re: first', { messageId: '<third@remote.example>', inReplyTo: '<second@remote.example>' }));
    const bySubject = Object.fromEntries((await list()).data.map((m) => [m.subject, m.thread_id]));
    expect(bySubject['Re: first']).toBe(bySubject.first);
    expect(bySubject['Re: Re: first']).toBe(bySubject.first);
    expect(bySubject.unrelated).not.toBe(bySubject.first);
    expect((await list(`?thread_id=${bySubject.first}`)).data.map((m) => m.subject)).toEqual(['Re: Re: first', 'Re: first', 'first']);
  });

  it('message events carry the API id, grant and folder, also for deleted messages', async () => {
    const { g, key, sales, folderId, list } = await setup();
    const { store } = g.gateway.services;
    await arrive(g, sales, simple('evented'));
    const [message] = (await list()).data;
    const from = store.events.lastId();
    await api(g, key, 'PUT', `/v3/grants/${sales.id}/messages/${message.id}`, { starred: true });
    await api(g, key, 'DELETE', `/v3/grants/${sales.id}/messages/${message.id}`);
    const events = store.events.listAfter(from, 100).filter((e) => e.type.startsWith('message.'));
    expect(events.map((e) => [e.type, e.object.id, e.object.grant_id, e.object.folder_id])).toEqual([
      ['message.updated', message.id, sales.id, folderId(sales, 'INBOX')],
      ['message.created', message.id, sales.id, folderId(sales, 'Trash')],
      ['message.deleted', message.id, sales.id, folderId(sales, 'INBOX')],
    ]);
    expect(events[1]!.object.moved_from_folder_id).toBe(folderId(sales, 'INBOX'));
    expect(events[2]!.object.moved_to_folder_id).toBe(folderId(sales, 'Trash'));
    expect(events.every((e) => e.object.thread_id === message.thread_id)).toBe(true);
  });
});
