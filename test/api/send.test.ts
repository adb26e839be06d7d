// POST /v3/grants/{id}/messages/send against the whole gateway on port 0: JSON and multipart,
// the message arriving over IMAP (Sent and a local recipient's INBOX), the one-message display
// name, Bcc kept out of delivered copies, replies threaded, bad input refused with nothing stored.
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/store/types.js';
import { api, apiKey, masked } from '../helpers/api.js';
import { PASSWORD, type TestGateway, folderMessages, startTestGateway } from '../helpers/gateway.js';

async function setup() {
  const g = await startTestGateway();
  const key = apiKey(g);
  const sales = await g.account('sales', { name: 'Sales Agent' });
  const bob = await g.account('bob', { name: 'Bob' });
  const send = (body: unknown, account: Account = sales) => api(g, key, 'POST', `/v3/grants/${account.id}/messages/send`, body);
  return { g, key, sales, bob, send };
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

/** The newest message of a folder, fetched over IMAP, as source bytes. */
async function imapNewest(g: TestGateway, user: string, folder: string): Promise<Buffer> {
  const client = imap(g, user);
  await client.connect();
  try {
    await client.mailboxOpen(folder);
    const message = await client.fetchOne('*', { source: true });
    if (!message || !message.source) throw new Error(`no message in ${folder}`);
    return message.source;
  } finally {
    await client.logout();
  }
}

const nothingStored = (g: TestGateway, sales: Account, bob: Account) => {
  expect(folderMessages(g, sales, 'Sent')).toEqual([]);
  expect(folderMessages(g, bob, 'INBOX')).toEqual([]);
  expect(g.gateway.services.store.queue.list()).toEqual([]);
};

describe('POST /v3/grants/{id}/messages/send (JSON)', () => {
  it('sends: answers the Sent copy; IMAP shows it in Sent and in the local recipient’s INBOX; remote ones are queued', async () => {
    const { g, sales, bob, send } = await setup();
    const res = await send({
      to: [{ name: 'Bob', email: 'bob@agents.example.com' }],
      cc: [{ email: 'carol@remote.example' }],
      bcc: [{ name: 'Secret', email: 'hidden@remote.example' }],
      reply_to: [{ name: 'Replies', email: 'replies@agents.example.com' }],
      subject: 'Hello from the API ✓',
      body: '<p>Hi <b>Bob</b></p>',
      from: [{ name: 'Agent Smith' }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sentFolder = String(g.gateway.services.store.mail.getMailbox(sales.id, 'Sent')!.id);
    expect(masked(res.body)).toEqual({
      request_id: '<id>',
      data: {
        id: '<id>',
        grant_id: '<id>',
        object: 'message',
        thread_id: '<id>',
        subject: 'Hello from the API ✓',
        from: [{ name: 'Agent Smith', email: 'sales@agents.example.com' }],
        to: [{ name: 'Bob', email: 'bob@agents.example.com' }],
        cc: [{ name: '', email: 'carol@remote.example' }],
        bcc: [{ name: 'Secret', email: 'hidden@remote.example' }],
        reply_to: [{ name: 'Replies', email: 'replies@agents.example.com' }],
        date: '<time>',
        snippet: 'Hi Bob',
        body: '<p>Hi <b>Bob</b></p>',
        unread: false,
        starred: false,
        folders: [sentFolder],
        attachments: [],
      },
    });
    const sent = res.body.data;
    expect(sent.grant_id).toBe(sales.id);
    // The API lists it in Sent under the same id.
    const listed = await api(g, apiKey(g), 'GET', `/v3/grants/${sales.id}/messages?in=sent`);
    expect(listed.body.data.map((m: { id: string }) => m.id)).toEqual([sent.id]);

    // Over IMAP: the Sent copy (Bcc kept for the sender) and Bob's copy (no Bcc).
    const sentCopy = await simpleParser(await imapNewest(g, sales.email, 'Sent'));
    expect(sentCopy.from?.text).toBe('"Agent Smith" <sales@agents.example.com>');
    expect(sentCopy.headers.get('bcc')).toBeDefined();
    const bobsRaw = await imapNewest(g, bob.email, 'INBOX');
    const bobsCopy = await simpleParser(bobsRaw);
    expect(bobsCopy.from?.value).toEqual([{ name: 'Agent Smith', address: 'sales@agents.example.com' }]);
    expect(bobsCopy.subject).toBe('Hello from the API ✓');
    expect((bobsCopy.html as string).trim()).toBe('<p>Hi <b>Bob</b></p>');
    expect(bobsCopy.messageId).toBe(sentCopy.messageId);
    expect(bobsRaw.toString('latin1')).not.toMatch(/^bcc:/im);
    expect(bobsRaw.toString('latin1')).not.toContain('hidden@remote.example');
    // Bob's API view: same thread id space is per account, but no Bcc.
    const bobs = await api(g, apiKey(g), 'GET', `/v3/grants/${bob.id}/messages`);
    expect(bobs.body.data[0]).toMatchObject({ subject: 'Hello from the API ✓', bcc: [], unread: true });

    // The remote recipients wait in the queue (held: WICKET_RELAY=none), without Bcc in the bytes.
    const queued = g.gateway.services.store.queue.list();
    expect(queued.map((q) => [q.rcptTo, q.status]).sort()).toEqual([
      ['carol@remote.example', 'held'],
      ['hidden@remote.example', 'held'],
    ]);
  });

  it('without from, the account’s own display name; the override is for one message only', async () => {
    const { g, sales, bob, send } = await setup();
    expect((await send({ to: [{ email: bob.email }], subject: 'one', body: 'x', from: [{ name: 'Just Once', email: 'SALES@agents.example.com' }] })).status).toBe(200);
    expect((await send({ to: [{ email: bob.email }], subject: 'two', body: 'x' })).status).toBe(200);
    const froms = folderMessages(g, bob, 'INBOX').map((m) => /^From: (.*)$/m.exec(m.raw)![1]!.trim());
    expect(froms).toEqual(['"Just Once" <sales@agents.example.com>', '"Sales Agent" <sales@agents.example.com>']);
    expect(g.gateway.services.store.directory.getAccount(sales.id)!.name).toBe('Sales Agent');
  });

  it('plain text, JSON attachments and custom headers', async () => {
    const { g, key, sales, bob, send } = await setup();
    const csv = Buffer.from('a,b\n1,2\n');
    const res = await send({
      to: [{ email: bob.email }],
      subject: 'report',
      body: 'Plain text, as is.',
      is_plaintext: true,
      attachments: [
        { filename: 'data.csv', content_type: 'text/csv', content: csv.toString('base64') },
        { filename: 'dot.png', content_type: 'image/png', content: Buffer.from([1, 2, 3]).toString('base64'), content_id: 'dot', is_inline: true },
      ],
      custom_headers: [{ name: 'X-Campaign', value: 'spring 2026' }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.body).toBe('Plain text, as is.');
    expect(res.body.data.attachments.map((a: any) => [a.filename, a.content_type, a.size, a.is_inline, a.content_id])).toEqual([
      ['data.csv', 'text/csv', csv.length, false, undefined],
      ['dot.png', 'image/png', 3, true, 'dot'],
    ]);
    const raw = folderMessages(g, bob, 'INBOX')[0]!.raw;
    expect(raw).toMatch(/^X-Campaign: spring 2026$/m);
    const csvAttachment = res.body.data.attachments.find((a: any) => a.filename === 'data.csv');
    const download = await fetch(`http://127.0.0.1:${g.ports.http}/v3/grants/${sales.id}/attachments/${csvAttachment.id}/download`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(Buffer.from(await download.arrayBuffer()).equals(csv)).toBe(true);
  });

  it('reply_to_message_id: In-Reply-To and References from the stored message, the same thread on both sides', async () => {
    const { g, key, sales, bob, send } = await setup();
    const first = await send({ to: [{ email: bob.email }], subject: 'Question', body: 'Are you there?' });
    const bobsList = await api(g, key, 'GET', `/v3/grants/${bob.id}/messages`);
    const received = bobsList.body.data[0];
    const reply = await send({ to: [{ email: sales.email }], body: 'Yes.', reply_to_message_id: received.id }, bob);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.data.subject).toBe('Re: Question');
    expect(reply.body.data.thread_id).toBe(received.thread_id);
    const parsedReply = await simpleParser(await imapNewest(g, sales.email, 'INBOX'));
    const originalId = (await simpleParser(Buffer.from(folderMessages(g, sales, 'Sent')[0]!.raw))).messageId;
    expect(parsedReply.inReplyTo).toBe(originalId);
    expect(parsedReply.references).toBe(originalId);
    // Sales sees the reply in the thread of what it sent.
    const salesInbox = await api(g, key, 'GET', `/v3/grants/${sales.id}/messages?in=INBOX`);
    expect(salesInbox.body.data[0].thread_id).toBe(first.body.data.thread_id);
    const thread = await api(g, key, 'GET', `/v3/grants/${sales.id}/messages?thread_id=${first.body.data.thread_id}`);
    expect(thread.body.data.map((m: { subject: string }) => m.subject)).toEqual(['Re: Question', 'Question']);
  });
});

describe('POST /v3/grants/{id}/messages/send (multipart/form-data)', () => {
  it('takes the JSON in the message field and large attachments as file parts', async () => {
    const { g, key, sales, bob } = await setup();
    const big = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
    const form = new FormData();
    form.append('message', JSON.stringify({ to: [{ email: bob.email }], subject: 'big file', body: '<p>see attached</p>' }));
    form.append('file', new Blob([big], { type: 'application/octet-stream' }), 'big.bin');
    form.append('second', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
    const res = await api(g, key, 'POST', `/v3/grants/${sales.id}/messages/send`, form);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.body.data.attachments.map((a: any) => [a.filename, a.content_type, a.size])).toEqual([
      ['big.bin', 'application/octet-stream', big.length],
      ['hello.txt', 'text/plain', 5],
    ]);
    const bobs = (await api(g, key, 'GET', `/v3/grants/${bob.id}/messages`)).body.data[0];
    const attachment = bobs.attachments[0];
    const download = await fetch(`http://127.0.0.1:${g.ports.http}/v3/grants/${bob.id}/attachments/${attachment.id}/download?message_id=${bobs.id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="big.bin"');
    expect(Buffer.from(await download.arrayBuffer()).equals(big)).toBe(true);
  });

  it('refuses a form without a message field, with malformed JSON in it, or with other fields', async () => {
    const { g, key, sales, bob } = await setup();
    const post = (form: FormData) => api(g, key, 'POST', `/v3/grants/${sales.id}/messages/send`, form);
    const noMessage = new FormData();
    noMessage.append('file', new Blob(['x']), 'x.txt');
    const malformed = new FormData();
    malformed.append('message', '{"to": [');
    const extra = new FormData();
    extra.append('message', JSON.stringify({ to: [{ email: bob.email }] }));
    extra.append('subject', 'not here');
    const wrongType = new FormData();
    wrongType.append('message', JSON.stringify({ to: 'bob' }));
    const answers = [await post(noMessage), await post(malformed), await post(extra), await post(wrongType)];
    expect(answers.map((a) => [a.status, a.body.error.message])).toEqual([
      [400, 'the form has no message field (the JSON request)'],
      [400, expect.stringMatching(/^malformed JSON in the message field: /)],
      [400, 'unexpected form field subject: send the request as JSON in the message field'],
      [400, 'to: Invalid input: expected array, received string'],
    ]);
    nothingStored(g, sales, bob);
  });
});

describe('POST /v3/grants/{id}/messages/send: bad input stores nothing', () => {
  it('refuses with 400 and a clear message', async () => {
    const { g, sales, bob, send } = await setup();
    const to = [{ email: bob.email }];
    const cases: [unknown, string][] = [
      [{ to, from: [{ name: 'X', email: 'ceo@agents.example.com' }] }, "from[0].email ceo@agents.example.com is not this grant's address; send as sales@agents.example.com (only from[0].name may be changed)"],
      [{ to, from: [{ name: 'Evil\r\nBcc: x@y.z' }] }, 'from[0].name: the display name must not contain a line break (CR or LF)'],
      [{ to, from: [{ name: 'x'.repeat(257) }] }, 'from[0].name: the display name must be 1 to 256 characters (it has 257)'],
      [{ to, from: [{ name: 'a' }, { name: 'b' }] }, 'from: from may name one sender only'],
      [{ subject: 'nobody' }, 'name at least one recipient in to, cc or bcc'],
      [{ to: [{ email: 'not an address' }] }, 'to[0].email "not an address" is not an email address'],
      [{ to: [{ email: 'ghost@agents.example.com' }] }, 'no account ghost@agents.example.com exists here'],
      [{ to: Array.from({ length: 51 }, (_, i) => ({ email: `r${i}@remote.example` })) }, 'a message may have at most 50 recipients across to, cc and bcc (it has 51)'],
      [{ to, custom_headers: [{ name: 'From', value: 'ceo@agents.example.com' }] }, "custom_headers[0]: From cannot be set as a custom header; use the request's own fields"],
      [{ to, custom_headers: [{ name: 'message-id', value: '<x@y>' }] }, "custom_headers[0]: message-id cannot be set as a custom header; use the request's own fields"],
      [{ to, custom_headers: [{ name: 'X-Ok', value: 'a\r\nBcc: x@y.z' }] }, 'custom_headers[0].value must be one line of at most 998 characters'],
      [{ to, custom_headers: [{ name: 'Bad Name', value: 'v' }] }, 'custom_headers[0].name "Bad Name" is not a header field name'],
      [{ to, subject: 'a\r\nBcc: x@y.z' }, 'subject must be one line'],
      [{ to, attachments: [{ filename: 'a.bin', content: '!!not base64!!' }] }, 'attachments.0.content: content must be base64'],
      [{ to, attachments: [{ filename: 'a.bin', content: 'AA==', content_type: 'nonsense' }] }, 'attachments[0].content_type "nonsense" is not a media type'],
      [{ to: 'bob@agents.example.com' }, 'to: Invalid input: expected array, received string'],
      [{ to, is_plaintext: 'yes' }, 'is_plaintext: Invalid input: expected boolean, received string'],
      [{ to, send_at: 123 }, 'body: Unrecognized key: "send_at"'],
    ];
    for (const [body, message] of cases) {
      const res = await send(body);
      expect([res.status, res.body.error?.message], JSON.stringify(body).slice(0, 80)).toEqual([400, message]);
      expect(res.body.error.type).toMatch(/^api\.invalid_request/);
    }
    nothingStored(g, sales, bob);
  });

  it('malformed JSON, no body, unknown grant, another grant’s message as reply_to_message_id', async () => {
    const { g, key, sales, bob, send } = await setup();
    const malformed = await api(g, key, 'POST', `/v3/grants/${sales.id}/messages/send`, '{"to": [', { 'content-type': 'application/json' });
    expect([malformed.status, malformed.body.error.type]).toEqual([400, 'api.invalid_request_payload']);
    const empty = await api(g, key, 'POST', `/v3/grants/${sales.id}/messages/send`);
    expect([empty.status, empty.body.error.type]).toEqual([400, 'api.invalid_request_payload']);
    const unknownGrant = await api(g, key, 'POST', '/v3/grants/nope/messages/send', { to: [{ email: bob.email }] });
    expect([unknownGrant.status, unknownGrant.body.error.type]).toEqual([404, 'api.not_found_error']);
    // A message of Bob's is not Sales's to reply to.
    const other = await g.account('carol');
    expect((await send({ to: [{ email: bob.email }], subject: 'to bob' }, other)).status).toBe(200);
    const bobsMessage = (await api(g, key, 'GET', `/v3/grants/${bob.id}/messages`)).body.data[0];
    const res = await send({ to: [{ email: bob.email }], reply_to_message_id: bobsMessage.id });
    expect([res.status, res.body.error.message]).toEqual([404, `reply_to_message_id: message ${bobsMessage.id} not found`]);
    expect(folderMessages(g, sales, 'Sent')).toEqual([]);
    expect(folderMessages(g, bob, 'INBOX')).toHaveLength(1);
  });

  it('a message over the size limit is 413', async () => {
    const g = await startTestGateway({ WICKET_SUBMISSION_MAX_SIZE: String(64 * 1024) });
    const key = apiKey(g);
    const sales = await g.account('sales');
    const bob = await g.account('bob');
    const res = await api(g, key, 'POST', `/v3/grants/${sales.id}/messages/send`, {
      to: [{ email: bob.email }],
      attachments: [{ filename: 'big.bin', content: Buffer.alloc(60 * 1024).toString('base64') }],
    });
    expect([res.status, res.body.error.type]).toEqual([413, 'api.payload_too_large']);
    nothingStored(g, sales, bob);
  });
});
