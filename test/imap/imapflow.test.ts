// End-to-end flows with imapflow, the IMAP client a Node application would use.
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { PASSWORD, type TestGateway, startTestGateway } from '../helpers/gateway.js';

function client(g: TestGateway, user: string, opts: { secure?: boolean } = {}): ImapFlow {
  const secure = opts.secure ?? true;
  return new ImapFlow({
    host: '127.0.0.1',
    port: secure ? g.ports.imaps : g.ports.imap,
    secure,
    auth: { user, pass: PASSWORD },
    tls: { rejectUnauthorized: false },
    logger: false,
  });
}

const NESTED = [
  'From: "Alice Example" <alice@remote.example>',
  'To: sales@agents.example.com',
  'Subject: =?UTF-8?Q?Quarterly_r=C3=A9port?=',
  'Date: Mon, 23 Nov 2026 10:00:00 +0100',
  'Message-ID: <nested-1@remote.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  '--outer',
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
  '<p>Hello, the r&eacute;port is attached.</p>',
  '--inner--',
  '',
  '--outer',
  'Content-Type: application/pdf; name="report.pdf"',
  'Content-Disposition: attachment; filename="report.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('%PDF-1.4 pretend pdf').toString('base64'),
  '--outer--',
  '',
].join('\r\n');

describe('imapflow', () => {
  it('logs in over IMAPS, lists special-use folders, appends and fetches envelope, structure and parts', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    const imap = client(g, 'sales@agents.example.com');
    await imap.connect();
    try {
      const folders = await imap.list();
      expect(folders.map((f) => [f.path, f.specialUse ?? null]).sort()).toEqual([
        ['Archive', '\\Archive'],
        ['Drafts', '\\Drafts'],
        ['INBOX', '\\Inbox'],
        ['Junk', '\\Junk'],
        ['Sent', '\\Sent'],
        ['Trash', '\\Trash'],
      ]);
      await imap.append('INBOX', Buffer.from(NESTED), ['\\Flagged'], new Date('2026-11-23T09:00:00Z'));
      const lock = await imap.getMailboxLock('INBOX');
      try {
        const message = await imap.fetchOne('1', { uid: true, envelope: true, bodyStructure: true, flags: true, source: true, internalDate: true, size: true });
        if (!message) throw new Error('no message');
        expect(message.source!.toString()).toBe(NESTED);
        expect(message.size).toBe(Buffer.byteLength(NESTED));
        // IMAP4rev1: this session is the first to see it, so it also holds \Recent.
        expect([...message.flags!].sort()).toEqual(['\\Flagged', '\\Recent']);
        expect(message.internalDate).toEqual(new Date('2026-11-23T09:00:00Z'));
        expect(message.envelope).toMatchObject({
          subject: 'Quarterly réport',
          messageId: '<nested-1@remote.example>',
          from: [{ name: 'Alice Example', address: 'alice@remote.example' }],
          to: [{ address: 'sales@agents.example.com' }],
        });
        const structure = message.bodyStructure!;
        expect(structure.type).toBe('multipart/mixed');
        expect(structure.childNodes!.map((c) => c.type)).toEqual(['multipart/alternative', 'application/pdf']);
        expect(structure.childNodes![0]!.childNodes!.map((c) => [c.part, c.type, c.encoding])).toEqual([
          ['1.1', 'text/plain', 'quoted-printable'],
          ['1.2', 'text/html', '7bit'],
        ]);
        expect(structure.childNodes![1]).toMatchObject({ part: '2', disposition: 'attachment', dispositionParameters: { filename: 'report.pdf' } });

        const { content } = await imap.download('1', '2');
        const chunks: Buffer[] = [];
        for await (const chunk of content!) chunks.push(chunk as Buffer);
        expect(Buffer.concat(chunks).toString()).toBe('%PDF-1.4 pretend pdf');
        const part = await imap.fetchOne('1', { bodyParts: ['1.1', '2.MIME'] });
        if (!part) throw new Error('no message');
        expect(part.bodyParts!.get('1.1')!.toString()).toBe('Hello, the r=C3=A9port is attached.');
        expect(part.bodyParts!.get('2.mime')!.toString()).toContain('Content-Disposition: attachment; filename="report.pdf"');
      } finally {
        lock.release();
      }
    } finally {
      await imap.logout();
    }
  });

  it('searches, stores flags, copies and expunges; a second session sees the changes', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    const a = client(g, 'sales@agents.example.com');
    const b = client(g, 'sales@agents.example.com', { secure: false });
    await a.connect();
    await b.connect();
    try {
      for (const subject of ['alpha', 'beta', 'gamma']) {
        await a.append('INBOX', Buffer.from(`From: x@remote.example\r\nSubject: ${subject}\r\n\r\nbody of ${subject}\r\n`));
      }
      await a.mailboxOpen('INBOX');
      await b.mailboxOpen('INBOX');
      expect(await a.search({ subject: 'beta' })).toEqual([2]);
      expect(await a.search({ body: 'of gamma' }, { uid: true })).toEqual([3]);
      expect(await a.search({ seen: false })).toEqual([1, 2, 3]);

      await a.messageFlagsAdd('2', ['\\Seen', '$Important']);
      const flags = new Promise<{ seq: number; flags: Set<string> }>((resolve) => b.once('flags', resolve));
      await b.noop();
      expect(await flags).toMatchObject({ seq: 2, flags: new Set(['\\Seen', '$Important']) });

      const copied = await a.messageCopy('1:2', 'Archive');
      expect(copied).toBeTruthy();
      const status = await a.status('Archive', { messages: true, unseen: true });
      expect(status).toMatchObject({ messages: 2, unseen: 1 });

      await a.messageFlagsAdd('1', ['\\Deleted']);
      const expunged = new Promise<{ seq: number }>((resolve) => b.once('expunge', resolve));
      await a.mailboxClose();
      await b.noop();
      expect((await expunged).seq).toBe(1);
      expect(b.mailbox && b.mailbox.exists).toBe(2);
    } finally {
      await a.logout();
      await b.logout();
    }
  });

  it('reads mail that arrived over SMTP, byte for byte', async () => {
    const g = await startTestGateway();
    const sales = await g.account('sales', { name: 'Sales Agent' });
    await g.account('bob');
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: g.ports.submission, auth: { user: sales.email, pass: PASSWORD }, tls: { rejectUnauthorized: false } })
      .sendMail({ from: sales.email, to: 'bob@agents.example.com', subject: 'over smtp', text: 'Hi Bob' });
    const imap = client(g, 'bob@agents.example.com');
    await imap.connect();
    try {
      await imap.mailboxOpen('INBOX');
      const message = await imap.fetchOne('*', { envelope: true, source: true });
      if (!message) throw new Error('no message');
      expect(message.envelope!.from).toEqual([{ name: 'Sales Agent', address: sales.email }]);
      const stored = g.gateway.services.store;
      const bob = stored.directory.findAccountByEmail('bob@agents.example.com')!;
      const inbox = stored.mail.getMailbox(bob.id, 'INBOX')!;
      const [record] = stored.mail.listMessages(inbox.id);
      expect(message.source!.equals(stored.mail.readMessage(record!.id)!)).toBe(true);
    } finally {
      await imap.logout();
    }
  });

  it('refuses the wrong password and an account without an app password', async () => {
    const g = await startTestGateway();
    await g.account('nopass', { password: null });
    const imap = new ImapFlow({
      host: '127.0.0.1',
      port: g.ports.imaps,
      secure: true,
      auth: { user: 'nopass@agents.example.com', pass: PASSWORD },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await expect(imap.connect()).rejects.toMatchObject({ authenticationFailed: true });
  });
});

describe('imapflow as a Thunderbird-like sync client', () => {
  it('QRESYNC select, changes since a MODSEQ, IDLE receiving an SMTP delivery, MOVE to Archive seen as VANISHED', async () => {
    const g = await startTestGateway();
    const sales = await g.account('sales');
    await g.account('bob');
    const imap = new ImapFlow({
      host: '127.0.0.1',
      port: g.ports.imaps,
      secure: true,
      auth: { user: 'bob@agents.example.com', pass: PASSWORD },
      tls: { rejectUnauthorized: false },
      logger: false,
      qresync: true,
    });
    await imap.connect();
    try {
      expect(imap.enabled.has('QRESYNC')).toBe(true);
      const folders = await imap.list({ statusQuery: { messages: true, highestModseq: true } });
      expect(folders.find((f) => f.path === 'Archive')?.specialUse).toBe('\\Archive');

      const send = (subject: string) =>
        nodemailer
          .createTransport({ host: '127.0.0.1', port: g.ports.submission, auth: { user: sales.email, pass: PASSWORD }, tls: { rejectUnauthorized: false } })
          .sendMail({ from: sales.email, to: 'bob@agents.example.com', subject, text: subject });
      await send('first');
      const box = await imap.mailboxOpen('INBOX');
      expect(box.exists).toBe(1);
      const since = box.highestModseq!;

      // IDLE: a delivery over SMTP arrives as EXISTS.
      const exists = new Promise<{ count: number }>((resolve) => imap.once('exists', resolve));
      // imapflow ends IDLE itself (DONE) when the next command is issued.
      void imap.idle();
      await send('second');
      expect((await exists).count).toBe(2);

      // Changes since the MODSEQ seen at SELECT.
      const changed: number[] = [];
      for await (const message of imap.fetch('1:*', { uid: true, flags: true }, { changedSince: since })) changed.push(message.uid);
      expect(changed).toEqual([2]);

      // MOVE to Archive: the client hears VANISHED for the moved UID.
      const vanished = new Promise<{ uid?: number; vanished?: boolean }>((resolve) => imap.once('expunge', resolve));
      const moved = await imap.messageMove('1', 'Archive', { uid: true });
      expect(moved).toMatchObject({ destination: 'Archive', uidMap: new Map([[1, 1]]) });
      expect(await vanished).toMatchObject({ uid: 1, vanished: true });
      const archive = await imap.status('Archive', { messages: true });
      expect(archive && archive.messages).toBe(1);
    } finally {
      await imap.logout();
    }
  });
});
