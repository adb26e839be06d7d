// Issue 10, item 4 — protocol abuse, the part that needs no memory measurement: STARTTLS
// command injection on IMAP and SMTP, SMTP smuggling, literals announced over the limit,
// 10,000-deep parentheses, and connection floods from one address. (Literals never sent, 1 MB
// lines, COMPRESS bombs, IDLE without DONE and silent connections are in
// protocol-abuse-memory.test.ts, against a separate server process whose memory is measured.)
import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD, folderMessages, startTestGateway } from '../helpers/gateway.js';
import { figure } from './figures.js';
import { Raw, closeAll, loopback, quoted, saslPlain } from './net.js';

afterEach(() => closeAll());

const SALES = 'sales@agents.example.com';
const BOB = 'bob@agents.example.com';

async function imapLoggedIn(port: number, localAddress?: string): Promise<Raw> {
  const c = await Raw.open(port, { localAddress });
  expect(await c.line()).toMatch(/^\* OK /);
  c.write(`l1 LOGIN ${SALES} ${quoted(PASSWORD)}\r\n`);
  expect(await c.line()).toMatch(/^l1 OK /);
  return c;
}

describe('protocol abuse', () => {
  it('IMAP STARTTLS: commands pipelined after it in the same packet never run, before TLS or after', async () => {
    const g = await startTestGateway({}, { trustLoopback: false });
    await g.account('sales');
    const injections = ['b CAPABILITY', `b LOGIN ${SALES} ${quoted(PASSWORD)}`, 'b LOGOUT', 'b NOOP\r\nc NOOP\r\nd ID NIL'];
    let executed = 0;
    for (const injected of injections) {
      const c = await Raw.open(g.ports.imap);
      expect(await c.line()).toMatch(/^\* OK /);
      // One write, so STARTTLS and the injected commands arrive in one packet.
      c.write(`a STARTTLS\r\n${injected}\r\n`);
      expect(await c.line()).toBe('a OK Begin TLS negotiation now');
      // Nothing follows in plaintext (an answer to b would be here)…
      const plaintext = await c.quiet(200);
      if (plaintext !== '') executed++;
      expect(plaintext).toBe('');
      await c.upgrade();
      // …nor inside TLS: the first answer over TLS is to the first command sent over TLS.
      const inside = await c.quiet(300);
      if (inside !== '') executed++;
      expect(inside).toBe('');
      c.write('e NOOP\r\n');
      expect(await c.line()).toBe('e OK NOOP completed');
      // The injected LOGIN did not log in, the injected LOGOUT did not log out.
      c.write('f SELECT INBOX\r\n');
      expect(await c.line()).toBe('f BAD SELECT is not allowed before login');
    }
    figure('IMAP STARTTLS injection: injected command sets tried / executed', `${injections.length} / ${executed}`);
  });

  it('SMTP STARTTLS (submission and MX): commands pipelined after it in the same packet never run', async () => {
    const g = await startTestGateway({}, { trustLoopback: false });
    await g.account('sales');
    await g.account('bob');
    const injections = ['RSET', `MAIL FROM:<${SALES}>`, `AUTH PLAIN ${saslPlain(SALES, PASSWORD)}`, `MAIL FROM:<${SALES}>\r\nRCPT TO:<${BOB}>\r\nDATA`];
    let tried = 0;
    let executed = 0;
    for (const [listener, port] of [
      ['submission', g.ports.submission],
      ['mx', g.ports.mx],
    ] as const) {
      for (const injected of injections) {
        tried++;
        const c = await Raw.open(port);
        expect(await c.reply()).toMatch(/^220 /);
        expect(await c.cmd('EHLO client.example')).toMatch(/^250/);
        c.write(`STARTTLS\r\n${injected}\r\n`);
        expect(await c.reply()).toBe('220 2.0.0 Ready to start TLS');
        const plaintext = await c.quiet(200);
        await c.upgrade();
        const inside = await c.quiet(300);
        if (plaintext !== '' || inside !== '') executed++;
        expect(plaintext, `${listener}: plaintext answer to ${injected}`).toBe('');
        expect(inside, `${listener}: answer inside TLS to ${injected}`).toBe('');
        expect(await c.cmd('EHLO client.example')).toMatch(/^250-mail\.wicket\.test /);
        // RFC 3207 §4.2: nothing from before TLS survives — no sender, no login.
        if (listener === 'submission') expect(await c.cmd(`MAIL FROM:<${SALES}>`)).toMatch(/^530 /);
        else expect(await c.cmd(`RCPT TO:<${BOB}>`)).toMatch(/^503 /);
      }
    }
    figure('SMTP STARTTLS injection: injected command sets tried / executed', `${tried} / ${executed}`);
  });

  it('SMTP smuggling: <LF>.<LF>, <CR>.<CR> and their kin inside DATA never end the message or start a second one', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    const bob = await g.account('bob');
    const sequences: Record<string, string> = {
      '<LF>.<LF>': '\n.\n',
      '<CR>.<CR>': '\r.\r',
      '<LF>.<CR><LF>': '\n.\r\n',
      '<CR><LF>.<LF>': '\r\n.\n',
      '<CR><LF>.<CR>': '\r\n.\r',
      '<CR>.<LF>': '\r.\n',
      '<CR>.<CR><LF>': '\r.\r\n',
    };
    let attempts = 0;
    let accepted = 0;
    let refused = 0;
    for (const listener of ['mx', 'submission'] as const) {
      for (const [name, sequence] of Object.entries(sequences)) {
        attempts++;
        const c = await Raw.open(listener === 'mx' ? g.ports.mx : g.ports.submission);
        expect(await c.reply()).toMatch(/^220 /);
        expect(await c.cmd('EHLO client.example')).toMatch(/^250/);
        const from = listener === 'mx' ? 'someone@remote.example' : SALES;
        if (listener === 'submission') expect(await c.cmd(`AUTH PLAIN ${saslPlain(SALES, PASSWORD)}`)).toMatch(/^235 /);
        expect(await c.cmd(`MAIL FROM:<${from}>`)).toMatch(/^250 /);
        expect(await c.cmd(`RCPT TO:<${BOB}>`)).toMatch(/^250 /);
        expect(await c.cmd('DATA')).toMatch(/^354 /);
        const body =
          `From: <${from}>\r\nTo: <${BOB}>\r\nSubject: first ${name}\r\n\r\nhello${sequence}` +
          `MAIL FROM:<ceo@agents.example.com>\r\nRCPT TO:<${BOB}>\r\nDATA\r\nFrom: <ceo@agents.example.com>\r\nSubject: smuggled\r\n\r\nevil\r\n`;
        c.write(`${body}.\r\n`);
        const reply = await c.reply();
        // One answer, for the one message: a split would answer the smuggled MAIL, RCPT and DATA too.
        expect(await c.quiet(200), `${listener} ${name}`).toBe('');
        if (reply.startsWith('250 ')) accepted++;
        else {
          expect(reply, `${listener} ${name}`).toMatch(/^550 5\.6\.11 /);
          refused++;
        }
        expect(await c.cmd('NOOP')).toMatch(/^250 /);
      }
    }
    const inbox = folderMessages(g, bob, 'INBOX');
    // Never a message that starts with the smuggled headers; as many as were accepted, each whole.
    expect(inbox.filter((m) => /^From: <ceo@/.test(m.raw))).toEqual([]);
    expect(inbox).toHaveLength(accepted);
    for (const m of inbox) expect(m.raw).toMatch(/Subject: smuggled/);
    figure('SMTP smuggling: attempts / refused (bare CR or LF) / stored whole / split', `${attempts} / ${refused} / ${accepted} / 0`);
  });

  it('IMAP literals announced over the limit: NO [TOOBIG] at once, nothing read into memory, the connection lives', async () => {
    const limit = 1024 * 1024;
    const g = await startTestGateway({ WICKET_IMAP_MAX_LITERAL_SIZE: String(limit) });
    const sales = await g.account('sales');
    const c = await imapLoggedIn(g.ports.imap);
    let refusedAtOnce = 0;
    // A synchronizing literal: the client waits for "+", gets the tagged NO instead.
    for (const size of [limit + 1, 10_000_000_000, Number.MAX_SAFE_INTEGER]) {
      c.write(`t${size} APPEND INBOX {${size}}\r\n`);
      expect(await c.line()).toMatch(new RegExp(`^t${size} NO \\[TOOBIG\\] `));
      refusedAtOnce++;
    }
    c.write('t1 APPEND INBOX {99999999999999999999999999999999}\r\n');
    expect(await c.line()).toMatch(/^t1 NO \[TOOBIG\] /);
    c.write('t2 NOOP\r\n');
    expect(await c.line()).toBe('t2 OK NOOP completed');
    // A non-synchronizing one (RFC 7888): its bytes come anyway and are skipped, commands hidden
    // inside them included; the session goes on after them.
    const junk = Buffer.alloc(limit + 1, 'x');
    junk.write('\r\nt3 LOGOUT\r\nt4 DELETE INBOX\r\n', 1000);
    c.write(Buffer.concat([Buffer.from(`t5 APPEND INBOX {${limit + 1}+}\r\n`), junk, Buffer.from('\r\nt6 NOOP\r\n')]));
    expect(await c.line()).toMatch(/^t5 NO \[TOOBIG\] /);
    expect(await c.line()).toBe('t6 OK NOOP completed');
    // Before login, the same.
    const pre = await Raw.open(g.ports.imap);
    await pre.line();
    pre.write(`p1 LOGIN {${limit + 1}}\r\n`);
    expect(await pre.line()).toMatch(/^p1 NO \[TOOBIG\] /);
    pre.write('p2 NOOP\r\n');
    expect(await pre.line()).toBe('p2 OK NOOP completed');
    expect(folderMessages(g, sales, 'INBOX')).toHaveLength(0);
    figure('IMAP oversized literals: refused at once with NO [TOOBIG] / connections closed', `${refusedAtOnce + 3} / 0`);
  });

  it('10,000-deep parentheses: BAD, no stack overflow, the connection lives', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    const c = await imapLoggedIn(g.ports.imap);
    c.write('s1 SELECT INBOX\r\n');
    expect((await c.until('s1')).at(-1)).toMatch(/^s1 OK /);
    const deep = 10_000;
    const open = '('.repeat(deep);
    const close = ')'.repeat(deep);
    const commands = [
      `SEARCH ${open}ALL${close}`,
      `FETCH 1:* ${open}FLAGS${close}`,
      `STORE 1 +FLAGS ${open}\\Seen${close}`,
      `SEARCH ${'NOT '.repeat(deep)}ALL`,
      `SEARCH ${'OR ALL '.repeat(deep)}ALL ALL`,
      `LIST "" ${open}`,
      `${open}`,
    ];
    let bad = 0;
    for (const [i, command] of commands.entries()) {
      c.write(`d${i} ${command}\r\n`);
      const answer = await c.line();
      expect(answer, command.slice(0, 30)).toMatch(new RegExp(`^d${i} BAD `));
      bad++;
      c.write(`n${i} NOOP\r\n`);
      expect(await c.line()).toBe(`n${i} OK NOOP completed`);
    }
    // And before login.
    const pre = await Raw.open(g.ports.imap);
    await pre.line();
    pre.write(`p1 LOGIN ${open}${close}\r\np2 NOOP\r\n`);
    expect(await pre.line()).toMatch(/^p1 BAD /);
    expect(await pre.line()).toBe('p2 OK NOOP completed');
    figure(`IMAP ${deep.toLocaleString('en')}-deep nesting: commands answered BAD / connections lost`, `${bad + 1} / 0`);
  });

  it('connection floods from one address are capped (IMAP * BYE, SMTP 421); other addresses are served', async () => {
    const cap = 20;
    const g = await startTestGateway({ WICKET_IMAP_MAX_CONNECTIONS_PER_IP: String(cap), WICKET_SMTP_MAX_CONNECTIONS_PER_IP: String(cap) });
    await g.account('sales');
    const flood = cap + 30;
    const flooder = loopback(50, 1);
    const results: Record<string, { accepted: Raw[]; refused: string[] }> = {};
    for (const protocol of ['imap', 'smtp'] as const) {
      const port = protocol === 'imap' ? g.ports.imap : g.ports.submission;
      const r = (results[protocol] = { accepted: [] as Raw[], refused: [] as string[] });
      for (let i = 0; i < flood; i++) {
        const c = await Raw.open(port, { localAddress: flooder });
        const greeting = protocol === 'imap' ? await c.line() : await c.reply();
        if (/^(\* OK|220) /.test(greeting)) r.accepted.push(c);
        else {
          r.refused.push(greeting);
          // Refused connections are closed by the server, not left open.
          expect(await c.closedWithin(5000)).toBe(true);
        }
      }
      expect(r.accepted).toHaveLength(cap);
      figure(`${protocol} flood from one address: connections tried / accepted (cap ${cap})`, `${flood} / ${r.accepted.length}`);
      expect(new Set(r.refused)).toEqual(
        new Set([protocol === 'imap' ? '* BYE [UNAVAILABLE] too many connections from your address' : '421 4.7.0 too many connections from your address; try again later']),
      );
      // Another address is served meanwhile.
      if (protocol === 'imap') {
        const other = await imapLoggedIn(port, loopback(50, 2));
        other.write('n NOOP\r\n');
        expect(await other.line()).toBe('n OK NOOP completed');
      } else {
        const other = await Raw.open(port, { localAddress: loopback(50, 2) });
        expect(await other.reply()).toMatch(/^220 /);
        expect(await other.cmd('EHLO client.example')).toMatch(/^250/);
        expect(await other.cmd(`AUTH PLAIN ${saslPlain(SALES, PASSWORD)}`)).toMatch(/^235 /);
      }
      // A slot freed is a slot to be had again.
      for (const c of r.accepted.splice(0, 5)) c.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (let i = 0; i < 5; i++) {
        const c = await Raw.open(port, { localAddress: flooder });
        expect(protocol === 'imap' ? await c.line() : await c.reply()).toMatch(/^(\* OK|220) /);
      }
      const extra = await Raw.open(port, { localAddress: flooder });
      expect(protocol === 'imap' ? await extra.line() : await extra.reply()).toMatch(/^(\* BYE|421) /);
    }
  });
});
