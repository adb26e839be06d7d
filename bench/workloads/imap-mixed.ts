// The IMAP mixed session, as a mail client's short visit: connect, LOGIN, SELECT INBOX, FETCH
// flags + ENVELOPE + BODYSTRUCTURE of the newest 20, FETCH one whole body (BODY.PEEK[]), STORE
// +FLAGS (\Flagged) on one, APPEND a message, mark it \Deleted (UID STORE on its APPENDUID) and
// EXPUNGE, LOGOUT — nine commands, each counted as one operation. N clients (10, 100) run
// sessions back to back for a fixed time, spread over the accounts; the figures are operations
// per second and the session latency p50/p99.
//
// A third figure keeps 100 clients logged in and repeats the same session without LOGIN and
// LOGOUT (UNSELECT instead): the mail work alone, apart from the cost of authentication —
// Dovecot's auth cache still verifies bcrypt on every login, Wicket's does not.
import { RawImap } from '../lib/imap.js';
import { seedMessage } from '../lib/messages.js';
import { closedLoop, percentile } from '../lib/stats.js';
import type { Account, Figure, RunContext, Workload } from '../lib/types.js';

const ACCOUNTS = 10;
const SESSION_OPS = 9;
const MAIL_OPS = 7;
const seeded = (quick: boolean): number => (quick ? 200 : 1000);

/** `* N EXISTS` from a SELECT reply. */
function existsOf(text: string): number {
  const m = /^\* (\d+) EXISTS\r?$/m.exec(text);
  if (!m) throw new Error(`SELECT reply without EXISTS: ${text.slice(0, 200)}`);
  return Number(m[1]);
}

/**
 * SELECT … EXPUNGE on a logged-in connection: seven commands. The FETCHes and the \Flagged
 * STORE read the newest 20 *seeded* messages: sessions on the same account append and expunge
 * their own messages meanwhile, but only above the seed, so sequence numbers 1…seeded never
 * change and no command races another session's EXPUNGE.
 */
async function mailWork(imap: RawImap, account: Account, seeded: number, n: number): Promise<void> {
  const exists = existsOf((await imap.command('SELECT INBOX')).text);
  if (exists < seeded) throw new Error(`${account.email}: INBOX holds ${exists} messages, fewer than the ${seeded} seeded`);
  const first = Math.max(1, seeded - 19);
  const span = seeded - first + 1;
  await imap.command(`FETCH ${first}:${seeded} (FLAGS ENVELOPE BODYSTRUCTURE)`);
  const body = await imap.command(`FETCH ${first + (n % span)} (BODY.PEEK[])`);
  if (!/BODY\[\] \{\d+\}/.test(body.text)) throw new Error(`FETCH BODY.PEEK[] returned no body: ${body.text.slice(0, 200)}`);
  await imap.command(`STORE ${first + ((n * 7) % span)} +FLAGS (\\Flagged)`);
  const appended = await imap.command('APPEND INBOX', seedMessage(1_000_000 + n, { to: account.email }));
  const uid = /\[APPENDUID \d+ (\d+)\]/.exec(appended.text)?.[1];
  if (!uid) throw new Error(`APPEND without APPENDUID: ${appended.text.slice(-200)}`);
  await imap.command(`UID STORE ${uid} +FLAGS.SILENT (\\Deleted)`);
  await imap.command('EXPUNGE');
}

async function session(port: number, account: Account, seeded: number, n: number): Promise<void> {
  const imap = await RawImap.connect(port);
  try {
    await imap.login(account.email, account.password);
    await mailWork(imap, account, seeded, n);
    await imap.command('LOGOUT');
  } finally {
    imap.close();
  }
}

export const imapMixed: Workload = {
  name: 'imap-mixed',
  description: `IMAP mixed session (LOGIN, SELECT, FETCH envelope+structure, FETCH body, STORE, APPEND, STORE \\Deleted + EXPUNGE, LOGOUT) at 10 and 100 clients over ${ACCOUNTS} accounts`,
  targets: ['wicket', 'dovecot'],
  setup(quick) {
    return { accounts: ACCOUNTS, seed: Array.from({ length: ACCOUNTS }, (_, account) => ({ account, messages: seeded(quick) })) };
  },
  async run(ctx: RunContext): Promise<Figure[]> {
    const { target, quick, log } = ctx;
    const durationMs = quick ? 4_000 : 20_000;
    const accounts = target.accounts.slice(0, ACCOUNTS);
    const seed = seeded(quick);
    const figures: Figure[] = [];
    let n = 0;

    // Every account once, so both servers start warm (auth cache, open indexes).
    await Promise.all(accounts.map((a) => session(target.imapPort, a, seed, n++)));

    for (const clients of [10, 100]) {
      const r = await closedLoop(clients, durationMs, (w) => session(target.imapPort, accounts[w % accounts.length]!, seed, n++));
      const opsPerSecond = (r.ops * SESSION_OPS) / (r.elapsedMs / 1000);
      log(
        `    ${target.name} ${clients} clients: ${r.ops} sessions, ${Math.round(opsPerSecond)} ops/s, p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p99 ${percentile(r.latencies, 99).toFixed(1)} ms${r.errors ? `, ${r.errors} errors (first: ${(r.firstError as Error)?.message})` : ''}`,
      );
      figures.push(
        { name: `ops/s, ${clients} clients`, value: opsPerSecond, unit: 'ops/s', better: 'higher', errors: r.errors },
        { name: `session p50, ${clients} clients`, value: percentile(r.latencies, 50), unit: 'ms', better: 'lower', errors: r.errors },
        { name: `session p99, ${clients} clients`, value: percentile(r.latencies, 99), unit: 'ms', better: 'lower', errors: r.errors },
      );
    }

    // The same work on connections that stay logged in: no LOGIN, no LOGOUT.
    const clients = 100;
    const conns = await Promise.all(
      Array.from({ length: clients }, async (_, w) => {
        const imap = await RawImap.connect(target.imapPort);
        await imap.login(accounts[w % accounts.length]!.email, accounts[w % accounts.length]!.password);
        return imap;
      }),
    );
    try {
      const cpuBefore = target.cpuMs();
      const r = await closedLoop(clients, durationMs, async (w) => {
        await mailWork(conns[w]!, accounts[w % accounts.length]!, seed, n++);
        await conns[w]!.command('UNSELECT');
      });
      const opsPerSecond = (r.ops * (MAIL_OPS + 1)) / (r.elapsedMs / 1000);
      const cpuPerOp = ((target.cpuMs() - cpuBefore) * 1000) / Math.max(1, r.ops * (MAIL_OPS + 1));
      log(
        `    ${target.name} ${clients} logged-in clients: ${Math.round(opsPerSecond)} ops/s, server CPU ${cpuPerOp.toFixed(0)} µs an operation${r.errors ? `, ${r.errors} errors (first: ${(r.firstError as Error)?.message})` : ''}`,
      );
      figures.push({ name: `ops/s, ${clients} clients, no login`, value: opsPerSecond, unit: 'ops/s', better: 'higher', errors: r.errors });
      figures.push({ name: 'server CPU per operation, no login', value: cpuPerOp, unit: 'µs', better: 'lower', errors: r.errors });
    } finally {
      for (const c of conns) c.close();
    }
    return figures;
  },
};
