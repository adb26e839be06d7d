// IDLE fan-out. Memory: N authenticated connections (quick 1,000, full 10,000; Dovecot 2,000), each LOGIN,
// SELECT INBOX, IDLE; the server's resident memory before and after (2 s to settle, nothing
// forced), divided by N. The first 1,000 connections idle on ONE account's INBOX (user0); the
// rest are spread over the other accounts. Latency: a separate connection APPENDs a message to
// that INBOX; for each of the 1,000 idlers, the time from sending the APPEND to its
// `* n EXISTS` line; a few rounds, p50/p99 over every idler's latency. In the full run it is
// measured twice: with all N connected, then with only the 1,000 idlers left (the figure).
import { readFileSync } from 'node:fs';
import { RawImap } from '../lib/imap.js';
import { seedMessage } from '../lib/messages.js';
import { treeRss } from '../lib/proc.js';
import { percentile } from '../lib/stats.js';
import type { Account, Figure, RunContext, Target, Workload } from '../lib/types.js';

const IDLERS = 1000;
const DOVECOT_FULL = 2000;
const ACCOUNTS = 10;
const BATCH = 200;
const ROUND_TIMEOUT_MS = 10_000;

/** Proportional set size: shared pages (libraries of a forking server) split between sharers. */
function pssOf(pid: number): number {
  try {
    const kb = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
const treePss = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + pssOf(pid), 0);

/** Targets whose memory was measured already (the first run against each server process). */
const measured = new WeakSet<Target>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openIdler(target: Target, account: Account, localAddress: string): Promise<RawImap> {
  const imap = await RawImap.connect(target.imapPort, { localAddress });
  try {
    await imap.login(account.email, account.password);
    await imap.command('SELECT INBOX');
    await imap.idle();
    return imap;
  } catch (err) {
    imap.close();
    throw err;
  }
}

/** Opens `accounts.length` idlers, BATCH at a time; failures are counted, not hidden. */
async function openMany(
  target: Target,
  accounts: Account[],
  log: (line: string) => void,
): Promise<{ idlers: { imap: RawImap; account: Account }[]; errors: number; firstError: unknown }> {
  const idlers: { imap: RawImap; account: Account }[] = [];
  let errors = 0;
  let firstError: unknown;
  for (let start = 0; start < accounts.length; start += BATCH) {
    const batch = accounts.slice(start, start + BATCH);
    // Spread over four loopback source addresses: Wicket caps connections per address (≤ 10,000).
    const results = await Promise.allSettled(batch.map((a, i) => openIdler(target, a, `127.0.0.${1 + ((start + i) % 4)}`)));
    for (const [i, r] of results.entries()) {
      if (r.status === 'fulfilled') idlers.push({ imap: r.value, account: batch[i]! });
      else {
        errors++;
        firstError ??= r.reason;
      }
    }
    if ((start + BATCH) % 2000 === 0) log(`  idle ${target.name}: ${idlers.length} idling`);
  }
  return { idlers, errors, firstError };
}

/**
 * Ends IDLE and logs out, so the server closes first and the TIME_WAIT sockets are its (on its
 * IMAP port) rather than the bench's: 10,000 client-side TIME_WAITs hold ephemeral ports for a
 * minute, and the next server started on a "free" port could find it taken.
 */
async function closeAll(idlers: RawImap[]): Promise<void> {
  for (const imap of idlers) {
    imap.send('DONE');
    imap.send('Z LOGOUT');
  }
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && idlers.some((imap) => !imap.isClosed)) await sleep(100);
  for (const imap of idlers) imap.close();
}

/**
 * Rounds of one APPEND each into the idlers' INBOX from a separate connection; per idler, the
 * milliseconds from sending the APPEND to its `* n EXISTS`. `exists` is the count before.
 */
async function fanOut(
  target: Target,
  account: Account,
  idlers: RawImap[],
  rounds: number,
  exists: number,
): Promise<{ latencies: number[]; appendMs: number[]; missed: number; exists: number }> {
  const appender = await RawImap.connect(target.imapPort);
  const latencies: number[] = [];
  const appendMs: number[] = [];
  let missed = 0;
  try {
    await appender.login(account.email, account.password);
    for (let round = 0; round < rounds; round++) {
      const expected = new RegExp(`^\\* ${++exists} EXISTS`, 'm');
      const message = seedMessage(100_000 + round, { to: account.email });
      let start = 0;
      const arrivals = idlers.map((imap) =>
        imap.waitFor(expected).then(
          () => performance.now() - start,
          () => null,
        ),
      );
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ROUND_TIMEOUT_MS)));
      start = performance.now();
      const append = appender.command('APPEND INBOX', message).then(() => appendMs.push(performance.now() - start));
      const settled = arrivals.map((p) => Promise.race([p, timeout]));
      const values = await Promise.all(settled);
      clearTimeout(timer);
      await append;
      for (const v of values) {
        if (typeof v === 'number') latencies.push(v);
        else missed++;
      }
      if (missed > 0) break; // an idler that missed one cannot be waited on for the next count
      await sleep(200);
    }
    await appender.command('LOGOUT').catch(() => undefined);
  } finally {
    appender.close();
  }
  return { latencies, appendMs, missed, exists };
}

export const idle: Workload = {
  name: 'idle',
  description: 'IDLE fan-out: memory per idle connection (1,000 quick / 10,000 full), delivery (APPEND) → EXISTS latency at 1,000 idlers on one INBOX',
  targets: ['wicket', 'dovecot'],
  // IDLE measures memory and fan-out, not logins: its accounts are hashed at bcrypt's lowest
  // cost on both servers. Dovecot verifies bcrypt on every login (its passwd-file lookups are
  // not cached), so 10,000 logins at cost 12 would take it over half an hour per run.
  setup: () => ({ accounts: ACCOUNTS, bcryptCost: 4 }),
  async run(ctx: RunContext): Promise<Figure[]> {
    const { target, quick, log } = ctx;
    // Dovecot runs one imap process per connection: 10,000 of them took it over ten minutes to
    // open here, so its full run holds 2,000 (memory per connection is still per connection; the
    // latency figure is at the same 1,000 idlers on one INBOX for both).
    const total = quick ? IDLERS : target.name === 'dovecot' ? DOVECOT_FULL : 10_000;
    const rounds = quick ? 5 : 10;
    const inbox = target.accounts[0]!;
    // The first IDLERS on user0's INBOX, the others round-robin over the remaining accounts.
    const plan = Array.from({ length: total }, (_, i) => (i < IDLERS ? inbox : target.accounts[1 + (i % (target.accounts.length - 1))]!));

    // Warm each account's login once (cold bcrypt is the login workload's business, not this one's).
    for (const account of target.accounts) {
      const imap = await RawImap.connect(target.imapPort);
      await imap.login(account.email, account.password);
      await imap.command('LOGOUT').catch(() => undefined);
      imap.close();
    }
    // The INBOX's current count, for the EXISTS the idlers will see.
    const probe = await RawImap.connect(target.imapPort);
    await probe.login(inbox.email, inbox.password);
    const exists0 = Number(/\* (\d+) EXISTS/.exec((await probe.command('EXAMINE INBOX')).text)?.[1] ?? 0);
    await probe.command('LOGOUT').catch(() => undefined);
    probe.close();
    await sleep(1000);

    const before = treeRss(target.pids());
    const beforePss = treePss(target.pids());
    const opened = performance.now();
    const { idlers, errors: openErrors, firstError } = await openMany(target, plan, log);
    const openSeconds = (performance.now() - opened) / 1000;
    if (openErrors > 0) log(`  idle ${target.name}: ${openErrors} connections failed; first: ${String(firstError)}`);
    await sleep(2000);
    const pids = target.pids();
    const after = treeRss(pids);
    const afterPss = treePss(pids);
    const perConn = (after - before) / idlers.length / 1024;
    const perConnPss = (afterPss - beforePss) / idlers.length / 1024;
    log(
      `  idle ${target.name}: ${idlers.length} idling in ${openSeconds.toFixed(1)} s (${pids.length} processes); RSS ${(before / 2 ** 20).toFixed(0)} → ${(after / 2 ** 20).toFixed(0)} MB = ${perConn.toFixed(1)} KB/conn; PSS ${perConnPss.toFixed(1)} KB/conn`,
    );

    // Memory is a figure of a fresh server only: on a later run the same process keeps the heap
    // the earlier run grew (RSS is not given back), so "after − before" would read near zero.
    const fresh = !measured.has(target);
    measured.add(target);
    if (!fresh) log(`  idle ${target.name}: memory not recorded on a repeated run against the same server`);
    const figures: Figure[] = !fresh ? [] : [
      // Without the count in the name, so Wicket's 10,000 and Dovecot's 2,000 pair up.
      { name: 'IDLE connections held', value: idlers.length, unit: 'connections', better: 'higher', errors: openErrors },
      { name: 'resident memory per IDLE connection (RSS)', value: perConn, unit: 'KB', better: 'lower', goal: { op: '<=', value: 30 }, errors: openErrors },
      { name: 'proportional memory per IDLE connection (PSS)', value: perConnPss, unit: 'KB', better: 'lower', errors: openErrors },
    ];

    const onInbox = idlers.filter((c) => c.account === inbox).map((c) => c.imap);
    try {
      let exists = exists0;
      if (total > IDLERS) {
        const crowded = await fanOut(target, inbox, onInbox, rounds, exists);
        exists = crowded.exists;
        log(`  idle ${target.name}: among ${idlers.length} connections, ${crowded.latencies.length} EXISTS, p50 ${percentile(crowded.latencies, 50).toFixed(1)} ms, p99 ${percentile(crowded.latencies, 99).toFixed(1)} ms, APPEND p50 ${percentile(crowded.appendMs, 50).toFixed(1)} ms`);
        const label = `${onInbox.length.toLocaleString('en')} idlers among all the connections`;
        figures.push(
          { name: `APPEND sent → EXISTS p50, ${label}`, value: percentile(crowded.latencies, 50), unit: 'ms', better: 'lower', errors: crowded.missed + openErrors },
          { name: `APPEND sent → EXISTS p99, ${label}`, value: percentile(crowded.latencies, 99), unit: 'ms', better: 'lower', errors: crowded.missed + openErrors },
        );
        // Only the INBOX's idlers stay: the figure is at 1,000 idlers.
        await closeAll(idlers.filter((c) => c.account !== inbox).map((c) => c.imap));
        await sleep(2000);
      }
      const r = await fanOut(target, inbox, onInbox, rounds, exists);
      log(`  idle ${target.name}: ${onInbox.length} idlers, ${r.latencies.length} EXISTS, p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p99 ${percentile(r.latencies, 99).toFixed(1)} ms, APPEND p50 ${percentile(r.appendMs, 50).toFixed(1)} ms`);
      const label = `${onInbox.length.toLocaleString('en')} idlers on one INBOX`;
      figures.push(
        { name: `APPEND sent → EXISTS p50, ${label}`, value: percentile(r.latencies, 50), unit: 'ms', better: 'lower', errors: r.missed + openErrors },
        { name: `APPEND sent → EXISTS p99, ${label}`, value: percentile(r.latencies, 99), unit: 'ms', better: 'lower', goal: { op: '<=', value: 50 }, errors: r.missed + openErrors },
        { name: `APPEND sent → tagged OK p50, ${label}`, value: percentile(r.appendMs, 50), unit: 'ms', better: 'lower', errors: r.missed },
      );
    } finally {
      await closeAll(idlers.map((c) => c.imap));
      // Let the server see the closes before the next run measures its memory.
      await sleep(1000);
    }
    return figures;
  },
};
