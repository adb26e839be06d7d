// Issue 10 item 9 — soak: 2 minutes, 30 with `npm run test:reliability -- --soak` (RELIABILITY_SOAK_MINUTES)
// of mixed load against the real `wicket serve` in a child process: SMTP submissions, MX
// deliveries, IMAP sessions (LOGIN, SELECT, SEARCH, FETCH, STORE, APPEND, EXPUNGE, LOGOUT; one in
// four over IMAPS), IDLE clients, API reads, each paced to a target rate (half the
// benchmark figures of the README; RELIABILITY_SOAK_SMTP_RATE / _IMAP_RATE change them). Every
// 10 s the server's RSS and open file descriptors are read from /proc/<pid>.
//
// Passes when: every operation succeeded (none failed or timed out, and the server logged no
// error); memory is flat — the mean RSS of the last third of the samples is at most 20 % + 32 MiB
// above the mean of the middle third (the first third is warm-up: JIT, SQLite cache, folder
// indexes; the slack covers one swing of V8's heap, ~70 MiB peak to trough here); descriptors are flat — no sample above the baseline + the clients' connections + 32,
// and back to the baseline ± 5 once the clients have gone.
//
// Folders stay bounded on purpose (the IMAP sessions expunge all but the newest 100 messages of
// INBOX, Sent and Junk), so that growth in memory is a leak and not a bigger mailbox.
import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { RawImap } from '../../bench/lib/imap.js';
import { RawSmtp, dotStuff } from '../../bench/lib/smtp.js';
import { PASSWORD, wicketOk } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { figure, scaled } from './figures.js';
import { type ProcSample, sample, startLongServer } from './soak-server.js';

const MINUTES = Number(process.env.RELIABILITY_SOAK_MINUTES ?? 2); // `npm run test:reliability -- --soak`: 30
// Half the benchmark throughput (README "Performance", full run of 2026-12-06): SMTP submission
// 831 msg/s, IMAP mixed sessions 1,293 operations/s. Offered together, with the IDLE clients and
// the API reads on top, they keep the server's main thread about fully busy on a 2-core machine.
const SMTP_RATE = Number(process.env.RELIABILITY_SOAK_SMTP_RATE ?? 420); // msg/s, 3/4 submission, 1/4 MX
const IMAP_RATE = Number(process.env.RELIABILITY_SOAK_IMAP_RATE ?? 650); // commands/s
const API_RATE = 20; // requests/s
const IDLERS = scaled(50, 20);
const ACCOUNTS = 6;
const SUBMISSION_WORKERS = 16;
const MX_WORKERS = 6;
const IMAP_WORKERS = 16;
const API_WORKERS = 2;
const MESSAGES_PER_SMTP_CONNECTION = 20;
const KEEP = 100;
const SAMPLE_MS = 10_000;
const OP_TIMEOUT_MS = 60_000;
const MIB = 1024 * 1024;

const email = (i: number) => `agent${((i % ACCOUNTS) + ACCOUNTS) % ACCOUNTS}@agents.example.com`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Hands out start times `1/rate` apart to whichever worker asks; a late worker builds no debt. */
class Pacer {
  private next = performance.now();
  constructor(private readonly perSecond: number) {}
  async take(): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now + 1) await sleep(at - now);
  }
}

/** Rejects when `promise` takes longer than the operation timeout (a hung server fails, not stalls). */
function timed<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer in ${OP_TIMEOUT_MS / 1000} s`)), OP_TIMEOUT_MS))),
  ]);
}

function message(kind: string, n: number, from: string, to: string): Buffer {
  const body = `This is ${kind} message ${n} of the soak test.\r\n${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(20)}\r\n`;
  return Buffer.from(
    [
      `From: ${from}`,
      `To: ${to}`,
      `Subject: soak ${kind} ${n}`,
      `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
      `Message-ID: <soak-${kind}-${n}-${Date.now()}@soak.test>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
    ].join('\r\n'),
  );
}

const uidsOf = (searchReply: string): number[] =>
  (/^\* SEARCH([\d ]*)\r?$/m.exec(searchReply)?.[1] ?? '')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map(Number);

describe('soak (issue 10 item 9)', () => {
  it(`${MINUTES} minutes of mixed load: memory flat, descriptors flat, no errors`, async () => {
    const dir = tempDir();
    await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
    for (let i = 0; i < ACCOUNTS; i++) await wicketOk(dir, ['account', 'create', email(i), '--app-password', PASSWORD]);
    const apiKey = (await wicketOk(dir, ['apikey', 'create', '--name', 'soak', '--json'])).json.api_key as string;

    const server = await startLongServer(
      dir,
      {
        WICKET_IMAP_PORT: 'auto',
        WICKET_IMAPS_PORT: 'auto',
        WICKET_SUBMISSION_PORT: 'auto',
        WICKET_MX_PORT: 'auto',
        // Every client comes from 127.0.0.1: the per-address caps (20) would refuse the load itself.
        WICKET_IMAP_MAX_CONNECTIONS_PER_IP: '1000',
        WICKET_SMTP_MAX_CONNECTIONS_PER_IP: '1000',
      },
      ['http', 'imap', 'imaps', 'submission', 'mx'],
    );
    const ports = server.ports as Record<'http' | 'imap' | 'imaps' | 'submission' | 'mx', number>;
    await sleep(2_000);
    const baseline = sample(server.pid, 0);

    const ops = new Map<string, number>();
    const errors = new Map<string, number>();
    const errorSamples: string[] = [];
    const count = (kind: string, n = 1) => ops.set(kind, (ops.get(kind) ?? 0) + n);
    const fail = (kind: string, err: unknown) => {
      errors.set(kind, (errors.get(kind) ?? 0) + 1);
      if (errorSamples.length < 20) errorSamples.push(`${kind}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 400));
    };
    let running = true;
    const pace = { submission: new Pacer((SMTP_RATE * 3) / 4), mx: new Pacer(SMTP_RATE / 4), imap: new Pacer(IMAP_RATE), api: new Pacer(API_RATE) };
    let serial = 0;

    // SMTP submission: AUTH, then MESSAGES_PER_SMTP_CONNECTION messages to other accounts, QUIT, again.
    const smtpWorker = async (w: number, mx: boolean) => {
      const kind = mx ? 'smtp mx delivery' : 'smtp submission';
      while (running) {
        let smtp: RawSmtp | undefined;
        try {
          smtp = await timed(RawSmtp.connect(mx ? ports.mx : ports.submission), `${kind} connect`);
          await timed(smtp.ehlo('soak.client.test'), `${kind} EHLO`);
          const from = mx ? `partner${w}@remote.example.net` : email(w);
          if (!mx) await timed(smtp.authPlain(from, PASSWORD), `${kind} AUTH`);
          count(mx ? 'smtp mx connection' : 'smtp submission connection');
          for (let i = 0; i < MESSAGES_PER_SMTP_CONNECTION && running; i++) {
            await (mx ? pace.mx : pace.submission).take();
            const n = ++serial;
            const to = email(w + 1 + (n % (ACCOUNTS - 1)));
            await timed(smtp.send(from, to, [dotStuff(message(mx ? 'mx' : 'submission', n, from, to))]), `${kind} DATA`);
            count(kind);
          }
          await timed(smtp.quit(), `${kind} QUIT`);
        } catch (err) {
          fail(kind, err);
          smtp?.close();
          await sleep(500);
        }
      }
    };

    // IMAP sessions: a mail client's short visit, then the clean-up that keeps folders bounded.
    const imapWorker = async (w: number) => {
      for (let n = 0; running; n++) {
        const user = email(w + n);
        const tls = n % 4 === 3;
        let imap: RawImap | undefined;
        let step = 'connect';
        try {
          const op = async (kind: string, text: string, literal?: Buffer) => {
            step = kind;
            await pace.imap.take();
            const reply = await timed(imap!.command(text, literal), `imap ${kind}`);
            count(`imap ${kind}`);
            return reply.text;
          };
          imap = await timed(RawImap.connect(tls ? ports.imaps : ports.imap, { tls }), 'imap connect');
          count(tls ? 'imap session (IMAPS)' : 'imap session');
          await op('login', `LOGIN "${user}" "${PASSWORD}"`);
          await op('select', 'SELECT INBOX');
          let uids = uidsOf(await op('search', 'UID SEARCH ALL'));
          if (uids.length > 0) {
            await op('fetch', `UID FETCH ${uids.slice(-10).join(',')} (FLAGS ENVELOPE BODYSTRUCTURE)`);
            await op('fetch', `UID FETCH ${uids[uids.length - 1 - (n % Math.min(10, uids.length))]} (BODY.PEEK[])`);
            await op('store', `UID STORE ${uids[uids.length - 1]} +FLAGS (\\Seen)`);
          }
          await op('append', 'APPEND INBOX (\\Seen)', message('append', ++serial, user, user));
          const clean = async () => {
            if (uids.length > KEEP) await op('store', `UID STORE ${uids[0]}:${uids[uids.length - KEEP - 1]} +FLAGS.SILENT (\\Deleted)`);
            await op('expunge', 'EXPUNGE');
          };
          await clean();
          await op('select', `SELECT ${n % 2 === 0 ? 'Sent' : 'Junk'}`);
          uids = uidsOf(await op('search', 'UID SEARCH ALL'));
          await clean();
          await op('logout', 'LOGOUT');
          imap.close();
        } catch (err) {
          fail(`imap ${step}`, err);
          imap?.close();
          await sleep(500);
        }
      }
    };

    // IDLE clients: logged in, INBOX selected, IDLE; every push counted; IDLE renewed every 5 minutes.
    let pushes = 0;
    const idlers: { done: Promise<void>; stop: () => void }[] = [];
    const startIdler = async (i: number) => {
      const imap = await timed(RawImap.connect(i % 2 === 0 ? ports.imap : ports.imaps, { tls: i % 2 === 1 }), 'idle connect');
      await timed(imap.login(email(i), PASSWORD), 'idle login');
      await timed(imap.command('SELECT INBOX'), 'idle select');
      let stopping = false;
      let renew: NodeJS.Timeout | undefined;
      const done = (async () => {
        try {
          while (!stopping) {
            const tag = await timed(imap.idle(), 'idle');
            count('imap idle');
            renew = setTimeout(() => imap.send('DONE'), 5 * 60_000);
            const pushOrEnd = new RegExp(`^(\\* \\d+ (EXISTS|EXPUNGE)|${tag} .*)\r?$`, 'm');
            for (;;) {
              const line = await imap.waitFor(pushOrEnd);
              if (line.includes(`${tag} `)) {
                if (!/ OK/.test(line.slice(line.indexOf(`${tag} `)))) throw new Error(`IDLE ended with ${line.trim()}`);
                break;
              }
              pushes++;
            }
            clearTimeout(renew);
          }
          await timed(imap.command('LOGOUT'), 'idle logout');
        } catch (err) {
          fail('imap idle', err);
        } finally {
          clearTimeout(renew);
          imap.close();
        }
      })();
      idlers.push({
        done,
        stop: () => {
          stopping = true;
          imap.send('DONE');
        },
      });
    };

    // API reads: a page of messages, or the folders, of one account.
    const agent = new Agent({ keepAlive: true, maxSockets: API_WORKERS });
    const apiGet = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: ports.http, path, agent, headers: { authorization: `Bearer ${apiKey}` } }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    const apiWorker = async (w: number) => {
      for (let n = 0; running; n++) {
        await pace.api.take();
        const path = n % 2 === 0 ? `/v3/grants/${email(w + n)}/messages?limit=10` : `/v3/grants/${email(w + n)}/folders`;
        try {
          const res = await timed(apiGet(path), 'api read');
          if (res.status !== 200 || !Array.isArray((JSON.parse(res.body) as { data?: unknown }).data)) throw new Error(`GET ${path}: ${res.status} ${res.body.slice(0, 200)}`);
          count('api read');
        } catch (err) {
          fail('api read', err);
          await sleep(500);
        }
      }
    };

    for (let i = 0; i < IDLERS; i++) await startIdler(i);
    const started = performance.now();
    const cpuAtStart = sample(server.pid, 0).cpuMs;
    const clientCpuAtStart = process.cpuUsage();
    const workers = [
      ...Array.from({ length: SUBMISSION_WORKERS }, (_, w) => smtpWorker(w, false)),
      ...Array.from({ length: MX_WORKERS }, (_, w) => smtpWorker(w, true)),
      ...Array.from({ length: IMAP_WORKERS }, (_, w) => imapWorker(w)),
      ...Array.from({ length: API_WORKERS }, (_, w) => apiWorker(w)),
    ];

    const samples: ProcSample[] = [];
    const total = (prefix: string) => [...ops].filter(([k]) => k.startsWith(prefix)).reduce((s, [, v]) => s + v, 0);
    const errorCount = () => [...errors.values()].reduce((s, v) => s + v, 0);
    const end = started + MINUTES * 60_000;
    while (performance.now() < end) {
      await sleep(Math.min(SAMPLE_MS, end - performance.now()));
      const s = sample(server.pid, Math.round((performance.now() - started) / 1000));
      samples.push(s);
      process.stdout.write(
        `soak: t=${s.t}s rss=${(s.rssBytes / MIB).toFixed(1)} MiB fds=${s.fds} smtp=${total('smtp ') - total('smtp submission connection') - total('smtp mx connection')} imap=${total('imap ') - total('imap session')} api=${ops.get('api read') ?? 0} pushes=${pushes} errors=${errorCount()}\n`,
      );
    }
    running = false;
    const elapsed = (performance.now() - started) / 1000;
    const cpuMs = sample(server.pid, 0).cpuMs - cpuAtStart;
    const clientCpu = process.cpuUsage(clientCpuAtStart);
    await Promise.all(workers);
    for (const idler of idlers) idler.stop();
    await Promise.all(idlers.map((i) => i.done));
    agent.destroy();

    // The clients are gone: the descriptors go back to where they were.
    let after = sample(server.pid, Math.round(elapsed));
    for (let i = 0; i < 50 && Math.abs(after.fds - baseline.fds) > 5; i++) {
      await sleep(200);
      after = sample(server.pid, Math.round(elapsed));
    }
    const serverErrors = [...server.levels].filter(([level]) => level >= 50).reduce((s, [, v]) => s + v, 0);
    const warnings = server.levels.get(40) ?? 0;
    expect(server.child.exitCode).toBeNull();
    expect(await server.stop()).toBe(0);

    // Figures.
    const smtpOps = (ops.get('smtp submission') ?? 0) + (ops.get('smtp mx delivery') ?? 0);
    const imapOps = total('imap ') - total('imap session') - (ops.get('imap idle') ?? 0);
    const third = Math.floor(samples.length / 3);
    const mean = (xs: ProcSample[]) => xs.reduce((s, x) => s + x.rssBytes, 0) / xs.length;
    const middle = samples.slice(third, 2 * third);
    const last = samples.slice(2 * third);
    const mib = (b: number) => `${(b / MIB).toFixed(1)}`;
    figure('soak.duration', Number((elapsed / 60).toFixed(1)), 'minutes');
    figure(
      'soak.operations',
      [...ops]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
        .join(', '),
    );
    figure('soak.smtp_rate', Math.round(smtpOps / elapsed), `msg/s (target ${SMTP_RATE}: submission ${(SMTP_RATE * 3) / 4}, MX ${SMTP_RATE / 4})`);
    figure('soak.imap_rate', Math.round(imapOps / elapsed), `commands/s (target ${IMAP_RATE})`);
    figure('soak.api_rate', Number(((ops.get('api read') ?? 0) / elapsed).toFixed(1)), `requests/s (target ${API_RATE})`);
    figure('soak.idle', `${IDLERS} clients, ${pushes.toLocaleString('en')} EXISTS/EXPUNGE pushes received`);
    figure('soak.server_cpu', Math.round((cpuMs / 1000 / elapsed) * 100), '% of one core');
    figure('soak.client_cpu', Math.round(((clientCpu.user + clientCpu.system) / 1e6 / elapsed) * 100), '% of one core (the load generator, this process)');
    figure('soak.rss', `baseline ${mib(baseline.rssBytes)}, first ${mib(samples[0]!.rssBytes)}, middle third ${mib(mean(middle))}, last third ${mib(mean(last))}, end ${mib(samples.at(-1)!.rssBytes)}`, 'MiB');
    // Least-squares slope of RSS over the last two thirds, for the record (not a pass rule: V8's
    // heap swings make a short run's slope noise).
    const tail = samples.slice(third);
    const tMean = tail.reduce((s, x) => s + x.t, 0) / tail.length;
    const rMean = mean(tail);
    const slope = tail.reduce((s, x) => s + (x.t - tMean) * (x.rssBytes - rMean), 0) / tail.reduce((s, x) => s + (x.t - tMean) ** 2, 0);
    figure('soak.rss_slope', Number(((slope * 60) / MIB).toFixed(2)), 'MiB/min over the last two thirds');
    figure('soak.rss_samples', samples.map((s) => mib(s.rssBytes)).join(' '), 'MiB');
    figure('soak.fds', `baseline ${baseline.fds}, max under load ${Math.max(...samples.map((s) => s.fds))}, after ${after.fds}`);
    figure('soak.errors', errorCount(), `failed operations (${[...errors].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}); server log: ${serverErrors} errors, ${warnings} warnings`);
    if (errorSamples.length) process.stdout.write(`soak: first errors:\n  ${errorSamples.join('\n  ')}\n`);
    if (server.problems.length) process.stdout.write(`soak: server warnings/errors:\n  ${server.problems.join('\n  ')}\n`);

    // The rules.
    expect(samples.length).toBeGreaterThanOrEqual(6);
    expect(errorSamples, 'failed operations').toEqual([]);
    expect(serverErrors, 'errors in the server log').toBe(0);
    expect(smtpOps).toBeGreaterThan(0);
    expect(imapOps).toBeGreaterThan(0);
    expect(ops.get('api read') ?? 0).toBeGreaterThan(0);
    expect(pushes).toBeGreaterThan(0);
    expect(mean(last), `RSS last third ${mib(mean(last))} MiB vs middle ${mib(mean(middle))} MiB`).toBeLessThanOrEqual(mean(middle) * 1.2 + 32 * MIB);
    const connections = IDLERS + SUBMISSION_WORKERS + MX_WORKERS + IMAP_WORKERS + API_WORKERS;
    for (const s of samples) expect(s.fds, `fds at ${s.t}s`).toBeLessThanOrEqual(baseline.fds + connections + 32);
    expect(Math.abs(after.fds - baseline.fds), `fds ${baseline.fds} before, ${after.fds} after`).toBeLessThanOrEqual(5);
  });
});
