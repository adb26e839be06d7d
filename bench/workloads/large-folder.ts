// A large folder: the operations a client runs when it opens a big INBOX, timed at 1k, 10k and
// 100k messages (quick: 1k and 10k) to show how each grows with the folder.
//
// Setup seeds the largest size into account 0, the next into account 1, and so on (the seed
// mail of bench/lib/messages.ts: two in three \Seen). Per size, on one connection:
//
// - LOGIN, then one untimed warm-up `SELECT INBOX (CONDSTORE)`: the first SELECT of a folder's
//   life claims \Recent for every message, a one-off write that is not what a client's
//   everyday SELECT costs. Fifty `STORE n ±FLAGS.SILENT (\Flagged)` commands, one message each,
//   spread over the folder (+ on odd runs, − on even ones, so every run changes all fifty),
//   then SELECT again for HIGHESTMODSEQ: m = HIGHESTMODSEQ − 50, the modseq before the fifty
//   (each STORE is one change).
// - Each operation REPEATS times, one after the other, and the median time of each:
//   `SELECT INBOX (CONDSTORE)` (after an untimed UNSELECT, so each is a fresh open),
//   `UID FETCH 1:* (UID FLAGS)`, `FETCH 1:* (FLAGS) (CHANGEDSINCE m)` (checked: fifty
//   messages), `UID SEARCH UNSEEN` (checked: the ⌈n/3⌉ unseen seeded), and
//   `SEARCH SUBJECT "number <k>3"` with a different k each time (about 1 in 90 match).
//   Time is from writing the command to reading its tagged reply, on a client that scans only
//   each new chunk for the tagged line, so a 4 MB FETCH reply costs the client next to nothing.
// - Bytes returned by the two FETCH 1:* commands, a check that both servers send about the
//   same data.
// - Growth from the second-largest to the largest size (time ratio, for a 10× larger folder):
//   no worse than linear is ≤ 10×; SELECT near-constant is taken as ≤ 2×.
import { type Socket, connect } from 'node:net';
import { median } from '../lib/stats.js';
import type { Figure, RunContext, Target, Workload } from '../lib/types.js';

const SIZES = { quick: [1_000, 10_000], full: [1_000, 10_000, 100_000] };
const REPEATS = { quick: 5, full: 7 };
const STORES = 50;
const COMMAND_TIMEOUT_MS = 300_000;

const sizesOf = (quick: boolean): number[] => (quick ? SIZES.quick : SIZES.full);
const label = (n: number): string => (n >= 1000 ? `${n / 1000}k` : String(n));

/**
 * A raw IMAP client for large replies: chunks are kept as Buffers and only each new chunk (with
 * a short overlap) is searched for the tagged line, so reading a reply is linear in its size.
 * One command at a time: the tagged line is the last of a reply, so the reply is complete once
 * the tagged line has been seen and the bytes received end with CRLF.
 */
class BulkImap {
  private chunks: Buffer[] = [];
  private length = 0;
  private tail = Buffer.alloc(0);
  /** What ends the awaited reply: a tagged line (`\r\nTAG ` or `TAG ` first), or the greeting's first line. */
  private tag: string | null = null;
  private seen = false;
  private done: ((ok: boolean) => void) | null = null;
  private closed = false;
  private tagN = 0;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => {
      this.closed = true;
      this.done?.(false);
    });
    socket.on('error', () => undefined);
  }

  static async connect(port: number): Promise<BulkImap> {
    const client = new BulkImap(connect({ host: '127.0.0.1', port }));
    // The greeting: no tag; the reply ends at its first CRLF.
    const greeting = (await client.reply(null)).toString('latin1');
    if (!greeting.startsWith('* OK')) throw new Error(`unexpected greeting: ${greeting.trim()}`);
    return client;
  }

  private onData(d: Buffer): void {
    const first = this.length === 0;
    this.chunks.push(d);
    this.length += d.length;
    if (!this.seen && this.tag !== null) {
      if (first && d.subarray(0, this.tag.length + 1).toString('latin1') === `${this.tag} `) this.seen = true;
      else {
        const window = this.tail.length > 0 ? Buffer.concat([this.tail, d]) : d;
        if (window.indexOf(`\r\n${this.tag} `) >= 0) this.seen = true;
        this.tail = Buffer.from(window.subarray(Math.max(0, window.length - 32)));
      }
    } else if (this.tag === null) this.seen = true;
    const last = this.chunks[this.chunks.length - 1]!;
    const endsLine = last.length >= 2 ? last[last.length - 2] === 0x0d && last[last.length - 1] === 0x0a : this.length >= 2;
    if (this.seen && endsLine) this.done?.(true);
  }

  /** Waits for the reply ending with `tag`'s tagged line (null: the greeting). */
  private reply(tag: string | null, send?: string): Promise<Buffer> {
    this.tag = tag;
    this.seen = false;
    this.tail = Buffer.alloc(0);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(false, `no reply in ${COMMAND_TIMEOUT_MS / 1000} s`), COMMAND_TIMEOUT_MS);
      const finish = (ok: boolean, why = 'connection closed') => {
        clearTimeout(timer);
        this.done = null;
        if (!ok) return reject(new Error(why));
        const all = Buffer.concat(this.chunks, this.length);
        this.chunks = [];
        this.length = 0;
        resolve(all);
      };
      this.done = finish;
      if (this.closed) return finish(false);
      if (send !== undefined) this.socket.write(send);
    });
  }

  /** Sends a command; returns the reply text (latin1), its size in bytes and the time taken. */
  async command(text: string): Promise<{ text: string; bytes: number; ms: number }> {
    const tag = `L${++this.tagN}`;
    const started = performance.now();
    const reply = await this.reply(tag, `${tag} ${text}\r\n`);
    const ms = performance.now() - started;
    const body = reply.toString('latin1');
    const tagged = body.slice(body.lastIndexOf(`${tag} `));
    if (!tagged.startsWith(`${tag} OK`)) throw new Error(`${text.slice(0, 60)}: ${tagged.trim()}`);
    return { text: body, bytes: reply.length, ms };
  }

  close(): void {
    this.socket.destroy();
  }
}

/** HIGHESTMODSEQ and EXISTS from a SELECT reply. */
function selectInfo(text: string): { exists: number; highestModseq: number } {
  const exists = /^\* (\d+) EXISTS\r?$/m.exec(text);
  const modseq = /HIGHESTMODSEQ (\d+)/.exec(text);
  if (!exists || !modseq) throw new Error(`SELECT (CONDSTORE) reply without EXISTS or HIGHESTMODSEQ: ${text.slice(0, 300)}`);
  return { exists: Number(exists[1]), highestModseq: Number(modseq[1]) };
}

const fetchCount = (text: string): number => (text.match(/^\* \d+ FETCH /gm) ?? []).length;
const searchCount = (text: string): number => {
  const line = /^\* SEARCH([ \d]*)\r?$/m.exec(text);
  if (!line) throw new Error(`no * SEARCH line: ${text.slice(0, 200)}`);
  return line[1]!.trim() === '' ? 0 : line[1]!.trim().split(' ').length;
};

/** Runs of each target so far (the \Flagged STOREs alternate + and − run by run). */
const runsOf = new WeakMap<Target, number>();

interface SizeResult {
  size: number;
  ms: Record<Op, number>;
  bytes: { uidFetch: number; changedSince: number };
}

type Op = 'select' | 'uidFetch' | 'changedSince' | 'unseen' | 'subject';
const OPS: { op: Op; name: string; growthGoal: 'linear' | 'constant' }[] = [
  { op: 'select', name: 'SELECT', growthGoal: 'constant' },
  { op: 'uidFetch', name: 'UID FETCH 1:* (UID FLAGS)', growthGoal: 'linear' },
  { op: 'changedSince', name: 'FETCH 1:* (FLAGS) (CHANGEDSINCE m)', growthGoal: 'linear' },
  { op: 'unseen', name: 'UID SEARCH UNSEEN', growthGoal: 'linear' },
  { op: 'subject', name: 'SEARCH SUBJECT x', growthGoal: 'linear' },
];

async function measureSize(ctx: RunContext, account: number, size: number, run: number): Promise<SizeResult> {
  const { target, quick, log } = ctx;
  const repeats = quick ? REPEATS.quick : REPEATS.full;
  const { email, password } = target.accounts[account]!;
  const imap = await BulkImap.connect(target.imapPort);
  try {
    await imap.command(`LOGIN "${email}" "${password.replace(/(["\\])/g, '\\$1')}"`);
    // Warm-up: the first SELECT claims \Recent for every message (not timed).
    const warm = await imap.command('SELECT INBOX (CONDSTORE)');
    const { exists } = selectInfo(warm.text);
    if (exists !== size) throw new Error(`${email}: INBOX holds ${exists} messages, not ${size}`);
    await imap.command('UNSELECT');
    // m: the modseq before fifty changes, one STORE each, spread over the folder (every run
    // flips them all); with one modseq per STORE it is HIGHESTMODSEQ − 50 after them.
    const since = selectInfo((await imap.command('SELECT INBOX (CONDSTORE)')).text).highestModseq;
    const sign = run % 2 === 1 ? '+' : '-';
    for (let i = 0; i < STORES; i++) await imap.command(`STORE ${1 + Math.floor((i * size) / STORES)} ${sign}FLAGS.SILENT (\\Flagged)`);
    await imap.command('UNSELECT');
    const after = selectInfo((await imap.command('SELECT INBOX (CONDSTORE)')).text).highestModseq;
    if (after - since !== STORES) log(`    ${label(size)}: HIGHESTMODSEQ moved by ${after - since} for ${STORES} STOREs`);

    const times: Record<Op, number[]> = { select: [], uidFetch: [], changedSince: [], unseen: [], subject: [] };
    const bytes = { uidFetch: [] as number[], changedSince: [] as number[] };
    const expectedUnseen = Math.ceil(size / 3);
    let firstSubjectMs = 0;
    for (let r = 0; r < repeats; r++) {
      await imap.command('UNSELECT');
      const sel = await imap.command('SELECT INBOX (CONDSTORE)');
      times.select.push(sel.ms);

      const all = await imap.command('UID FETCH 1:* (UID FLAGS)');
      if (fetchCount(all.text) !== size) throw new Error(`UID FETCH 1:* returned ${fetchCount(all.text)} messages, not ${size}`);
      times.uidFetch.push(all.ms);
      bytes.uidFetch.push(all.bytes);

      const changed = await imap.command(`FETCH 1:* (FLAGS) (CHANGEDSINCE ${since})`);
      if (fetchCount(changed.text) !== STORES) throw new Error(`FETCH (CHANGEDSINCE ${since}) returned ${fetchCount(changed.text)} messages, not ${STORES}`);
      times.changedSince.push(changed.ms);
      bytes.changedSince.push(changed.bytes);

      const unseen = await imap.command('UID SEARCH UNSEEN');
      if (searchCount(unseen.text) !== expectedUnseen) throw new Error(`UID SEARCH UNSEEN found ${searchCount(unseen.text)}, not ${expectedUnseen}`);
      times.unseen.push(unseen.ms);

      // A different term each time ("number 73", "number 83", …): a substring of about 1 in 90
      // subjects at 100k ("number 73", "number 730"…"number 73999"), checked against the seed.
      const subject = await imap.command(`SEARCH SUBJECT "number ${7 + r}3"`);
      const expected = Array.from({ length: size }, (_, i) => i).filter((i) => `number ${i}`.includes(`number ${7 + r}3`)).length;
      if (searchCount(subject.text) !== expected) throw new Error(`SEARCH SUBJECT "number ${7 + r}3" found ${searchCount(subject.text)}, not ${expected}`);
      if (r === 0) firstSubjectMs = subject.ms;
      times.subject.push(subject.ms);
    }
    await imap.command('LOGOUT').catch(() => undefined);
    const ms = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<Op, number>;
    log(
      `    ${label(size)}: ${OPS.map((o) => `${o.name} ${ms[o.op].toFixed(1)} ms`).join(', ')}; ` +
        `first SEARCH SUBJECT ${firstSubjectMs.toFixed(1)} ms; FETCH bytes ${median(bytes.uidFetch)} / ${median(bytes.changedSince)}`,
    );
    return { size, ms, bytes: { uidFetch: median(bytes.uidFetch), changedSince: median(bytes.changedSince) } };
  } finally {
    imap.close();
  }
}

export const largeFolder: Workload = {
  name: 'large-folder',
  description:
    'A large INBOX (1k, 10k, 100k; quick: 1k, 10k): SELECT, UID FETCH 1:* (UID FLAGS), FETCH 1:* (FLAGS) (CHANGEDSINCE m), UID SEARCH UNSEEN, SEARCH SUBJECT — median ms per size, and growth',
  targets: ['wicket', 'dovecot'],
  setup(quick) {
    // Largest first, into account 0: the long seed runs while the machine is freshest.
    const sizes = [...sizesOf(quick)].sort((a, b) => b - a);
    return { accounts: sizes.length, seed: sizes.map((messages, account) => ({ account, messages })) };
  },
  async run(ctx: RunContext): Promise<Figure[]> {
    const run = (runsOf.get(ctx.target) ?? 0) + 1;
    runsOf.set(ctx.target, run);
    const descending = [...sizesOf(ctx.quick)].sort((a, b) => b - a);
    const results: SizeResult[] = [];
    // Smallest first; account i holds descending[i].
    for (let i = descending.length - 1; i >= 0; i--) results.push(await measureSize(ctx, i, descending[i]!, run));

    const figures: Figure[] = [];
    for (const r of results) {
      for (const o of OPS) figures.push({ name: `${o.name} @ ${label(r.size)}`, value: r.ms[o.op], unit: 'ms', better: 'lower', errors: 0 });
    }
    for (const r of results) {
      figures.push({ name: `UID FETCH 1:* (UID FLAGS) reply @ ${label(r.size)}`, value: r.bytes.uidFetch / 1024, unit: 'KiB', better: 'lower', errors: 0 });
      figures.push({ name: `FETCH (CHANGEDSINCE m) reply @ ${label(r.size)}`, value: r.bytes.changedSince / 1024, unit: 'KiB', better: 'lower', errors: 0 });
    }
    const [small, large] = results.slice(-2) as [SizeResult, SizeResult];
    const factor = large.size / small.size;
    for (const o of OPS) {
      figures.push({
        name: `${o.name} growth ${label(small.size)}→${label(large.size)}`,
        value: large.ms[o.op] / small.ms[o.op],
        unit: '×',
        better: 'lower',
        goal: { op: '<=', value: o.growthGoal === 'constant' ? 2 : factor },
        errors: 0,
      });
    }
    return figures;
  },
};
