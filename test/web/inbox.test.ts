// The inbox viewer: mail delivered over SMTP shows in the list and arrives on the change stream
// (SSE) without a reload; a message view with headers and text; hostile HTML only ever inside
// the sandboxed frame, served under the strict CSP with remote images blocked until asked;
// attachments as downloads that a browser cannot run; read/star/move/delete through the API's
// service functions, seen by an IMAP client; another application's or account's ids → 404; an
// open stream does not hold the gateway's shutdown.
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { folderMessages, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { SmtpLineClient } from '../helpers/smtp-client.js';
import { member, PASSWORD, WebClient } from '../helpers/web.js';
import type { Account } from '../../src/store/types.js';

const STRICT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data: cid:; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox";

interface World {
  g: TestGateway;
  web: WebClient;
  alice: Account;
  /** `/dashboard/apps/<app>/accounts/<alice>/mail` */
  mail: string;
}

async function world(): Promise<World> {
  const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
  await member(g, 'admin@example.com', 'admin');
  await member(g, 'dev@example.com', 'member');
  const web = WebClient.for(g);
  await web.signIn('dev@example.com');
  const alice = await g.account('alice');
  return { g, web, alice, mail: `/dashboard/apps/${g.appId}/accounts/${alice.id}/mail` };
}

async function deliver(g: TestGateway, to: string, message: string): Promise<void> {
  const { client } = await SmtpLineClient.connect(g.ports.mx);
  await client.cmd('EHLO sender.example');
  await client.cmd('MAIL FROM:<bob@sender.example>');
  expect(await client.cmd(`RCPT TO:<${to}>`)).toMatch(/^250 /);
  await client.cmd('DATA');
  const stuffed = message.replace(/\r\n\./g, '\r\n..').replace(/\r\n$/, '');
  expect(await client.cmd(`${stuffed}\r\n.`)).toMatch(/^250 /);
  await client.cmd('QUIT');
}

const HEADERS = (subject: string, extra: string[] = []) => [
  'From: Bob Sender <bob@sender.example>',
  'To: Alice <alice@agents.example.com>',
  'Cc: Carol <carol@sender.example>',
  `Subject: ${subject}`,
  'Date: Mon, 02 Mar 2020 10:00:00 +0000',
  `Message-ID: <${subject.replace(/\W/g, '')}@sender.example>`,
  ...extra,
];

const plainMessage = (subject: string, text = 'Hello Alice, plain words here.') => [...HEADERS(subject), '', text, ''].join('\r\n');

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

const hostileMessage = (subject = 'Hostile') =>
  [
    ...HEADERS(subject, ['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="MIX"']),
    '',
    '--MIX',
    'Content-Type: multipart/alternative; boundary="ALT"',
    '',
    '--ALT',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Plain part <script>alert("text")</script>',
    '--ALT',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><body><p>Rich words</p><script>parent.document.title="pwned"</script>',
    '<img src="https://tracker.example/pixel.png"><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">click</a></body></html>',
    '--ALT--',
    '--MIX',
    'Content-Type: text/html; name="report.html"',
    'Content-Disposition: attachment; filename="../../report.html"',
    '',
    '<script>alert("attachment")</script>',
    '--MIX',
    'Content-Type: image/png; name="pic.png"',
    'Content-Disposition: attachment; filename="pic.png"',
    'Content-Transfer-Encoding: base64',
    '',
    PNG.toString('base64'),
    '--MIX--',
    '',
  ].join('\r\n');

/** The only message in a folder. */
function only(w: World, folder: string) {
  const { store } = w.g.gateway.services;
  const box = store.mail.getMailbox(w.alice.id, folder)!;
  const records = store.mail.listMessages(box.id);
  expect(records).toHaveLength(1);
  return records[0]!;
}

/** An SSE stream read with fetch, as a browser's EventSource would. */
async function openStream(web: WebClient, path: string) {
  const controller = new AbortController();
  const cookie = [...web.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  const res = await fetch(`${web.base}${path}`, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  return {
    res,
    get text() {
      return text;
    },
    /** Reads until the received text matches (throws when the stream ends first). */
    async until(pattern: RegExp): Promise<string> {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) {
          ended = true;
          throw new Error(`stream ended; got ${JSON.stringify(text)}`);
        }
        text += decoder.decode(value, { stream: true });
      }
      return text;
    },
    /** Resolves when the server ends the stream. */
    async end(): Promise<void> {
      while (!ended) {
        const { value, done } = await reader.read();
        if (done) ended = true;
        else text += decoder.decode(value, { stream: true });
      }
    },
    close: () => controller.abort(),
  };
}

const listenerCount = (g: TestGateway): number => (g.gateway.services.store.changes as unknown as { listeners: Set<unknown> }).listeners.size;

async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}

describe('dashboard inbox', () => {
  it('lists a message delivered over SMTP with sender, subject, unread mark, folder counts and the live region', async () => {
    const w = await world();
    await deliver(w.g, w.alice.email, plainMessage('Quarterly numbers'));
    const inbox = w.g.gateway.services.store.mail.getMailbox(w.alice.id, 'INBOX')!;
    const page = await w.web.get(w.mail);
    expect(page.status).toBe(200);
    const row = /<tr class="unread">([\s\S]*?)<\/tr>/.exec(page.text)?.[1];
    expect(row).toBeDefined();
    expect(row).toContain('<span class="sr-only">Unread</span>');
    expect(row).toContain('<span title="bob@sender.example">Bob Sender</span>');
    expect(row).toMatch(/<a href="[^"]+\/mail\/[0-9a-f]{16}">Quarterly numbers<\/a>/);
    expect(page.text).toMatch(new RegExp(`<a href="[^"]+/mail\\?folder=${inbox.id}" aria-current="page">INBOX <span class="badge">1<span class="sr-only"> unread</span></span></a>`));
    expect(page.text).toContain(`<div data-live="${w.mail}/events?folder=${inbox.id}" data-live-refresh="${w.mail}/list-fragment?folder=${inbox.id}">`);

    const fragment = await w.web.get(`${w.mail}/list-fragment?folder=${inbox.id}`);
    expect(fragment.status).toBe(200);
    expect(fragment.headers.get('content-type')).toMatch(/^text\/html/);
    expect(fragment.text).not.toContain('<html');
    expect(fragment.text).toContain('Quarterly numbers');

    // Other folders by id or name; an unknown one is a 404.
    expect((await w.web.get(`${w.mail}?folder=Trash`)).text).toContain('No messages in this folder.');
    expect((await w.web.get(`${w.mail}?folder=NoSuchFolder`)).status).toBe(404);
  });

  it('pages through a folder with the cursor of listMessages', async () => {
    const w = await world();
    const { store } = w.g.gateway.services;
    const inbox = store.mail.getMailbox(w.alice.id, 'INBOX')!;
    for (let i = 1; i <= 53; i++) {
      store.mail.appendMessage(w.alice.id, inbox.id, { raw: Buffer.from(plainMessage(`Message ${i}`)), internalDate: new Date(Date.UTC(2024, 0, 1, 0, i)) });
    }
    const first = await w.web.get(w.mail);
    const subjects = (text: string) => [...text.matchAll(/\/mail\/[0-9a-f]{16}">(Message \d+)<\/a>/g)].map((m) => m[1]);
    expect(subjects(first.text)).toHaveLength(50);
    expect(subjects(first.text)[0]).toBe('Message 53');
    const older = /<a href="([^"]+)" rel="next">Older messages/.exec(first.text)![1]!.replace(/&amp;/g, '&');
    const second = await w.web.get(older);
    expect(subjects(second.text)).toEqual(['Message 3', 'Message 2', 'Message 1']);
    expect(second.text).toContain('← Newest');
    expect((await w.web.get(`${w.mail}?cursor=not-a-cursor`)).status).toBe(400);
  });

  it('sends `change` on the SSE stream when mail arrives, and drops its subscription when the browser goes', async () => {
    const w = await world();
    const before = listenerCount(w.g);
    const stream = await openStream(w.web, `${w.mail}/events`);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await stream.until(/retry: \d+\n\n/);
    expect(listenerCount(w.g)).toBe(before + 1);
    expect(stream.text).not.toContain('event: change');
    // Another account's mail is not this stream's business: the first event comes after
    // Alice's delivery, not after Bob's (well past the stream's coalescing window before it).
    const bob = await w.g.account('bob');
    let aliceDelivered = false;
    const first = stream.until(/event: change\ndata: \{\}\n\n/).then(() => aliceDelivered);
    await deliver(w.g, bob.email, plainMessage('For Bob'));
    await new Promise((r) => setTimeout(r, 600));
    aliceDelivered = true;
    await deliver(w.g, w.alice.email, plainMessage('Live one'));
    expect(await first).toBe(true);
    // The fragment the page then fetches has the new message.
    expect((await w.web.get(`${w.mail}/list-fragment`)).text).toContain('Live one');
    stream.close();
    await eventually(() => listenerCount(w.g) === before);
  });

  it('shows a message with its headers and text, marks it read, and keeps its HTML in a sandboxed frame under the strict CSP', async () => {
    const w = await world();
    await deliver(w.g, w.alice.email, hostileMessage());
    const record = only(w, 'INBOX');
    expect(record.flags).not.toContain('\\Seen');
    const page = await w.web.get(`${w.mail}/${record.publicId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Hostile</h1>');
    expect(page.text).toContain('<dt>From</dt><dd>Bob Sender &lt;bob@sender.example&gt;</dd>');
    expect(page.text).toContain('<dt>To</dt><dd>Alice &lt;alice@agents.example.com&gt;</dd>');
    expect(page.text).toContain('<dt>Cc</dt><dd>Carol &lt;carol@sender.example&gt;</dd>');
    expect(page.text).toContain('<dt>Date</dt><dd>Mon, 02 Mar 2020 10:00:00 +0000</dd>');
    expect(page.text).toContain('Plain part &lt;script&gt;alert(&quot;text&quot;)&lt;/script&gt;');
    // The dashboard page itself has its own script only, and its own CSP.
    expect(page.text.match(/<script/g)).toHaveLength(1);
    expect(page.text).toContain('<script src="/dashboard/assets/app.js" defer></script>');
    expect(page.text).not.toContain('Rich words');
    expect(page.text).not.toContain('tracker.example');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const frame = /<iframe ([^>]*)><\/iframe>/.exec(page.text)![1]!;
    expect(frame).toContain('sandbox=""');
    expect(frame).toContain('class="message-html"');
    const src = /src="([^"]+)"/.exec(frame)![1]!;
    expect(src).toBe(`${w.mail}/${record.publicId}/html`);
    expect(only(w, 'INBOX').flags).toContain('\\Seen');

    const htmlPart = await w.web.get(src);
    expect(htmlPart.status).toBe(200);
    expect(htmlPart.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(htmlPart.headers.get('content-security-policy')).toBe(STRICT_CSP);
    expect(htmlPart.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(htmlPart.headers.get('referrer-policy')).toBe('no-referrer');
    expect(htmlPart.headers.get('x-content-type-options')).toBe('nosniff');
    expect(htmlPart.text).toContain('<p>Rich words</p>');
    // Defence in depth: the frame's document has no script, handler or javascript: URL either.
    expect(htmlPart.text).not.toMatch(/<script|onerror|javascript:/i);
    // Remote images are not loaded by default: the policy allows no http(s) image source.
    expect(htmlPart.headers.get('content-security-policy')).not.toMatch(/https?:/);

    expect(page.text).toContain('Remote images are blocked');
    const loadRemote = /<a href="([^"]+)">Load remote content<\/a>/.exec(page.text)![1]!.replace(/&amp;/g, '&');
    const remotePage = await w.web.get(loadRemote);
    const remoteSrc = /<iframe [^>]*src="([^"]+)"/.exec(remotePage.text)![1]!.replace(/&amp;/g, '&');
    expect(remoteSrc).toBe(`${w.mail}/${record.publicId}/html?remote=1`);
    const remote = await w.web.get(remoteSrc);
    expect(remote.headers.get('content-security-policy')).toContain('img-src https: http: data:');
    expect(remote.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(remote.headers.get('referrer-policy')).toBe('no-referrer');

    // A plain-text message has no frame and no HTML route.
    await deliver(w.g, w.alice.email, plainMessage('Just text'));
    const plain = w.g.gateway.services.store.mail.listMessages(w.g.gateway.services.store.mail.getMailbox(w.alice.id, 'INBOX')!.id).find((m) => m.subject === 'Just text')!;
    const plainPage = await w.web.get(`${w.mail}/${plain.publicId}`);
    expect(plainPage.text).toContain('<pre class="message-text">Hello Alice, plain words here.</pre>');
    expect(plainPage.text).not.toContain('<iframe');
    expect((await w.web.get(`${w.mail}/${plain.publicId}/html`)).status).toBe(404);
  });

  it('downloads attachments as attachments: a safe file name, nosniff, and HTML as opaque bytes', async () => {
    const w = await world();
    await deliver(w.g, w.alice.email, hostileMessage());
    const record = only(w, 'INBOX');
    const page = await w.web.get(`${w.mail}/${record.publicId}`);
    const links = [...page.text.matchAll(/<a href="([^"]+\/attachments\/[^"]+)" download>([^<]*)<\/a>/g)].map((m) => ({ href: m[1]!, label: m[2]! }));
    expect(links.map((l) => l.label)).toEqual(['../../report.html', 'pic.png']);
    const html = await w.web.get(links[0]!.href);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('application/octet-stream');
    expect(html.headers.get('content-disposition')).toBe('attachment; filename="report.html"');
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(html.text).toBe('<script>alert("attachment")</script>');
    const png = await fetch(`${w.web.base}${links[1]!.href}`, { headers: { cookie: [...w.web.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ') } });
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('content-disposition')).toBe('attachment; filename="pic.png"');
    expect(Buffer.from(await png.arrayBuffer())).toEqual(PNG);
    expect((await w.web.get(`${w.mail}/${record.publicId}/attachments/9`)).status).toBe(404);
    expect((await w.web.get(`${w.mail}/${record.publicId}/attachments/..%2F1`)).status).toBe(404);
  });

  it('shows an inline image the HTML names by cid: as a data: URL inside the frame, not as an attachment', async () => {
    const w = await world();
    const related = [
      ...HEADERS('Logo', ['MIME-Version: 1.0', 'Content-Type: multipart/related; boundary="REL"']),
      '',
      '--REL',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Our logo: <img src="cid:logo@sender.example" alt="logo"></p>',
      '--REL',
      'Content-Type: image/png',
      'Content-ID: <logo@sender.example>',
      'Content-Disposition: inline',
      'Content-Transfer-Encoding: base64',
      '',
      PNG.toString('base64'),
      '--REL--',
      '',
    ].join('\r\n');
    await deliver(w.g, w.alice.email, related);
    const record = only(w, 'INBOX');
    const page = await w.web.get(`${w.mail}/${record.publicId}`);
    expect(page.text).not.toContain('/attachments/');
    const frame = await w.web.get(`${w.mail}/${record.publicId}/html`);
    expect(frame.text).toContain(`<img src="data:image/png;base64,${PNG.toString('base64')}" alt="logo">`);
    expect(frame.headers.get('content-security-policy')).toBe(STRICT_CSP);
  });

  it('marks read/unread, stars, moves and deletes through the store IMAP uses: an IMAP client sees the flags', async () => {
    const w = await world();
    await deliver(w.g, w.alice.email, plainMessage('Act on me'));
    const record = only(w, 'INBOX');
    const imap = new ImapFlow({
      host: '127.0.0.1',
      port: w.g.ports.imaps,
      secure: true,
      auth: { user: w.alice.email, pass: PASSWORD },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await imap.connect();
    try {
      await imap.mailboxOpen('INBOX');
      const imapFlags = async () => [...((await imap.fetchOne(String(record.uid), { flags: true }, { uid: true })) || { flags: new Set<string>() }).flags!];
      expect(await imapFlags()).not.toContain('\\Flagged');

      const page = await w.web.get(`${w.mail}/${record.publicId}`);
      expect(page.text).toContain('>Star</button>');
      const star = await w.web.post(`${w.mail}/${record.publicId}/flags`, { action: 'star' });
      expect(star.status).toBe(303);
      expect(star.location).toBe(`${w.mail}/${record.publicId}`);
      expect(only(w, 'INBOX').flags).toEqual(expect.arrayContaining(['\\Seen', '\\Flagged']));
      expect(await imapFlags()).toEqual(expect.arrayContaining(['\\Seen', '\\Flagged']));
      const starredList = await w.web.get(w.mail);
      expect(starredList.text).toContain('<span class="sr-only">Starred</span>');

      const unread = await w.web.post(`${w.mail}/${record.publicId}/flags`, { action: 'unread' });
      expect(unread.status).toBe(303);
      expect(only(w, 'INBOX').flags).not.toContain('\\Seen');
      expect(await imapFlags()).not.toContain('\\Seen');
      await w.web.post(`${w.mail}/${record.publicId}/flags`, { action: 'unstar' });
      expect(await imapFlags()).not.toContain('\\Flagged');
      expect((await w.web.post(`${w.mail}/${record.publicId}/flags`, { action: 'explode' })).status).toBe(400);
    } finally {
      await imap.logout();
    }

    const archive = w.g.gateway.services.store.mail.getMailbox(w.alice.id, 'Archive')!;
    const moved = await w.web.post(`${w.mail}/${record.publicId}/move`, { folder: String(archive.id) });
    expect(moved.status).toBe(303);
    expect(folderMessages(w.g, w.alice, 'INBOX')).toEqual([]);
    expect(only(w, 'Archive').publicId).toBe(record.publicId);
    expect((await w.web.post(`${w.mail}/${record.publicId}/move`, { folder: '999999' })).status).toBe(404);

    const deleted = await w.web.post(`${w.mail}/${record.publicId}/delete`, {});
    expect(deleted.status).toBe(303);
    expect(folderMessages(w.g, w.alice, 'Archive')).toEqual([]);
    expect(only(w, 'Trash').publicId).toBe(record.publicId);
    const trashPage = await w.web.get(`${w.mail}/${record.publicId}`);
    expect(trashPage.text).toContain('data-confirm="Delete this message for good? It is already in Trash."');
    expect((await w.web.post(`${w.mail}/${record.publicId}/delete`, {})).status).toBe(303);
    expect(folderMessages(w.g, w.alice, 'Trash')).toEqual([]);
    expect((await w.web.get(`${w.mail}/${record.publicId}`)).status).toBe(404);
    const actions = w.g.gateway.services.team.activity.list(20).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['message.updated', 'message.moved', 'message.deleted']));
  });

  it("answers 404 for another application's account and for another account's message or folder", async () => {
    const w = await world();
    const { g, web } = w;
    const other = g.gateway.services.applications.create('other');
    const theirs = await g.gateway.services.accounts.create(other.id, { email: 'theirs@agents.example.com', appPassword: PASSWORD });
    const bob = await g.account('bob');
    await deliver(g, theirs.email, hostileMessage('Theirs'));
    await deliver(g, bob.email, hostileMessage('Bobs'));
    const { store } = g.gateway.services;
    const theirMessage = store.mail.listMessages(store.mail.getMailbox(theirs.id, 'INBOX')!.id)[0]!;
    const bobMessage = store.mail.listMessages(store.mail.getMailbox(bob.id, 'INBOX')!.id)[0]!;
    const bobInbox = store.mail.getMailbox(bob.id, 'INBOX')!;
    const theirMail = `/dashboard/apps/${g.appId}/accounts/${theirs.id}/mail`;
    await web.get(w.mail);
    for (const path of [theirMail, `${theirMail}/events`, `${theirMail}/list-fragment`, `${theirMail}/${theirMessage.publicId}`]) {
      expect((await web.get(path)).status, path).toBe(404);
    }
    for (const path of [
      `${w.mail}/${bobMessage.publicId}`,
      `${w.mail}/${bobMessage.publicId}/html`,
      `${w.mail}/${bobMessage.publicId}/attachments/2`,
      `${w.mail}?folder=${bobInbox.id}`,
      `${w.mail}/events?folder=${bobInbox.id}`,
      `${w.mail}/list-fragment?folder=${bobInbox.id}`,
    ]) {
      expect((await web.get(path)).status, path).toBe(404);
    }
    expect((await web.post(`${w.mail}/${bobMessage.publicId}/flags`, { action: 'star' })).status).toBe(404);
    expect((await web.post(`${w.mail}/${bobMessage.publicId}/delete`, {})).status).toBe(404);
    expect((await web.post(`${theirMail}/${theirMessage.publicId}/delete`, {})).status).toBe(404);
    // Alice's own message cannot be moved into Bob's folder.
    await deliver(g, w.alice.email, plainMessage('Mine'));
    const mine = only(w, 'INBOX');
    expect((await web.post(`${w.mail}/${mine.publicId}/move`, { folder: String(bobInbox.id) })).status).toBe(404);
    expect(store.mail.getMessageByPublicId(bob.id, bobMessage.publicId)!.flags).not.toContain('\\Flagged');
    expect(store.mail.listMessages(bobInbox.id)).toHaveLength(1);
    expect(store.mail.getMessageByPublicId(theirs.id, theirMessage.publicId)).toBeDefined();
  });

  it('ends open change streams when the gateway stops, so they never hold the shutdown', async () => {
    const w = await world();
    const stream = await openStream(w.web, `${w.mail}/events`);
    await stream.until(/retry: \d+\n\n/);
    // A grace period longer than the test's timeout: only ending the stream lets close() finish in time.
    await w.g.gateway.close(120_000);
    await stream.end();
    expect(stream.text).toBe('retry: 5000\n\n');
  });
});
