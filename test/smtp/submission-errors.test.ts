// Raw transcripts of SMTP submission: what the server advertises, and every refusal.
import { describe, expect, it } from 'vitest';
import { PASSWORD, folderMessages, startTestGateway } from '../helpers/gateway.js';
import { SmtpLineClient, plain } from '../helpers/smtp-client.js';

const EHLO_LOOPBACK = [
  '250-mail.wicket.test Nice to meet you, [127.0.0.1]',
  '250-PIPELINING',
  '250-8BITMIME',
  '250-SMTPUTF8',
  '250-ENHANCEDSTATUSCODES',
  '250-DSN',
  '250-AUTH PLAIN LOGIN',
  '250-STARTTLS',
  '250 SIZE 26214400',
].join('\n');

async function authed(port: number, user = 'sales@agents.example.com') {
  const { client } = await SmtpLineClient.connect(port);
  await client.cmd('EHLO client.example');
  expect(await client.cmd(`AUTH PLAIN ${plain(user, PASSWORD)}`)).toBe('235 2.7.0 Authentication successful');
  return client;
}

describe('SMTP submission transcripts', () => {
  it('greets with WICKET_HOSTNAME and advertises the extensions (AUTH on loopback before TLS)', async () => {
    const g = await startTestGateway();
    const { client, greeting } = await SmtpLineClient.connect(g.ports.submission);
    expect(greeting).toBe('220 mail.wicket.test ESMTP Wicket');
    expect(await client.cmd('EHLO client.example')).toBe(EHLO_LOOPBACK);
    expect(await client.cmd('NOOP')).toBe('250 2.0.0 OK');
    expect(await client.cmd('QUIT')).toBe('221 2.0.0 Bye');
  });

  it('offers AUTH to a remote client only after STARTTLS, and refuses MAIL before it', async () => {
    const g = await startTestGateway({}, { trustLoopback: false });
    await g.account('sales');
    const { client } = await SmtpLineClient.connect(g.ports.submission);
    const before = await client.cmd('EHLO client.example');
    expect(before).not.toContain('AUTH');
    expect(before).toContain('250-STARTTLS');
    expect(await client.cmd('MAIL FROM:<sales@agents.example.com>')).toBe('530 5.7.0 must issue a STARTTLS command first');
    expect(await client.startTls()).toBe('220 2.0.0 Ready to start TLS');
    const after = await client.cmd('EHLO client.example');
    expect(after).toContain('250-AUTH PLAIN LOGIN');
    expect(after).not.toContain('STARTTLS');
    expect(await client.cmd(`AUTH PLAIN ${plain('sales@agents.example.com', PASSWORD)}`)).toBe('235 2.7.0 Authentication successful');
  });

  it('answers a wrong password, an unknown address and an account without an app password alike: 535 5.7.8', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    await g.account('nopass', { password: null });
    const { client } = await SmtpLineClient.connect(g.ports.submission);
    await client.cmd('EHLO client.example');
    for (const [user, password] of [
      ['sales@agents.example.com', 'WrongPassword1234567'],
      ['ghost@agents.example.com', PASSWORD],
      ['nopass@agents.example.com', PASSWORD],
      ['nopass@agents.example.com', ''],
    ] as const) {
      expect(await client.cmd(`AUTH PLAIN ${plain(user, password)}`)).toBe('535 5.7.8 authentication credentials invalid');
    }
    // AUTH LOGIN, step by step (RFC 4954 §4, the LOGIN mechanism).
    expect(await client.cmd('AUTH LOGIN')).toBe('334 VXNlcm5hbWU6');
    expect(await client.cmd(Buffer.from('sales@agents.example.com').toString('base64'))).toBe('334 UGFzc3dvcmQ6');
    expect(await client.cmd(Buffer.from('WrongPassword1234567').toString('base64'))).toBe('535 5.7.8 authentication credentials invalid');
    // The connection lives on.
    expect(await client.cmd('NOOP')).toBe('250 2.0.0 OK');
  });

  it('throttles repeated failures: 421 4.7.0 and the connection closes; new connections are refused', async () => {
    const g = await startTestGateway({ WICKET_AUTH_MAX_FAILURES: '3' });
    await g.account('sales');
    const { client } = await SmtpLineClient.connect(g.ports.submission);
    await client.cmd('EHLO client.example');
    for (let i = 0; i < 3; i++) {
      expect(await client.cmd(`AUTH PLAIN ${plain('sales@agents.example.com', `WrongPassword${i}xxxxxx`)}`)).toBe(
        '535 5.7.8 authentication credentials invalid',
      );
    }
    expect(await client.cmd(`AUTH PLAIN ${plain('sales@agents.example.com', PASSWORD)}`)).toMatch(
      /^421 4\.7\.0 too many failed logins; try again in \d+ seconds$/,
    );
    expect(await client.closedByServer()).toBe(true);
    const { greeting } = await SmtpLineClient.connect(g.ports.submission).catch(() => ({ greeting: 'closed' }));
    expect(greeting).toBe('421 4.7.0 too many failed logins from your address; try again later');
  });

  it('refuses MAIL before AUTH with 530 5.7.0', async () => {
    const g = await startTestGateway();
    const { client } = await SmtpLineClient.connect(g.ports.submission);
    await client.cmd('EHLO client.example');
    expect(await client.cmd('MAIL FROM:<sales@agents.example.com>')).toBe('530 5.7.0 authentication required');
  });

  it('refuses an envelope sender that is not the account (553 5.7.1) and a From field that is not (550 5.7.1)', async () => {
    const g = await startTestGateway();
    const sales = await g.account('sales');
    await g.account('boss');
    const client = await authed(g.ports.submission);
    expect(await client.cmd('MAIL FROM:<boss@agents.example.com>')).toBe(
      '553 5.7.1 sender address <boss@agents.example.com> is not yours; use <sales@agents.example.com>',
    );
    expect(await client.cmd('MAIL FROM:<>')).toBe('553 5.7.1 sender address <> is not yours; use <sales@agents.example.com>');
    expect(await client.cmd('MAIL FROM:<SALES@agents.example.com>')).toBe('250 2.1.0 Accepted');
    expect(await client.cmd('RCPT TO:<boss@agents.example.com>')).toBe('250 2.1.5 Accepted');
    expect(await client.cmd('DATA')).toBe('354 End data with <CR><LF>.<CR><LF>');
    expect(await client.cmd('From: The Boss <boss@agents.example.com>\r\nSubject: spoof\r\n\r\nhi\r\n.')).toBe(
      '550 5.7.1 the From address boss@agents.example.com is not yours; send as sales@agents.example.com',
    );
    expect(folderMessages(g, sales, 'Sent')).toHaveLength(0);
  });

  it('refuses an unknown local recipient at RCPT (550 5.1.1) and the 51st recipient (452 4.5.3)', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    const client = await authed(g.ports.submission);
    await client.cmd('MAIL FROM:<sales@agents.example.com>');
    expect(await client.cmd('RCPT TO:<nobody@agents.example.com>')).toBe('550 5.1.1 <nobody@agents.example.com>: no such mailbox here');
    for (let i = 1; i <= 50; i++) expect(await client.cmd(`RCPT TO:<r${i}@remote.example>`)).toBe('250 2.1.5 Accepted');
    expect(await client.cmd('RCPT TO:<r51@remote.example>')).toBe('452 4.5.3 Error: too many recipients');
  });

  it('refuses a message over the size limit: declared (SIZE=) and actual, 552 5.3.4', async () => {
    const g = await startTestGateway({ WICKET_SUBMISSION_MAX_SIZE: '2048' });
    const sales = await g.account('sales');
    const client = await authed(g.ports.submission);
    expect(await client.cmd('MAIL FROM:<sales@agents.example.com> SIZE=4096')).toBe(
      '552 5.3.4 Error: message exceeds fixed maximum message size 2048',
    );
    expect(await client.cmd('MAIL FROM:<sales@agents.example.com>')).toBe('250 2.1.0 Accepted');
    await client.cmd('RCPT TO:<sales@agents.example.com>');
    await client.cmd('DATA');
    expect(await client.cmd(`Subject: big\r\n\r\n${'x'.repeat(70)}\r\n`.repeat(40) + '.')).toMatch(/^552 5\.3\.4 /);
    expect(folderMessages(g, sales, 'Sent')).toHaveLength(0);
    expect(await client.cmd('NOOP')).toBe('250 2.0.0 OK');
  });

  it('refuses bare LF and bare CR in DATA, and never takes <LF>.<LF> as the end (SMTP smuggling)', async () => {
    const g = await startTestGateway();
    const sales = await g.account('sales');
    const bob = await g.account('bob');
    const client = await authed(g.ports.submission);
    await client.cmd('MAIL FROM:<sales@agents.example.com>');
    await client.cmd('RCPT TO:<bob@agents.example.com>');
    await client.cmd('DATA');
    // A smuggled second message hides behind <LF>.<LF>; the server must read on to <CRLF>.<CRLF>.
    client.write(
      'Subject: first\r\n\r\nhello\n.\nMAIL FROM:<sales@agents.example.com>\r\nRCPT TO:<bob@agents.example.com>\r\nDATA\r\nSubject: smuggled\r\n\r\nevil\r\n.\r\n',
    );
    expect(await client.reply()).toBe('550 5.6.11 message contains a bare CR or LF; lines must end with CRLF (RFC 5321 §2.3.8)');
    expect(await client.drain(200)).toBe('');
    await client.cmd('MAIL FROM:<sales@agents.example.com>');
    await client.cmd('RCPT TO:<bob@agents.example.com>');
    await client.cmd('DATA');
    expect(await client.cmd('Subject: cr\r\n\r\nbare\rCR\r\n.')).toMatch(/^550 5\.6\.11 /);
    expect(folderMessages(g, bob, 'INBOX')).toHaveLength(0);
    expect(folderMessages(g, sales, 'Sent')).toHaveLength(0);
  });

  it('discards commands pipelined after STARTTLS instead of running them inside TLS (CVE-2011-0411)', async () => {
    const g = await startTestGateway({}, { trustLoopback: false });
    await g.account('sales');
    const { client } = await SmtpLineClient.connect(g.ports.submission);
    await client.cmd('EHLO client.example');
    client.write('STARTTLS\r\nRSET\r\nNOOP\r\n');
    expect(await client.reply()).toBe('220 2.0.0 Ready to start TLS');
    // Upgrade by hand: the injected RSET and NOOP must not be answered inside TLS.
    const tls = await import('node:tls');
    const socket = (client as unknown as { socket: import('node:net').Socket }).socket;
    socket.removeAllListeners('data');
    const secure = tls.connect({ socket, rejectUnauthorized: false });
    let received = '';
    secure.setEncoding('utf8').on('data', (d: string) => (received += d));
    await new Promise<void>((resolve) => secure.once('secureConnect', () => resolve()));
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toBe('');
    secure.write('EHLO client.example\r\n');
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toMatch(/^250-mail\.wicket\.test /);
    secure.destroy();
  });

  it('answers garbage with 500 5.5.2 and stays up', async () => {
    const g = await startTestGateway();
    const { client } = await SmtpLineClient.connect(g.ports.submission);
    expect(await client.cmd('HELLO there')).toBe('500 5.5.2 Error: command not recognized');
    expect(await client.cmd('\u0001\u0002binary')).toBe('500 5.5.2 Error: command not recognized');
    expect(await client.cmd('GET / HTTP/1.1')).toMatch(/^421 /);
    const again = await SmtpLineClient.connect(g.ports.submission);
    expect(await again.client.cmd('EHLO client.example')).toContain('250 SIZE');
  });

  it('stores nothing when the client disconnects in the middle of DATA, and serves the next client', async () => {
    const g = await startTestGateway();
    const sales = await g.account('sales');
    const bob = await g.account('bob');
    const client = await authed(g.ports.submission);
    await client.cmd('MAIL FROM:<sales@agents.example.com>');
    await client.cmd('RCPT TO:<bob@agents.example.com>');
    await client.cmd('DATA');
    client.write('Subject: half\r\n\r\nthis message never ends');
    await new Promise((r) => setTimeout(r, 100));
    (client as unknown as { socket: import('node:net').Socket }).socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect(folderMessages(g, bob, 'INBOX')).toHaveLength(0);
    expect(folderMessages(g, sales, 'Sent')).toHaveLength(0);
    expect(g.gateway.services.store.stats().messages).toBe(0);
    const next = await authed(g.ports.submission);
    await next.cmd('MAIL FROM:<sales@agents.example.com>');
    await next.cmd('RCPT TO:<bob@agents.example.com>');
    await next.cmd('DATA');
    expect(await next.cmd('Subject: whole\r\n\r\ncomplete\r\n.')).toMatch(/^250 2\.0\.0 OK: queued as /);
    expect(folderMessages(g, bob, 'INBOX')).toHaveLength(1);
  });

  it('limits simultaneous connections from one address', async () => {
    const g = await startTestGateway({ WICKET_SMTP_MAX_CONNECTIONS_PER_IP: '2' });
    await SmtpLineClient.connect(g.ports.submission);
    await SmtpLineClient.connect(g.ports.submission);
    const third = await SmtpLineClient.connect(g.ports.submission);
    expect(third.greeting).toBe('421 4.7.0 too many connections from your address; try again later');
  });
});
