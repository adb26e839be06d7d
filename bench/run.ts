// npm run bench: what a login costs with and without the cache, whether unknown addresses take
// as long as known ones, how fast the store writes (each write a committed, fsync'd
// transaction), SMTP submission end to end, and IMAP on one large folder (BENCH_IMAP_MESSAGES,
// default 100,000). Prints a table; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authenticator } from '../src/accounts/authenticate.js';
import { createServices } from '../src/services.js';
import nodemailer from 'nodemailer';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { startGateway } from '../src/main.js';
import { computeStructure } from '../src/mail/structure.js';
import { openStore } from '../src/store/open.js';
import { connect } from 'node:net';

/** A minimal IMAP client: sends a tagged command, waits for its tagged reply, returns bytes read. */
async function rawImap(port: number) {
  const socket = connect({ host: '127.0.0.1', port });
  let buffer = '';
  let waiter: (() => void) | null = null;
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => {
    buffer += d;
    waiter?.();
  });
  let n = 0;
  const until = async (test: () => boolean) => {
    while (!test()) await new Promise<void>((r) => (waiter = r));
  };
  await until(() => buffer.includes('\r\n'));
  buffer = '';
  return {
    async command(text: string): Promise<number> {
      const tag = `B${++n}`;
      socket.write(`${tag} ${text}\r\n`);
      await until(() => buffer.includes(`\r\n${tag} `) || buffer.startsWith(`${tag} `));
      const size = buffer.length;
      if (!new RegExp(`(^|\\r\\n)${tag} OK`).test(buffer)) throw new Error(`${text}: ${buffer.slice(-200)}`);
      buffer = '';
      return size;
    },
    close: () => socket.destroy(),
  };
}
const PASSWORD = 'MySecureP4ssword!2024';
const cost = Number(process.env.BENCH_BCRYPT_COST ?? 12);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeEach(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  return times;
}

const rows: [string, string][] = [];
const report = (name: string, value: string) => {
  rows.push([name, value]);
  console.log(`${name.padEnd(58)} ${value}`);
};

const dir = mkdtempSync(join(tmpdir(), 'wicket-bench-'));
try {
  const config = loadConfig({ WICKET_DATA_DIR: dir, WICKET_BCRYPT_COST: String(cost), WICKET_AUTH_FAILURE_DELAY_MS: '0' }, dir);
  const store = openStore(dir);
  const services = createServices(store, config, createLogger('silent'));
  const appId = services.defaultApplication.id;
  await services.domains.add('bench.example.com');
  await services.accounts.create(appId, { email: 'user@bench.example.com', appPassword: PASSWORD });
  console.log(`Wicket benchmark (bcrypt cost ${cost}, node ${process.version})\n`);

  const throttle = { maxFailures: 1_000_000, lockoutSeconds: 60, failureDelayMs: 0 };
  const remote = { address: '127.0.0.1' };

  // A fresh authenticator per login: no cache, one bcrypt comparison each.
  const cold = await timeEach(10, () => new Authenticator(store, { bcryptCost: cost, throttle }).authenticate('user@bench.example.com', PASSWORD, remote));
  report('login, cold (bcrypt compare), median', `${median(cold).toFixed(1)} ms`);

  const auth = new Authenticator(store, { bcryptCost: cost, throttle });
  await auth.authenticate('user@bench.example.com', PASSWORD, remote);
  const warmN = 20_000;
  const warmStart = performance.now();
  for (let i = 0; i < warmN; i++) await auth.authenticate('user@bench.example.com', PASSWORD, remote);
  const warmMs = performance.now() - warmStart;
  report('login, cached, per second', `${Math.round((warmN / warmMs) * 1000).toLocaleString('en')}/s (${((warmMs / warmN) * 1000).toFixed(1)} µs each)`);

  const wrong = await timeEach(10, () => auth.authenticate('user@bench.example.com', 'WrongP4sswordxxxxxxxx', remote));
  const unknown = await timeEach(10, () => auth.authenticate('nobody@bench.example.com', PASSWORD, remote));
  report('login, wrong password, median', `${median(wrong).toFixed(1)} ms`);
  report('login, unknown address (dummy hash), median', `${median(unknown).toFixed(1)} ms`);

  const accountsN = 200;
  const createStart = performance.now();
  for (let i = 0; i < accountsN; i++) await services.accounts.create(appId, { email: `a${i}@bench.example.com` });
  const createMs = performance.now() - createStart;
  report('account create (6 folders, no password), per second', `${Math.round((accountsN / createMs) * 1000)}/s`);

  const account = services.accounts.get(appId, 'user@bench.example.com');
  const inbox = store.mail.getMailbox(account.id, 'INBOX')!;
  const raw = Buffer.from(`Subject: bench\r\nFrom: a@example.net\r\n\r\n${'x'.repeat(10_000)}\r\n`);
  const appendN = 500;
  const appendStart = performance.now();
  for (let i = 0; i < appendN; i++) store.mail.appendMessage(account.id, inbox.id, { raw });
  const appendMs = performance.now() - appendStart;
  report('append 10 KB message (fsync per commit), per second', `${Math.round((appendN / appendMs) * 1000)}/s`);

  store.close();

  // SMTP submission end to end: one pooled TLS connection, each message fsync'd before its 250.
  const smtpDir = mkdtempSync(join(tmpdir(), 'wicket-bench-smtp-'));
  try {
    const smtpConfig = loadConfig(
      {
        WICKET_DATA_DIR: smtpDir,
        WICKET_CERTS_DIR: join(smtpDir, 'certs'),
        WICKET_BCRYPT_COST: String(cost),
        WICKET_BIND: '127.0.0.1',
        WICKET_HTTP_PORT: '0',
        WICKET_IMAP_PORT: 'auto',
        WICKET_IMAPS_PORT: '0',
        WICKET_SUBMISSIONS_PORT: '0',
        WICKET_MX_PORT: '0',
        WICKET_SUBMISSION_PORT: 'auto',
      },
      smtpDir,
    );
    const gateway = await startGateway(smtpConfig, createLogger('silent'));
    const gs = gateway.services;
    await gs.domains.add('bench.example.com');
    await gs.accounts.create(gs.defaultApplication.id, { email: 'user@bench.example.com', appPassword: PASSWORD });
    await gs.accounts.create(gs.defaultApplication.id, { email: 'rcpt@bench.example.com' });
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: gateway.ports.submission,
      pool: true,
      maxConnections: 1,
      maxMessages: Infinity,
      auth: { user: 'user@bench.example.com', pass: PASSWORD },
      tls: { rejectUnauthorized: false },
    });
    const text = 'x'.repeat(10_000);
    await transport.sendMail({ from: 'user@bench.example.com', to: 'rcpt@bench.example.com', subject: 'warm-up', text });
    const smtpN = 300;
    const smtpStart = performance.now();
    for (let i = 0; i < smtpN; i++) {
      await transport.sendMail({ from: 'user@bench.example.com', to: 'rcpt@bench.example.com', subject: `bench ${i}`, text });
    }
    const smtpMs = performance.now() - smtpStart;
    report('SMTP submission, 10 KB, one TLS connection, per second', `${Math.round((smtpN / smtpMs) * 1000)}/s (${(smtpMs / smtpN).toFixed(2)} ms each)`);
    transport.close();

    // IMAP on a large folder: nothing here may read message bodies.
    const big = Number(process.env.BENCH_IMAP_MESSAGES ?? 100_000);
    const owner = gs.accounts.get(gs.defaultApplication.id, 'rcpt@bench.example.com');
    const inboxFolder = gs.store.mail.getMailbox(owner.id, 'INBOX')!;
    const sample = Buffer.from(`From: a@example.net\r\nTo: rcpt@bench.example.com\r\nSubject: big folder\r\n\r\n${'y'.repeat(2000)}\r\n`);
    const structure = computeStructure(sample);
    const fillStart = performance.now();
    for (let i = 0; i < big; i++) gs.store.mail.appendMessage(owner.id, inboxFolder.id, { raw: sample, flags: i % 3 ? ['\\Seen'] : [], structure });
    report(`fill a folder with ${big.toLocaleString('en')} messages (one commit each)`, `${((performance.now() - fillStart) / 1000).toFixed(1)} s`);
    await gs.accounts.update(gs.defaultApplication.id, 'rcpt@bench.example.com', { appPassword: PASSWORD });
    const imap = await rawImap(gateway.ports.imap!);
    await imap.command('LOGIN rcpt@bench.example.com "' + PASSWORD.replace(/"/g, '\\"') + '"');
    // A client coming back after a while: the last 50 changes since its MODSEQ.
    const since = gs.store.mail.getMailbox(owner.id, 'INBOX')!.highestModseq - 50;
    for (const [label, command] of [
      ['SELECT INBOX', 'SELECT INBOX'],
      ['UID FETCH 1:* (UID FLAGS)', 'UID FETCH 1:* (UID FLAGS)'],
      ['FETCH 1:* (FLAGS)', 'FETCH 1:* (FLAGS)'],
      ['FETCH 1:* (FLAGS) (CHANGEDSINCE last 50)', `FETCH 1:* (FLAGS) (CHANGEDSINCE ${since})`],
      ['SEARCH UNSEEN', 'SEARCH UNSEEN'],
      ['FETCH 1:100 (ENVELOPE BODYSTRUCTURE)', 'FETCH 1:100 (ENVELOPE BODYSTRUCTURE)'],
      ['SEARCH BODY "needle" (reads every body)', 'SEARCH BODY "needle"'],
    ] as const) {
      const t = performance.now();
      const bytes = await imap.command(command);
      report(`IMAP ${label} on ${big.toLocaleString('en')} messages`, `${(performance.now() - t).toFixed(0)} ms (${(bytes / 1024).toFixed(0)} KiB)`);
    }
    imap.close();
    await gateway.close(0);
  } finally {
    rmSync(smtpDir, { recursive: true, force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
