// The inbound MX: mail from the world for local accounts only.
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { folderMessages, startTestGateway } from '../helpers/gateway.js';
import { SmtpLineClient } from '../helpers/smtp-client.js';

describe('SMTP MX', () => {
  it('offers no AUTH, takes mail for a local account into INBOX with Return-Path and Received (with TLS details)', async () => {
    const g = await startTestGateway();
    const bob = await g.account('bob');
    const { client, greeting } = await SmtpLineClient.connect(g.ports.mx);
    expect(greeting).toBe('220 mail.wicket.test ESMTP Wicket');
    const ehlo = await client.cmd('EHLO sender.example');
    expect(ehlo).not.toContain('AUTH');
    expect(ehlo).toContain('250-STARTTLS');
    expect(ehlo).toContain('250 SIZE 52428800');

    const info = await nodemailer
      .createTransport({ host: '127.0.0.1', port: g.ports.mx, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, name: 'sender.example' })
      .sendMail({ from: 'alice@remote.example', to: bob.email, subject: 'from outside', text: 'hello' });
    expect(info.response).toMatch(/^250 2\.0\.0 OK: queued as /);
    const [message] = folderMessages(g, bob, 'INBOX');
    expect(message!.raw).toMatch(
      /^Return-Path: <alice@remote\.example>\r\nReceived: from sender\.example \(\[127\.0\.0\.1\]\)\r\n\tby mail\.wicket\.test \(Wicket\) with ESMTPS id [0-9A-F]{16}\r\n\t\(using TLSv1\.3 with cipher TLS_\w+\)\r\n\tfor <bob@agents\.example\.com>; \w{3}, /,
    );
    // The message itself is stored byte for byte after the trace fields.
    expect(message!.raw).toContain('From: alice@remote.example\r\n');
    expect(message!.raw).toContain('\r\n\r\nhello');
  });

  it('stores one copy per mailbox even when a recipient is named twice', async () => {
    const g = await startTestGateway();
    const bob = await g.account('bob');
    const carol = await g.account('carol');
    const { client } = await SmtpLineClient.connect(g.ports.mx);
    await client.cmd('EHLO sender.example');
    await client.cmd('MAIL FROM:<alice@remote.example>');
    expect(await client.cmd('RCPT TO:<bob@agents.example.com>')).toBe('250 2.1.5 Accepted');
    expect(await client.cmd('RCPT TO:<BOB@agents.example.com>')).toBe('250 2.1.5 Accepted');
    expect(await client.cmd('RCPT TO:<carol@agents.example.com>')).toBe('250 2.1.5 Accepted');
    await client.cmd('DATA');
    expect(await client.cmd('Subject: hi\r\n\r\nhi\r\n.')).toMatch(/^250 /);
    expect(folderMessages(g, bob, 'INBOX')).toHaveLength(1);
    expect(folderMessages(g, carol, 'INBOX')).toHaveLength(1);
    // Two recipients: the Received field names neither, so a Bcc stays private.
    expect(folderMessages(g, carol, 'INBOX')[0]!.raw).not.toContain('for <');
  });

  it('refuses an unknown account (550 5.1.1), and mail between two remote addresses (550 5.7.1): never an open relay', async () => {
    const g = await startTestGateway();
    await g.account('bob');
    const { client } = await SmtpLineClient.connect(g.ports.mx);
    await client.cmd('EHLO sender.example');
    expect(await client.cmd('MAIL FROM:<alice@remote.example>')).toBe('250 2.1.0 Accepted');
    expect(await client.cmd('RCPT TO:<nobody@agents.example.com>')).toBe('550 5.1.1 <nobody@agents.example.com>: no such mailbox here');
    expect(await client.cmd('RCPT TO:<victim@elsewhere.example>')).toBe('550 5.7.1 <victim@elsewhere.example>: relay access denied');
    expect(await client.cmd('DATA')).toBe('503 5.5.1 Error: need RCPT command');
    expect(await client.cmd('RSET')).toBe('250 2.0.0 Flushed');
    // A sender on our domain does not make the MX a relay either.
    expect(await client.cmd('MAIL FROM:<bob@agents.example.com>')).toBe('250 2.1.0 Accepted');
    expect(await client.cmd('RCPT TO:<victim@elsewhere.example>')).toBe(
      '550 5.1.1 <victim@elsewhere.example>: this server does not handle mail for that domain',
    );
    expect(await client.cmd('AUTH PLAIN AGZvbwBiYXI=')).toBe('500 5.5.2 Error: command not recognized');
    expect(g.gateway.services.queue.list()).toEqual([]);
  });

  it('refuses a message over the MX size limit with 552 5.3.4', async () => {
    const g = await startTestGateway({ WICKET_MX_MAX_SIZE: '1024' });
    const bob = await g.account('bob');
    const { client } = await SmtpLineClient.connect(g.ports.mx);
    await client.cmd('EHLO sender.example');
    await client.cmd('MAIL FROM:<alice@remote.example>');
    await client.cmd('RCPT TO:<bob@agents.example.com>');
    await client.cmd('DATA');
    expect(await client.cmd(`Subject: big\r\n\r\n${'y'.repeat(2000)}\r\n.`)).toMatch(/^552 5\.3\.4 /);
    expect(folderMessages(g, bob, 'INBOX')).toHaveLength(0);
  });

  it('accepts the null sender (bounces from elsewhere) and 8-bit, UTF-8 content as is', async () => {
    const g = await startTestGateway();
    const bob = await g.account('bob');
    const { client } = await SmtpLineClient.connect(g.ports.mx);
    await client.cmd('EHLO sender.example');
    expect(await client.cmd('MAIL FROM:<> BODY=8BITMIME SMTPUTF8')).toBe('250 2.1.0 Accepted');
    await client.cmd('RCPT TO:<bob@agents.example.com>');
    await client.cmd('DATA');
    expect(await client.cmd('Subject: Grüße ✓\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNaïve café\r\n.')).toMatch(/^250 /);
    const [message] = folderMessages(g, bob, 'INBOX');
    expect(message!.raw.startsWith('Return-Path: <>\r\n')).toBe(true);
    expect(message!.raw).toContain('Subject: Grüße ✓\r\n');
    expect(message!.raw).toContain('Naïve café');
  });
});
