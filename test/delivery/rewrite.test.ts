import libmime from 'libmime';
import { describe, expect, it } from 'vitest';
import { DeliveryRefused } from '../../src/delivery/refusal.js';
import { prepareSubmission } from '../../src/delivery/rewrite.js';
import type { Account } from '../../src/store/types.js';

const EMAIL = 'agent@agents.example.com';
/** A Monday: 2026-11-23T15:52:20Z. */
const NOW = new Date(Date.UTC(2026, 10, 23, 15, 52, 20));
const UUID_MESSAGE_ID = /^<[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@agents\.example\.com>$/;

function account(name: string | null = 'Sales Agent'): Account {
  return {
    id: 'acc_1',
    applicationId: 'app_1',
    workspaceId: 'ws_1',
    domainId: 'dom_1',
    email: EMAIL,
    name,
    passwordHash: null,
    grantStatus: 'valid',
    createdAt: 0,
    updatedAt: 0,
  };
}

const prepare = (raw: string | Buffer, name: string | null = 'Sales Agent') =>
  prepareSubmission(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw, account(name), NOW);

/** Byte offset just past the empty line that ends the header block of a CRLF message. */
function headerEnd(message: Buffer): number {
  const at = message.indexOf('\r\n\r\n');
  expect(at, 'the message has an empty line after its header').toBeGreaterThanOrEqual(0);
  return at + 4;
}

/** The header fields of a message, unfolded (RFC 5322 §2.2.3), as [name, value] in order. */
function fields(message: Buffer): [string, string][] {
  const block = message.subarray(0, headerEnd(message) - 4).toString('latin1');
  return block
    .replace(/\r\n(?=[ \t])/g, '')
    .split('\r\n')
    .map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
}

const values = (message: Buffer, name: string) =>
  fields(message)
    .filter(([n]) => n.toLowerCase() === name.toLowerCase())
    .map(([, v]) => v);

const bodyOf = (message: Buffer) => message.subarray(headerEnd(message));

function refusal(raw: string): DeliveryRefused {
  try {
    prepare(raw);
  } catch (error) {
    if (error instanceof DeliveryRefused) return error;
    throw error;
  }
  throw new Error('expected a DeliveryRefused, but the message was accepted');
}

const BASIC = `From: Someone <${EMAIL}>\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\nhello\r\n`;

describe('prepareSubmission: the From field (RFC 6409 §8.1)', () => {
  it('rewrites From to the quoted display name and the account address', () => {
    const { sent, outbound } = prepare(BASIC);
    expect(values(sent, 'From')).toEqual([`"Sales Agent" <${EMAIL}>`]);
    expect(values(outbound, 'From')).toEqual([`"Sales Agent" <${EMAIL}>`]);
  });

  it('accepts the account address in another letter case and writes it canonically', () => {
    const { sent } = prepare('From: AGENT@Agents.Example.COM\r\nSubject: x\r\n\r\nx');
    expect(values(sent, 'From')).toEqual([`"Sales Agent" <${EMAIL}>`]);
  });

  it('a one-message display name (the API from[0].name) replaces the account name, address kept', () => {
    const { sent, outbound, summary } = prepareSubmission(Buffer.from(BASIC, 'utf8'), account('Sales Agent'), NOW, 'Agent Smith');
    expect(values(sent, 'From')).toEqual([`"Agent Smith" <${EMAIL}>`]);
    expect(values(outbound, 'From')).toEqual([`"Agent Smith" <${EMAIL}>`]);
    expect(summary.from).toEqual([{ name: 'Agent Smith', address: EMAIL }]);
    // Also for an account without a name.
    expect(values(prepareSubmission(Buffer.from(BASIC, 'utf8'), account(null), NOW, 'Once').sent, 'From')).toEqual([`"Once" <${EMAIL}>`]);
  });

  it('writes the bare address when the account has no name', () => {
    const { sent, summary } = prepare(BASIC, null);
    expect(values(sent, 'From')).toEqual([EMAIL]);
    expect(summary.from).toEqual([{ name: '', address: EMAIL }]);
  });

  it('encodes a non-ASCII name as RFC 2047 encoded-words (§5 rule 3) that decode back', () => {
    const name = 'Zoë Ågent 🤖';
    const { sent, summary } = prepare(BASIC, name);
    const [from] = values(sent, 'From');
    expect(from).toMatch(/^=\?UTF-8\?[QB]\?/i);
    expect(from).toMatch(/^[\x20-\x7e]+$/);
    expect(libmime.decodeWords(from)).toBe(`${name} <${EMAIL}>`);
    expect(summary.from).toEqual([{ name, address: EMAIL }]);
  });

  it('keeps every encoded-word of a long non-ASCII name within 75 characters (RFC 2047 §2)', () => {
    const name = 'Zoë Ågent '.repeat(12).trim();
    const { sent, summary } = prepare(BASIC, name);
    const [from] = values(sent, 'From');
    const words = from!.match(/=\?[^?]+\?[QB]\?[^?]*\?=/gi) ?? [];
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    expect(summary.from).toEqual([{ name, address: EMAIL }]);
  });

  it('escapes a double quote and a backslash in the name as quoted-pairs (RFC 5322 §3.2.4)', () => {
    const name = 'The "Best" Agent \\ Co';
    const { sent, summary } = prepare(BASIC, name);
    expect(values(sent, 'From')).toEqual([`"The \\"Best\\" Agent \\\\ Co" <${EMAIL}>`]);
    expect(summary.from).toEqual([{ name, address: EMAIL }]);
  });

  it('adds a From field when the message has none', () => {
    const { sent } = prepare('To: bob@example.net\r\nSubject: x\r\n\r\nx');
    expect(values(sent, 'From')).toEqual([`"Sales Agent" <${EMAIL}>`]);
  });

  it('keeps the other fields in their order around the rewritten From', () => {
    const { sent } = prepare(`Subject: s\r\nFrom: ${EMAIL}\r\nTo: bob@example.net\r\nDate: Tue, 01 Dec 2026 08:00:00 -0500\r\nMessage-ID: <m@x>\r\n\r\nx`);
    expect(fields(sent).map(([n]) => n)).toEqual(['Subject', 'From', 'To', 'Date', 'Message-ID']);
  });

  it('does not look at "From:" lines in the body', () => {
    const { sent } = prepare(`From: ${EMAIL}\r\n\r\nFrom: mallory@evil.example\r\n`);
    expect(bodyOf(sent).toString()).toBe('From: mallory@evil.example\r\n');
  });
});

describe('prepareSubmission: refused senders (RFC 6409 §6.1)', () => {
  it.each([
    ['a foreign From address', 'From: Mallory <mallory@evil.example>\r\n\r\nx', 'mallory@evil.example'],
    ['a look-alike address at another domain', `From: agent@agents.example.net\r\n\r\nx`, 'agent@agents.example.net'],
    ['two From fields (RFC 5322 §3.6: at most one)', `From: ${EMAIL}\r\nFrom: ${EMAIL}\r\n\r\nx`, 'more than one From'],
    ['two From fields, one foreign', `From: ${EMAIL}\r\nfrom: mallory@evil.example\r\n\r\nx`, 'more than one From'],
    ['a From with two mailboxes, one foreign', `From: ${EMAIL}, Mallory <mallory@evil.example>\r\n\r\nx`, 'mallory@evil.example'],
    ['a foreign mailbox in a group', `From: Team: ${EMAIL}, mallory@evil.example;\r\n\r\nx`, 'mallory@evil.example'],
    ['a foreign mailbox on a folded line', `From: ${EMAIL},\r\n mallory@evil.example\r\n\r\nx`, 'mallory@evil.example'],
    ['an empty From', 'From: \r\n\r\nx', 'names no address'],
    ['a From with a name and no address', 'From: undisclosed\r\n\r\nx', 'names no address'],
  ])('refuses %s with 550 5.7.1', (_label, raw, mentions) => {
    const error = refusal(raw);
    expect(error.code).toBe(550);
    expect(error.enhanced).toBe('5.7.1');
    expect(error.permanent).toBe(true);
    expect(error.message).toContain(mentions);
  });
});

describe('prepareSubmission: fields the MSA removes and adds (RFC 6409 §8)', () => {
  it('removes Sender, folded lines included', () => {
    const { sent, outbound } = prepare(`Sender: Someone\r\n <someone@example.org>\r\nFrom: ${EMAIL}\r\n\r\nx`);
    for (const copy of [sent, outbound]) {
      expect(values(copy, 'Sender')).toEqual([]);
      expect(copy.toString('latin1')).not.toContain('someone@example.org');
    }
  });

  it('adds a Message-ID <uuid@account-domain> when missing and returns it', () => {
    const { sent, outbound, messageId, summary } = prepare(BASIC);
    expect(messageId).toMatch(UUID_MESSAGE_ID);
    expect(values(sent, 'Message-ID')).toEqual([messageId]);
    expect(values(outbound, 'Message-ID')).toEqual([messageId]);
    expect(summary.messageId).toBe(messageId);
    expect(prepare(BASIC).messageId).not.toBe(messageId);
  });

  it('keeps an existing Message-ID and returns it', () => {
    const { sent, messageId, summary } = prepare(`Message-ID: <orig.1@client.example>\r\n${BASIC}`);
    expect(messageId).toBe('<orig.1@client.example>');
    expect(values(sent, 'Message-ID')).toEqual(['<orig.1@client.example>']);
    expect(summary.messageId).toBe('<orig.1@client.example>');
  });

  it('replaces an empty Message-ID rather than adding a second one (RFC 5322 §3.6)', () => {
    const { sent, messageId } = prepare(`Message-ID: \r\n${BASIC}`);
    expect(values(sent, 'Message-ID')).toEqual([messageId]);
  });

  it('adds a Date in RFC 5322 §3.3 form when missing', () => {
    const { sent, summary } = prepare(BASIC);
    expect(values(sent, 'Date')).toEqual(['Mon, 23 Nov 2026 15:52:20 +0000']);
    expect(summary.date).toBe(NOW.getTime() / 1000);
  });

  it('keeps an existing Date as written', () => {
    const { sent, summary } = prepare(`Date: Tue, 1 Dec 2026 08:00:00 -0500\r\n${BASIC}`);
    expect(values(sent, 'Date')).toEqual(['Tue, 1 Dec 2026 08:00:00 -0500']);
    expect(summary.date).toBe(Date.UTC(2026, 11, 1, 13, 0, 0) / 1000);
  });
});

describe('prepareSubmission: Bcc (RFC 5322 §3.6.3)', () => {
  const withBcc = `From: ${EMAIL}\r\nTo: bob@example.net\r\nBcc: hidden@example.org,\r\n also-hidden@example.org\r\nSubject: s\r\n\r\nbody\r\n`;

  it('keeps Bcc in the Sent copy and removes it from the outbound copy', () => {
    const { sent, outbound } = prepare(withBcc);
    expect(values(sent, 'Bcc')).toEqual(['hidden@example.org, also-hidden@example.org']);
    expect(values(outbound, 'Bcc')).toEqual([]);
    expect(outbound.toString('latin1')).not.toContain('hidden@example.org');
  });

  it('otherwise leaves the outbound copy identical to the Sent copy', () => {
    const { sent, outbound } = prepare(withBcc);
    expect(fields(outbound)).toEqual(fields(sent).filter(([n]) => n !== 'Bcc'));
    expect(bodyOf(outbound).equals(bodyOf(sent))).toBe(true);
  });

  it('gives the same bytes for both copies when there is no Bcc', () => {
    const { sent, outbound } = prepare(BASIC);
    expect(outbound.equals(sent)).toBe(true);
  });
});

describe('prepareSubmission: the body', () => {
  // 8-bit bytes, a bare LF, a bare CR, a dot line, an embedded empty line, no final CRLF.
  const body = Buffer.concat([
    Buffer.from('first line\r\n', 'latin1'),
    Buffer.from([0x80, 0xc3, 0xa9, 0xff, 0x00, 0x0d, 0x0a]),
    Buffer.from('bare LF\nbare CR\r.dot\r\n\r\nBcc: not-a-field@example.org\r\nlast line, no CRLF', 'latin1'),
  ]);

  it('keeps the bytes after the header block untouched (CRLF header)', () => {
    const raw = Buffer.concat([Buffer.from(`From: ${EMAIL}\r\nBcc: h@example.org\r\nSender: s@example.org\r\n\r\n`), body]);
    const { sent, outbound } = prepare(raw);
    expect(bodyOf(sent).equals(body)).toBe(true);
    expect(bodyOf(outbound).equals(body)).toBe(true);
  });

  it('keeps the bytes after the header block untouched (bare-LF header)', () => {
    const raw = Buffer.concat([Buffer.from(`From: ${EMAIL}\nSubject: s\n\n`), body]);
    const { sent } = prepare(raw);
    expect(bodyOf(sent).equals(body)).toBe(true);
    expect(values(sent, 'Subject')).toEqual(['s']);
  });

  it('keeps raw 8-bit bytes of fields it does not touch (RFC 6532)', () => {
    const raw = Buffer.from(`From: ${EMAIL}\r\nSubject: café ☕\r\n\r\nx`, 'utf8');
    const { sent } = prepare(raw);
    expect(sent.includes(Buffer.from('\r\nSubject: café ☕\r\n', 'utf8'))).toBe(true);
  });

  // A message that starts with its empty line: the added fields must not add a second one.
  it('keeps the body of a message without header fields byte for byte', () => {
    const { sent } = prepare('\r\nbody\r\n');
    expect(bodyOf(sent).toString('latin1')).toBe('body\r\n');
  });
});

describe('prepareSubmission: summary', () => {
  it('describes the prepared message', () => {
    const raw = [
      'From: Whoever <agent@agents.example.com>',
      'To: "Doe, Jane" <jane@example.org>, bob@example.net',
      'Cc: carol@example.com',
      'Bcc: hidden@example.org',
      'Subject: =?UTF-8?Q?Caf=C3=A9?= order',
      '',
      'body',
    ].join('\r\n');
    const { summary, messageId } = prepare(raw);
    expect(summary).toEqual({
      subject: 'Café order',
      from: [{ name: 'Sales Agent', address: EMAIL }],
      to: [
        { name: 'Doe, Jane', address: 'jane@example.org' },
        { name: '', address: 'bob@example.net' },
      ],
      cc: [{ name: '', address: 'carol@example.com' }],
      messageId,
      date: NOW.getTime() / 1000,
    });
  });

  it('has null and empty values for what the message lacks', () => {
    const { summary } = prepare(`From: ${EMAIL}\r\n\r\nx`, null);
    expect(summary.subject).toBeNull();
    expect(summary.to).toEqual([]);
    expect(summary.cc).toEqual([]);
  });
});
