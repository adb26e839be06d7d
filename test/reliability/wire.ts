// One-call mail transactions over the raw line clients, for the crash and full-disk tests: an
// SMTP transaction to its final reply (submission with AUTH PLAIN, or the MX without), an IMAP
// APPEND with a synchronizing literal, and a message with a unique token in its subject.
import { ImapLineClient } from '../helpers/imap-client.js';
import { SmtpLineClient, plain } from '../helpers/smtp-client.js';

/** An RFC 5322 message of about `size` bytes whose Subject and Message-ID carry `token`. */
export function message(opts: { from: string; to: string[]; token: string; size?: number }): Buffer {
  const line = 'The quick brown fox jumps over the lazy dog, and the dog does not mind at all.';
  const lines = Math.max(1, Math.ceil((opts.size ?? 0) / (line.length + 2)));
  return Buffer.from(
    [
      `From: ${opts.from}`,
      `To: ${opts.to.join(', ')}`,
      `Subject: ${opts.token}`,
      'Date: Mon, 23 Nov 2026 10:00:00 +0000',
      `Message-ID: <${opts.token}@reliability.test>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Hello, this is ${opts.token}.`,
      ...Array.from({ length: lines }, () => line),
      `end of ${opts.token}`,
      '',
    ].join('\r\n'),
  );
}

export interface SmtpTransaction {
  port: number;
  /** AUTH PLAIN with these (submission); none for the MX. */
  auth?: { user: string; pass: string };
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
}

/**
 * Runs one SMTP transaction and returns the reply to the end of DATA (or the first refusal
 * before it). Throws when the connection breaks: the message was not acknowledged.
 */
export async function smtpSend(t: SmtpTransaction): Promise<string> {
  const { client, greeting } = await SmtpLineClient.connect(t.port);
  try {
    if (!greeting.startsWith('220')) return greeting;
    const ehlo = await client.cmd('EHLO reliability.test');
    if (!ehlo.startsWith('250')) return ehlo;
    if (t.auth) {
      const auth = await client.cmd(`AUTH PLAIN ${plain(t.auth.user, t.auth.pass)}`);
      if (!auth.startsWith('235')) return auth;
    }
    const from = await client.cmd(`MAIL FROM:<${t.mailFrom}>`);
    if (!from.startsWith('250')) return from;
    for (const rcpt of t.rcptTo) {
      const reply = await client.cmd(`RCPT TO:<${rcpt}>`);
      if (!reply.startsWith('250')) return reply;
    }
    const data = await client.cmd('DATA');
    if (!data.startsWith('354')) return data;
    // The generated messages have no line starting with a dot: no dot-stuffing needed.
    client.write(t.raw);
    client.write(t.raw.subarray(-2).toString() === '\r\n' ? '.\r\n' : '\r\n.\r\n');
    return await client.reply(60_000);
  } finally {
    client.quit();
  }
}

/** APPEND with a synchronizing literal; returns the tagged reply. */
export async function imapAppend(client: ImapLineClient, folder: string, raw: Buffer, flags: string[] = []): Promise<string> {
  const tag = client.nextTag();
  client.write(`${tag} APPEND "${folder}"${flags.length ? ` (${flags.join(' ')})` : ''} {${raw.length}}\r\n`);
  const go = await client.response(30_000);
  if (!go.startsWith('+')) return go;
  client.write(Buffer.concat([raw, Buffer.from('\r\n')]));
  return (await client.until(tag)).tagged;
}

/** `A12 OK [APPENDUID 1700000000 42] …` → { uidValidity, uid }. */
export function appendUid(tagged: string): { uidValidity: number; uid: number } | null {
  const m = /\[APPENDUID (\d+) (\d+)\]/.exec(tagged);
  return m ? { uidValidity: Number(m[1]), uid: Number(m[2]) } : null;
}
