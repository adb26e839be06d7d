// Issue 10, item 4 — protocol abuse that aims at the server's memory and sockets: literals
// announced and never sent, 1 MB lines without CRLF, COMPRESS=DEFLATE streams that inflate
// 1,000×, IDLE without DONE, and thousands of connections that send nothing. The server is the
// real `wicket serve` in a child process, so its resident memory (VmRSS, peak VmHWM) and open
// file descriptors are its own, read from /proc.
import { createDeflateRaw, createInflateRaw } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD } from '../helpers/gateway.js';
import { figure, scaled } from './figures.js';
import { Raw, closeAll, loopback, quoted, sleep } from './net.js';
import { DOMAIN, MB, startServed } from './served.js';

afterEach(() => closeAll());

const SALES = `sales@${DOMAIN}`;
const mb = (bytes: number) => Number((bytes / MB).toFixed(1));

async function imapLogin(port: number, localAddress?: string): Promise<Raw> {
  const c = await Raw.open(port, { localAddress });
  expect(await c.line()).toMatch(/^\* OK /);
  c.write(`l1 LOGIN ${SALES} ${quoted(PASSWORD)}\r\n`);
  expect(await c.line()).toMatch(/^l1 OK /);
  return c;
}

/** Opens `count` connections, `perAddress` from each test address of `block`, `batch` at a time. */
async function openMany<T>(count: number, perAddress: number, block: number, open: (address: string, i: number) => Promise<T>, batch = 50): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i);
    out.push(...(await Promise.all(Array.from({ length: n }, (_, k) => open(loopback(block, Math.floor((i + k) / perAddress) + 1), i + k)))));
  }
  return out;
}

describe('protocol abuse: memory and sockets', () => {
  it('literals announced and never sent reserve no memory, and the connections are closed at the idle timeout', async () => {
    const idle = 5;
    const s = await startServed({ WICKET_IMAP_IDLE_TIMEOUT_SECONDS: String(idle) }, ['sales'], PASSWORD);
    const count = scaled(200, 50);
    const size = 10_000_000;
    const conns = await openMany(count, 15, 70, (address) => imapLogin(s.ports.imap, address));
    const before = s.rss();
    const announced = performance.now();
    for (const c of conns) c.write(`a APPEND INBOX {${size}}\r\n`);
    for (const c of conns) expect(await c.line()).toBe('+ Ready for literal data');
    await sleep(500);
    const growth = s.peak() - before;
    // A new client is served meanwhile.
    const fresh = await imapLogin(s.ports.imap, loopback(71, 1));
    fresh.write('n NOOP\r\n');
    expect(await fresh.line()).toBe('n OK NOOP completed');
    fresh.destroy();
    // Silence: each pending literal ends with the idle timeout.
    const closed = await Promise.all(conns.map((c) => c.closedWithin((idle + 10) * 1000)));
    const seconds = (Math.max(...conns.map((c) => c.closedAt)) - announced) / 1000;
    figure(`IMAP literals of ${size.toLocaleString('en')} bytes announced and never sent`, count);
    figure('IMAP unsent literals: server peak RSS growth', mb(growth), `MB (${mb(count * size)} MB if reserved)`);
    figure('IMAP unsent literals: closed by the server after', Number(seconds.toFixed(1)), `s (idle timeout ${idle} s)`);
    expect(closed.every(Boolean)).toBe(true);
    expect(conns.every((c) => c.buffer.toString('latin1').startsWith('* BYE idle for too long'))).toBe(true);
    expect(growth).toBeLessThan(Math.max(64 * MB, (count * size) / 20));
    expect(seconds).toBeGreaterThanOrEqual(idle - 0.5);
  });

  it('1 MB lines without CRLF: BAD at the line limit, memory bounded, the connection lives (IMAP); 421 and closed (SMTP)', async () => {
    const s = await startServed({}, ['sales'], PASSWORD);
    const count = scaled(100, 30);
    const line = Buffer.alloc(MB, 'a');
    const imap = await openMany(count, 15, 72, async (address) => {
      const c = await Raw.open(s.ports.imap, { localAddress: address });
      expect(await c.line()).toMatch(/^\* OK /);
      return c;
    });
    const before = s.rss();
    // The refusal comes at the limit, not at the end of the line: after 128 KB of it…
    const head = 128 * 1024;
    for (const c of imap) c.write(Buffer.concat([Buffer.from('x NOOP '), line.subarray(0, head)]));
    for (const c of imap) expect(await c.line(30_000)).toBe('x BAD command line too long (limit 65536 bytes)');
    // …and the remaining ~900 KB are read and dropped.
    for (const c of imap) c.write(line.subarray(head));
    await sleep(1000);
    const growth = s.peak() - before;
    // The rest of the line is dropped up to its end; then the session goes on.
    for (const c of imap) c.write('\r\ny NOOP\r\n');
    for (const c of imap) expect(await c.line()).toBe('y OK NOOP completed');
    figure(`IMAP: ${count} connections each sending a 1 MB line, server peak RSS growth`, mb(growth), `MB (${count} MB if buffered)`);
    expect(growth).toBeLessThan(Math.max(64 * MB, count * MB));

    const smtp = await Raw.open(s.ports.submission, { localAddress: loopback(72, 200) });
    expect(await smtp.reply()).toMatch(/^220 /);
    smtp.write(Buffer.concat([Buffer.from('EHLO '), line]));
    expect(await smtp.reply(30_000)).toMatch(/^(421|500) /);
    expect(await smtp.closedWithin(10_000)).toBe(true);
    figure('SMTP: a 1 MB command line', 'answered 421 and closed');
  });

  it('COMPRESS=DEFLATE streams that inflate 1,000×: one huge line, and millions of commands — memory bounded', async () => {
    const s = await startServed({}, ['sales'], PASSWORD);
    /** Logs in, turns COMPRESS on, and sends what `make` writes through DEFLATE. */
    const bomb = async (make: (write: (b: Buffer) => void) => void, read = true): Promise<{ c: Raw; sent: number; inflated: number }> => {
      const c = await imapLogin(s.ports.imap);
      c.write('z COMPRESS DEFLATE\r\n');
      expect(await c.line()).toBe('z OK DEFLATE active');
      // From here the server's answers are DEFLATE too.
      const inflate = createInflateRaw();
      inflate.on('data', (d: Buffer) => c.feed(d));
      inflate.on('error', () => {});
      c.socket.removeAllListeners('data');
      c.socket.on('data', (d: Buffer) => inflate.write(d));
      if (c.buffer.length > 0) inflate.write(c.buffer.subarray(0));
      c.buffer = Buffer.alloc(0);
      // A client that never reads its answers: the server's writes back up into its own buffers.
      if (!read) c.socket.pause();
      const deflate = createDeflateRaw({ level: 9 });
      let sent = 0;
      deflate.on('data', (chunk: Buffer) => {
        sent += chunk.length;
        c.write(chunk);
      });
      let inflated = 0;
      make((b) => {
        inflated += b.length;
        deflate.write(b);
      });
      await new Promise<void>((resolve) => deflate.flush(() => resolve()));
      return { c, sent, inflated };
    };

    // One line: 100 MB of "a" (CI 20 MB), no CRLF.
    const lineMb = scaled(100, 20);
    const before = s.rss();
    const chunk = Buffer.alloc(MB, 'a');
    const first = await bomb((write) => {
      write(Buffer.from('b1 NOOP '));
      for (let i = 0; i < lineMb; i++) write(chunk);
    });
    expect(await first.c.line(60_000)).toBe('b1 BAD command line too long (limit 65536 bytes)');
    await sleep(1000);
    const lineGrowth = s.peak() - before;
    figure(`COMPRESS bomb, one line: ${Math.round(first.sent / 1024)} KB inflating to ${lineMb} MB (ratio)`, Math.round(first.inflated / first.sent), '×');
    figure('COMPRESS bomb, one line: server peak RSS growth', mb(lineGrowth), 'MB');
    expect(lineGrowth).toBeLessThan(64 * MB);
    first.c.destroy();

    // Millions of commands: "c NOOP\r\n" repeated to 500 MB (CI 200 MB), sent in one go; the
    // client never reads an answer. Inflated at once, that is 26 (65) million queued commands.
    const manyMb = scaled(500, 200);
    const commands = Math.floor((manyMb * MB) / 8);
    const beforeMany = s.rss();
    const peakBefore = s.peak();
    const line = Buffer.from('c NOOP\r\n'.repeat(MB / 8));
    const second = await bomb((write) => {
      for (let i = 0; i < manyMb; i++) write(line);
    }, false);
    // Ten seconds of it: inflated ahead of the session, the queue grows by ~25 MB a second here.
    await sleep(10_000);
    const manyGrowth = s.peak() - Math.max(beforeMany, peakBefore);
    // Another client is served meanwhile.
    const other = await imapLogin(s.ports.imap, loopback(73, 1));
    other.write('n NOOP\r\n');
    expect(await other.line()).toBe('n OK NOOP completed');
    figure(`COMPRESS bomb, commands: ${commands.toLocaleString('en')} NOOPs in ${Math.round(second.sent / 1024)} KB (ratio)`, Math.round(second.inflated / second.sent), '×');
    figure('COMPRESS bomb, commands: server peak RSS growth', mb(manyGrowth), 'MB');
    // Bounded: what the server holds does not grow with the bomb (the sawtooth of the garbage
    // collector under millions of commands a second is most of this figure).
    expect(manyGrowth).toBeLessThan(200 * MB);
    second.c.destroy();
    await sleep(500);
    expect(s.child.exitCode).toBeNull();
  });

  it('IDLE without DONE: the server ends it at its idle timeout; a client that re-IDLEs in time stays', async () => {
    const idle = 5;
    const s = await startServed({ WICKET_IMAP_IDLE_TIMEOUT_SECONDS: String(idle) }, ['sales'], PASSWORD);
    const silent = await imapLogin(s.ports.imap);
    const polite = await imapLogin(s.ports.imap);
    for (const c of [silent, polite]) {
      c.write('s SELECT INBOX\r\n');
      expect((await c.until('s')).at(-1)).toMatch(/^s OK /);
      c.write('i IDLE\r\n');
      expect(await c.line()).toBe('+ idling');
    }
    const started = performance.now();
    // RFC 9051 §6.3.13: clients re-issue IDLE before the server's timeout; this one does, twice.
    for (let round = 0; round < 2; round++) {
      await sleep(((idle - 2) * 1000) | 0);
      polite.write('DONE\r\n');
      expect(await polite.line()).toBe('i OK IDLE terminated');
      polite.write('i IDLE\r\n');
      expect(await polite.line()).toBe('+ idling');
    }
    expect(await silent.closedWithin((idle + 10) * 1000)).toBe(true);
    const seconds = (silent.closedAt - started) / 1000;
    expect(silent.buffer.toString('latin1')).toBe('* BYE idle for too long; logging out\r\n');
    // The one that re-issued IDLE is still there, past the timeout.
    expect(polite.closed).toBe(false);
    polite.write('DONE\r\n');
    expect(await polite.line()).toBe('i OK IDLE terminated');
    figure('IMAP IDLE without DONE: ended by the server after', Number(seconds.toFixed(1)), `s (idle timeout ${idle} s; default 1,800 s)`);
    expect(seconds).toBeGreaterThanOrEqual(idle - 0.5);
  });

  it('thousands of connections that send nothing are closed on timeout, and new clients are served meanwhile', async () => {
    const timeout = 5;
    const s = await startServed({ WICKET_IMAP_LOGIN_TIMEOUT_SECONDS: String(timeout), WICKET_SMTP_IDLE_TIMEOUT_SECONDS: String(timeout) }, ['sales'], PASSWORD);
    const count = scaled(2000, 300);
    const fdsBefore = s.fds();
    const rssBefore = s.rss();
    const opened = performance.now();
    const conns = await openMany(count, 15, 74, async (address, i) => {
      const imap = i % 2 === 0;
      const c = await Raw.open(imap ? s.ports.imap : s.ports.submission, { localAddress: address });
      expect(imap ? await c.line() : await c.reply()).toMatch(imap ? /^\* OK / : /^220 /);
      return { c, imap };
    }, 100);
    const fdsDuring = s.fds();
    const rssDuring = s.rss();
    // New clients, meanwhile: an IMAP login and an SMTP AUTH.
    const t0 = performance.now();
    const fresh = await imapLogin(s.ports.imap, loopback(75, 1));
    fresh.write('n NOOP\r\n');
    expect(await fresh.line()).toBe('n OK NOOP completed');
    const imapMs = performance.now() - t0;
    const smtp = await Raw.open(s.ports.submission, { localAddress: loopback(75, 1) });
    expect(await smtp.reply()).toMatch(/^220 /);
    expect(await smtp.cmd('EHLO client.example')).toMatch(/^250/);
    expect(await smtp.cmd(`AUTH PLAIN ${Buffer.from(`\0${SALES}\0${PASSWORD}`).toString('base64')}`)).toMatch(/^235 /);
    fresh.destroy();
    smtp.destroy();

    const closed = await Promise.all(conns.map(({ c }) => c.closedWithin((timeout + 20) * 1000)));
    const lastClosed = (Math.max(...conns.map(({ c }) => c.closedAt)) - opened) / 1000;
    await sleep(500);
    const fdsAfter = s.fds();
    figure('silent connections held (half IMAP, half SMTP)', count);
    figure('silent connections closed by the server', closed.filter(Boolean).length);
    figure('silent connections: all closed within', Number(lastClosed.toFixed(1)), `s of opening (timeout ${timeout} s; IMAP default 60 s before login, SMTP 300 s)`);
    figure('silent connections: server descriptors before / during / after', `${fdsBefore} / ${fdsDuring} / ${fdsAfter}`);
    figure('silent connections: server memory per connection', Math.round((rssDuring - rssBefore) / count / 1024), 'KB');
    figure('silent connections: a new IMAP client meanwhile, login + NOOP', Number(imapMs.toFixed(1)), 'ms');
    expect(closed.every(Boolean)).toBe(true);
    for (const { c, imap } of conns) {
      expect(c.buffer.toString('latin1')).toMatch(imap ? /^\* BYE idle for too long/ : /^421 /);
    }
    expect(fdsDuring).toBeGreaterThanOrEqual(fdsBefore + count);
    expect(fdsAfter).toBeLessThanOrEqual(fdsBefore + 5);
  });
});
