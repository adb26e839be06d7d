// SMTP submission: 50 connections in a closed loop, each authenticated (AUTH PLAIN from
// loopback, no TLS) and sending 10 KB messages to a local account, MAIL/RCPT/DATA pipelined,
// for a fixed time. Wicket answers 250 only once the Sent copy and the recipient's INBOX copy
// are committed and fsync'd. The same client then runs against a bare smtp-server that
// discards the data, in its own process: the library's ceiling, and Wicket/sink is the share
// of it Wicket keeps while doing its work.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { treeRss } from '../lib/proc.js';
import { RawSmtp, dotStuff } from '../lib/smtp.js';
import { closedLoop, percentile } from '../lib/stats.js';
import type { Account, Figure, RunContext, Workload } from '../lib/types.js';

const CLIENTS = 50;
const MESSAGE_BYTES = 10 * 1024;
/** Senders and recipients are spread over this many accounts (sender i sends to i+1). */
const ACCOUNTS = 10;

/** The shared 10 KB body (dot-stuffed once); each message gets its own header block. */
function messageBody(): Buffer {
  const line = 'The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs.';
  const lines: string[] = ['', 'Hello,', ''];
  let size = 0;
  for (let i = 0; size < MESSAGE_BYTES - 600; i++) {
    const l = i % 25 === 24 ? '.a line that starts with a dot, stuffed on the wire' : `${line} ${i}`;
    lines.push(l);
    size += l.length + 2;
  }
  lines.push('', '-- ', 'bench');
  return dotStuff(Buffer.from(`${lines.join('\r\n')}\r\n`));
}

function messageHead(from: string, to: string, n: string): Buffer {
  return dotStuff(
    Buffer.from(
      [
        `From: Bench Sender <${from}>`,
        `To: <${to}>`,
        `Subject: bench message ${n}`,
        `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
        `Message-ID: <${n}@bench.client>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
      ].join('\r\n'),
    ),
  );
}

interface LoadResult {
  rate: number;
  /** Server CPU per message (µs), when the server's CPU time was given. */
  cpuPerMessage: number;
  p50: number;
  p99: number;
  sent: number;
  errors: number;
  firstError: unknown;
}

/** Opens the clients, warms up, then runs the closed loop for `durationMs`. */
async function drive(
  port: number,
  accounts: Account[],
  durationMs: number,
  warmupMs: number,
  label: string,
  cpuMs: () => number = () => 0,
): Promise<LoadResult> {
  const body = messageBody();
  const clients: RawSmtp[] = [];
  let errors = 0;
  try {
    for (let w = 0; w < CLIENTS; w++) {
      const client = await RawSmtp.connect(port);
      clients.push(client);
      await client.ehlo();
      if (!client.extensions.has('PIPELINING')) throw new Error(`${label} does not advertise PIPELINING`);
    }
    // Logins in parallel (bcrypt on the server's thread pool, then its cache).
    await Promise.all(clients.map((c, w) => c.authPlain(accounts[w % accounts.length]!.email, accounts[w % accounts.length]!.password)));
    let seq = 0;
    const latencies: number[] = [];
    const once = (measure: boolean) => async (w: number) => {
      const from = accounts[w % accounts.length]!.email;
      const to = accounts[(w + 1) % accounts.length]!.email;
      const ms = await clients[w]!.send(from, to, [messageHead(from, to, `m${++seq}.w${w}`), body]);
      if (measure) latencies.push(ms);
    };
    if (warmupMs > 0) {
      const warm = await closedLoop(CLIENTS, warmupMs, once(false));
      if (warm.errors > 0) throw warm.firstError;
    }
    const cpuBefore = cpuMs();
    const result = await closedLoop(CLIENTS, durationMs, once(true));
    const cpu = cpuMs() - cpuBefore;
    errors += result.errors;
    return {
      rate: (result.ops / result.elapsedMs) * 1000,
      cpuPerMessage: (cpu * 1000) / Math.max(1, result.ops),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      sent: result.ops,
      errors,
      firstError: result.firstError,
    };
  } finally {
    await Promise.all(clients.map((c) => c.quit()));
  }
}

/** The sink in its own process; resolves with its port and a stop function. */
async function startSink(): Promise<{ port: number; child: ChildProcess; stop: () => Promise<void> }> {
  const script = resolve(import.meta.dirname, '../lib/smtp-sink.ts');
  // The runner's own loader flags (tsx), so the child runs TypeScript the same way.
  const child = spawn(process.execPath, [...process.execArgv, script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const port = await new Promise<number>((resolvePort, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) resolvePort(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`smtp sink exited (${code}) before listening`)));
  });
  return {
    port,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export const smtp: Workload = {
  name: 'smtp',
  description: `SMTP submission: ${CLIENTS} clients, 10 KB messages to a local account, durable; vs a bare smtp-server sink`,
  targets: ['wicket'],
  setup: () => ({ accounts: ACCOUNTS }),
  async run(ctx: RunContext): Promise<Figure[]> {
    const { target, quick, log } = ctx;
    if (!target.submissionPort) throw new Error(`${target.name} has no submission port`);
    const durationMs = quick ? 4000 : 20_000;
    const warmupMs = quick ? 1000 : 3000;

    const before = treeRss(target.pids());
    const w = await drive(target.submissionPort, target.accounts, durationMs, warmupMs, target.name, () => target.cpuMs());
    const rss = treeRss(target.pids());
    if (w.errors > 0) log(`  smtp: ${w.errors} errors against ${target.name}; first: ${String(w.firstError)}`);
    log(`  smtp ${target.name}: ${w.sent} messages in ${durationMs / 1000} s, ${Math.round(w.rate)}/s, server CPU ${w.cpuPerMessage.toFixed(0)} µs a message, p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms, RSS ${(before / 2 ** 20).toFixed(0)} → ${(rss / 2 ** 20).toFixed(0)} MB`);

    const sink = await startSink();
    let s: LoadResult;
    try {
      s = await drive(sink.port, target.accounts, durationMs, warmupMs, 'the sink');
      if (sink.child.pid) log(`  smtp sink: ${s.sent} messages, ${Math.round(s.rate)}/s, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, RSS ${(treeRss([sink.child.pid]) / 2 ** 20).toFixed(0)} MB`);
    } finally {
      await sink.stop();
    }
    if (s.errors > 0) log(`  smtp: ${s.errors} errors against the sink; first: ${String(s.firstError)}`);

    return [
      { name: `messages/s, ${CLIENTS} clients`, value: w.rate, unit: 'msg/s', better: 'higher', goal: { op: '>=', value: 1000 }, errors: w.errors },
      { name: 'latency p50, end of DATA → 250', value: w.p50, unit: 'ms', better: 'lower', errors: w.errors },
      { name: 'server CPU per message', value: w.cpuPerMessage, unit: 'µs', better: 'lower', errors: w.errors },
      { name: 'latency p99, end of DATA → 250', value: w.p99, unit: 'ms', better: 'lower', errors: w.errors },
      { name: 'server RSS after the run', value: rss / 2 ** 20, unit: 'MB', better: 'lower', errors: 0 },
      { name: `bare smtp-server sink messages/s, ${CLIENTS} clients`, value: s.rate, unit: 'msg/s', better: 'higher', errors: s.errors },
      { name: 'sink latency p99, end of DATA → 250', value: s.p99, unit: 'ms', better: 'lower', errors: s.errors },
      { name: 'Wicket / sink (share of the library ceiling kept)', value: w.rate / s.rate, unit: '×', better: 'higher', errors: w.errors + s.errors },
    ];
  },
};
