// Records what real IMAP clients send, for the fuzzer's seed corpus (test/reliability/corpus/).
// Run by hand when a client changes: `npx tsx test/reliability/capture-corpus.ts`. It starts the
// gateway on a temporary data directory, puts a recording proxy in front of its plaintext IMAP
// port (loopback may log in without TLS), drives imapflow and mbsync through the proxy, and
// writes each client's byte stream — decompressed after COMPRESS DEFLATE, as the receiver sees
// it — to corpus/<client>.imap. The Thunderbird and Apple Mail transcripts are written by hand
// from those clients' documented behaviour (see the header of each file).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, type Socket, createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createInflateRaw } from 'node:zlib';
import { ImapFlow } from 'imapflow';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startGateway } from '../../src/main.js';
import { GATEWAY_ENV, PASSWORD } from '../helpers/gateway.js';
import { mbsyncConfig } from '../helpers/mbsync.js';

const OUT = resolve(import.meta.dirname, 'corpus');
const run = promisify(execFile);

/** A TCP proxy that keeps every byte the client sent, inflating it once COMPRESS is on. */
function recordingProxy(target: number): Promise<{ server: Server; port: number; take(): Buffer }> {
  let recorded: Buffer[] = [];
  const server = createServer((client: Socket) => {
    const upstream = connect({ host: '127.0.0.1', port: target });
    let compressTag: string | null = null;
    let compressed = false;
    const inflate = createInflateRaw();
    inflate.on('data', (d: Buffer) => recorded.push(d));
    inflate.on('error', () => {});
    client.on('data', (d: Buffer) => {
      if (compressed) inflate.write(d);
      else {
        recorded.push(d);
        const m = /^(\S+) COMPRESS DEFLATE\r?\n/im.exec(d.toString('latin1'));
        if (m) compressTag = m[1]!;
      }
      upstream.write(d);
    });
    let serverText = '';
    upstream.on('data', (d: Buffer) => {
      if (compressTag && !compressed) {
        serverText += d.toString('latin1');
        if (new RegExp(`(^|\\n)${compressTag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} OK`).test(serverText)) compressed = true;
      }
      client.write(d);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () =>
      ok({
        server,
        port: (server.address() as { port: number }).port,
        take: () => {
          const all = Buffer.concat(recorded);
          recorded = [];
          return all;
        },
      }),
    ),
  );
}

const MESSAGE = (i: number) =>
  Buffer.from(
    [
      `From: "Sender ${i}" <sender${i}@remote.example>`,
      'To: capture@agents.example.com',
      `Subject: corpus message ${i}`,
      'Date: Mon, 23 Nov 2026 10:00:00 +0100',
      `Message-ID: <corpus-${i}@remote.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `plain body ${i}`,
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      `<p>html body ${i}</p>`,
      '--b1--',
      '',
    ].join('\r\n'),
  );

async function imapflowSession(port: number, user: string): Promise<void> {
  const imap = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass: PASSWORD }, logger: false, qresync: true });
  await imap.connect();
  await imap.list({ statusQuery: { messages: true, unseen: true, uidNext: true, highestModseq: true }, specialUseHints: { sent: 'Sent', trash: 'Trash' } });
  await imap.mailboxCreate(['Projects', 'Capture']);
  await imap.append('INBOX', MESSAGE(1), ['\\Seen'], new Date('2026-11-23T09:00:00Z'));
  await imap.append('Projects/Capture', MESSAGE(2));
  await imap.status('INBOX', { messages: true, recent: true, uidNext: true, uidValidity: true, unseen: true, highestModseq: true });
  const lock = await imap.getMailboxLock('INBOX');
  try {
    for await (const _ of imap.fetch('1:*', { uid: true, flags: true, envelope: true, bodyStructure: true, size: true, internalDate: true, headers: ['date', 'subject'] })) void _;
    await imap.fetchOne('*', { source: true, bodyParts: ['1', '2'] });
    await imap.download('*', '1');
    await imap.search({ seen: false, from: 'sender', since: new Date('2026-01-01') }, { uid: true });
    await imap.search({ or: [{ subject: 'corpus' }, { header: { 'message-id': 'corpus' } }], larger: 10 });
    await imap.messageFlagsAdd('1:*', ['\\Flagged', '$Label1']);
    await imap.messageFlagsRemove({ uid: '1:*' }, ['\\Seen'], { uid: true });
    await imap.messageFlagsSet('1', ['\\Seen', '\\Answered']);
    await imap.messageCopy('1', 'Archive');
    await imap.messageMove('1', 'Trash');
    await imap.mailboxRename('Projects/Capture', 'Projects/Captured');
  } finally {
    lock.release();
  }
  const idle = imap.idle();
  await new Promise((r) => setTimeout(r, 200));
  await imap.noop();
  await idle.catch(() => undefined);
  await imap.getQuota('INBOX').catch(() => undefined);
  await imap.mailboxOpen('Trash', { readOnly: true });
  await imap.messageDelete('1:*').catch(() => undefined);
  await imap.mailboxDelete('Projects/Captured');
  await imap.logout();
}

async function mbsyncSession(port: number, user: string, dir: string): Promise<void> {
  const maildir = join(dir, 'Maildir');
  mkdirSync(maildir);
  const conf = join(dir, 'mbsyncrc');
  writeFileSync(conf, mbsyncConfig({ port, user, password: PASSWORD, maildir, tls: null, authMechs: 'LOGIN PLAIN' }));
  await run('mbsync', ['-c', conf, '-a']);
  // A second pass with a local change: flags and a new message go up (STORE, APPEND).
  mkdirSync(join(maildir, 'Local'), { recursive: true });
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, 'Local', sub), { recursive: true });
  writeFileSync(join(maildir, 'Local', 'new', '1700000000.1.capture'), MESSAGE(9));
  await run('mbsync', ['-c', conf, '-a']);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wicket-corpus-'));
  try {
    const config = loadConfig({ ...GATEWAY_ENV, WICKET_DATA_DIR: dir, WICKET_CERTS_DIR: join(dir, 'certs'), WICKET_BCRYPT_COST: '4' }, dir);
    const gateway = await startGateway(config, createLogger('silent'));
    try {
      await gateway.services.domains.add('agents.example.com');
      const app = gateway.services.defaultApplication.id;
      for (const local of ['imapflow', 'mbsync']) {
        const account = await gateway.services.accounts.create(app, { email: `${local}@agents.example.com`, appPassword: PASSWORD });
        for (let i = 0; i < 3; i++) gateway.pipeline.append(account, gateway.services.mailboxes.find(account.id, 'INBOX')!, MESSAGE(10 + i), { flags: [] });
      }
      const proxy = await recordingProxy(gateway.ports.imap!);
      mkdirSync(OUT, { recursive: true });
      await imapflowSession(proxy.port, 'imapflow@agents.example.com');
      await new Promise((r) => setTimeout(r, 200));
      writeFileSync(join(OUT, 'imapflow.imap'), proxy.take());
      await mbsyncSession(proxy.port, 'mbsync@agents.example.com', dir);
      await new Promise((r) => setTimeout(r, 200));
      writeFileSync(join(OUT, 'mbsync.imap'), proxy.take());
      proxy.server.close();
    } finally {
      await gateway.close(0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
