import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { type DsnInput, type DsnRecipient, buildDsn, statusFromReply } from '../../src/delivery/dsn.js';

const HOST = 'mx.agents.example.com';
const ARRIVAL = new Date(Date.UTC(2026, 10, 23, 15, 52, 20));
const ATTEMPT = new Date(Date.UTC(2026, 10, 23, 16, 0, 5));
const NOW = new Date(Date.UTC(2026, 10, 23, 16, 0, 6));

const ORIGINAL = Buffer.from(
  'From: agent@agents.example.com\r\nTo: bob@example.net\r\nSubject: hello\r\nMessage-ID: <orig@agents.example.com>\r\n\r\nThe body text.\r\n',
);

function failed(overrides: Partial<DsnRecipient> = {}): DsnRecipient {
  return {
    recipient: 'bob@example.net',
    orcpt: null,
    action: 'failed',
    status: '5.1.1',
    diagnostic: '550 5.1.1 no such user',
    remoteMta: 'mx.example.net',
    lastAttempt: ATTEMPT,
    ...overrides,
  };
}

function input(overrides: Partial<DsnInput> = {}): DsnInput {
  return {
    hostname: HOST,
    to: 'agent@agents.example.com',
    original: ORIGINAL,
    ret: null,
    envid: null,
    arrivalDate: ARRIVAL,
    recipients: [failed()],
    now: NOW,
    ...overrides,
  };
}

interface Part {
  head: string;
  body: Buffer;
}

/**
 * The top-level header, the boundary and the body parts of a multipart message. RFC 2046
 * §5.1.1: the CRLF before `--boundary` belongs to the delimiter, not to the part before it.
 */
function parse(raw: Buffer): { head: string; boundary: string; parts: Part[] } {
  const text = raw.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  const head = text.slice(0, headEnd);
  const boundary = /boundary="([^"]+)"/.exec(head)?.[1];
  if (!boundary) throw new Error('no boundary in the top-level Content-Type');
  const pieces = text.slice(headEnd).split(`\r\n--${boundary}`);
  const close = pieces.pop()!;
  expect(close).toBe('--\r\n');
  const parts = pieces.slice(1).map((piece) => {
    expect(piece.startsWith('\r\n')).toBe(true);
    const end = piece.indexOf('\r\n\r\n');
    return { head: piece.slice(2, end), body: Buffer.from(piece.slice(end + 4), 'latin1') };
  });
  return { head, boundary, parts };
}

const header = (head: string, name: string): string[] =>
  head
    .split('\r\n')
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((line) => line.slice(name.length + 1).trim());

/** The message/delivery-status body as field groups (RFC 3464 §2.1): per-message, then one per recipient. */
function statusGroups(raw: Buffer): [string, string][][] {
  const status = parse(raw).parts[1]!;
  return status.body
    .toString('latin1')
    .replace(/\r\n$/, '')
    .split('\r\n\r\n')
    .map((group) =>
      group.split('\r\n').map((line) => {
        const colon = line.indexOf(':');
        expect(colon, `"${line}" is a field`).toBeGreaterThan(0);
        return [line.slice(0, colon), line.slice(colon + 1).trim()] as [string, string];
      }),
    );
}

describe('buildDsn: structure (RFC 6522, RFC 3464 §2)', () => {
  it('is a multipart/report with report-type=delivery-status', async () => {
    const parsed = await simpleParser(buildDsn(input()));
    const contentType = parsed.headers.get('content-type') as { value: string; params: Record<string, string> };
    expect(contentType.value).toBe('multipart/report');
    expect(contentType.params['report-type']).toBe('delivery-status');
    expect(parsed.headers.get('mime-version')).toBe('1.0');
  });

  it('has text/plain, message/delivery-status and message/rfc822 parts, in that order', () => {
    const { parts } = parse(buildDsn(input()));
    expect(parts.map((p) => header(p.head, 'Content-Type')[0])).toEqual([
      'text/plain; charset=us-ascii',
      'message/delivery-status',
      'message/rfc822',
    ]);
  });

  it('returns the original message byte for byte', () => {
    const { parts } = parse(buildDsn(input()));
    expect(parts[2]!.body.equals(ORIGINAL)).toBe(true);
  });

  it('writes the human-readable part in US-ASCII, naming each recipient', () => {
    const raw = buildDsn(input({ recipients: [failed(), failed({ recipient: 'carol@example.org', diagnostic: null })] }));
    const human = parse(raw).parts[0]!.body;
    expect(human.every((b) => b < 0x80)).toBe(true);
    expect(human.toString()).toContain('<bob@example.net>: 550 5.1.1 no such user');
    expect(human.toString()).toContain('<carol@example.org>: failed');
  });

  it('comes from the mailer daemon, to the original sender, with Date and Message-ID', () => {
    const { head } = parse(buildDsn(input()));
    expect(header(head, 'From')).toEqual([`Mail Delivery System <MAILER-DAEMON@${HOST}>`]);
    expect(header(head, 'To')).toEqual(['<agent@agents.example.com>']);
    expect(header(head, 'Date')).toEqual(['Mon, 23 Nov 2026 16:00:06 +0000']);
    expect(header(head, 'Message-ID')[0]).toMatch(/^<[0-9a-f]{24}@mx\.agents\.example\.com>$/);
  });

  it('is marked Auto-Submitted: auto-replied (RFC 3834 §5)', () => {
    expect(header(parse(buildDsn(input())).head, 'Auto-Submitted')).toEqual(['auto-replied']);
  });

  it('uses a failure subject when any recipient failed and a success subject otherwise', () => {
    const relayed = failed({ action: 'relayed', status: '2.0.0', diagnostic: '250 2.0.0 queued' });
    const subject = (recipients: DsnRecipient[]) => header(parse(buildDsn(input({ recipients }))).head, 'Subject')[0];
    expect(subject([failed()])).toBe('Undelivered Mail Returned to Sender');
    expect(subject([relayed, failed({ recipient: 'carol@example.org' })])).toBe('Undelivered Mail Returned to Sender');
    expect(subject([relayed])).toBe('Successful Mail Delivery Report');
  });
});

describe('buildDsn: delivery-status fields (RFC 3464 §2.2, §2.3)', () => {
  it('writes the per-message fields', () => {
    const [perMessage] = statusGroups(buildDsn(input({ envid: 'ENV-42' })));
    expect(Object.fromEntries(perMessage!)).toEqual({
      'Reporting-MTA': `dns; ${HOST}`,
      'Original-Envelope-Id': 'ENV-42',
      'Arrival-Date': 'Mon, 23 Nov 2026 15:52:20 +0000',
    });
  });

  it('leaves Original-Envelope-Id out when no ENVID was given', () => {
    const [perMessage] = statusGroups(buildDsn(input()));
    expect(perMessage!.map(([name]) => name)).toEqual(['Reporting-MTA', 'Arrival-Date']);
  });

  // RFC 3464 §2.2 ABNF: per-message-fields = [ original-envelope-id-field CRLF ]
  // reporting-mta-field CRLF ...
  it('puts Original-Envelope-Id before Reporting-MTA, in ABNF order (RFC 3464 §2.2)', () => {
    const [perMessage] = statusGroups(buildDsn(input({ envid: 'ENV-42' })));
    expect(perMessage!.map(([name]) => name)).toEqual(['Original-Envelope-Id', 'Reporting-MTA', 'Arrival-Date']);
  });

  it('writes one block per recipient, fields in ABNF order (RFC 3464 §2.3)', () => {
    const raw = buildDsn(
      input({
        recipients: [
          failed({ orcpt: 'rfc822;Bob@Example.net' }),
          failed({ recipient: 'carol@example.org', action: 'relayed', status: '2.0.0', diagnostic: '250 2.0.0 Ok: queued as 1A2B', remoteMta: 'mx.example.org' }),
        ],
      }),
    );
    const [, bob, carol, ...rest] = statusGroups(raw);
    expect(rest).toEqual([]);
    expect(bob).toEqual([
      ['Original-Recipient', 'rfc822;Bob@Example.net'],
      ['Final-Recipient', 'rfc822; bob@example.net'],
      ['Action', 'failed'],
      ['Status', '5.1.1'],
      ['Remote-MTA', 'dns; mx.example.net'],
      ['Diagnostic-Code', 'smtp; 550 5.1.1 no such user'],
      ['Last-Attempt-Date', 'Mon, 23 Nov 2026 16:00:05 +0000'],
    ]);
    expect(carol).toEqual([
      ['Final-Recipient', 'rfc822; carol@example.org'],
      ['Action', 'relayed'],
      ['Status', '2.0.0'],
      ['Remote-MTA', 'dns; mx.example.org'],
      ['Diagnostic-Code', 'smtp; 250 2.0.0 Ok: queued as 1A2B'],
      ['Last-Attempt-Date', 'Mon, 23 Nov 2026 16:00:05 +0000'],
    ]);
  });

  it('leaves Remote-MTA and Diagnostic-Code out when unknown', () => {
    const [, recipient] = statusGroups(buildDsn(input({ recipients: [failed({ remoteMta: null, diagnostic: null, status: '4.4.7' })] })));
    expect(recipient!.map(([name]) => name)).toEqual(['Final-Recipient', 'Action', 'Status', 'Last-Attempt-Date']);
  });

  it('flattens a multi-line diagnostic to one line, so it cannot add fields', () => {
    const raw = buildDsn(
      input({
        envid: 'ENV\r\nAction: relayed',
        recipients: [failed({ diagnostic: '550-5.1.1 first line\r\n550 5.1.1 second\nAction: relayed', remoteMta: 'mx\r\n.example.net' })],
      }),
    );
    const [perMessage, recipient] = statusGroups(raw);
    expect(perMessage).toContainEqual(['Original-Envelope-Id', 'ENV Action: relayed']);
    expect(recipient!.filter(([name]) => name === 'Action')).toEqual([['Action', 'failed']]);
    expect(recipient).toContainEqual(['Diagnostic-Code', 'smtp; 550-5.1.1 first line 550 5.1.1 second Action: relayed']);
    expect(recipient).toContainEqual(['Remote-MTA', 'dns; mx .example.net']);
    expect(parse(raw).parts[0]!.body.toString()).toContain('<bob@example.net>: 550-5.1.1 first line 550 5.1.1 second Action: relayed\r\n');
  });

  it('replaces non-ASCII characters in a diagnostic, keeping the part 7-bit', () => {
    const [, recipient] = statusGroups(buildDsn(input({ recipients: [failed({ diagnostic: '550 5.1.1 Empfänger unbekannt' })] })));
    expect(recipient).toContainEqual(['Diagnostic-Code', 'smtp; 550 5.1.1 Empf?nger unbekannt']);
  });
});

describe('buildDsn: the returned original (RFC 3461 §4.3 RET)', () => {
  const headerBlock = 'From: agent@agents.example.com\r\nTo: bob@example.net\r\nSubject: hello\r\nMessage-ID: <orig@agents.example.com>\r\n\r\n';

  it('returns only the header as text/rfc822-headers when RET=HDRS', () => {
    const { parts } = parse(buildDsn(input({ ret: 'HDRS' })));
    expect(header(parts[2]!.head, 'Content-Type')).toEqual(['text/rfc822-headers']);
    expect(parts[2]!.body.toString('latin1')).toBe(headerBlock);
  });

  it('returns the whole message when RET=FULL', () => {
    const { parts } = parse(buildDsn(input({ ret: 'FULL' })));
    expect(header(parts[2]!.head, 'Content-Type')).toEqual(['message/rfc822']);
    expect(parts[2]!.body.equals(ORIGINAL)).toBe(true);
  });

  /** A message of exactly `size` bytes. */
  const sized = (size: number) => {
    const head = Buffer.from('Subject: big\r\n\r\n');
    return Buffer.concat([head, Buffer.alloc(size - head.length, 'x')]);
  };

  it('returns a message of exactly 100 KB in full', () => {
    const original = sized(100 * 1024);
    const { parts } = parse(buildDsn(input({ original, ret: 'FULL' })));
    expect(header(parts[2]!.head, 'Content-Type')).toEqual(['message/rfc822']);
    expect(parts[2]!.body.equals(original)).toBe(true);
  });

  it('returns only the header of a message over 100 KB, even with RET=FULL', () => {
    const { parts } = parse(buildDsn(input({ original: sized(100 * 1024 + 1), ret: 'FULL' })));
    expect(header(parts[2]!.head, 'Content-Type')).toEqual(['text/rfc822-headers']);
    expect(parts[2]!.body.toString('latin1')).toBe('Subject: big\r\n\r\n');
  });

  it('adds no Content-Transfer-Encoding for a 7-bit original', () => {
    const { parts } = parse(buildDsn(input()));
    expect(header(parts[2]!.head, 'Content-Transfer-Encoding')).toEqual([]);
  });

  it('labels an original with 8-bit bytes Content-Transfer-Encoding: 8bit (RFC 2046 §5.2.1)', () => {
    const original = Buffer.concat([Buffer.from(headerBlock), Buffer.from('caf\u00e9 \u2615\r\n', 'utf8')]);
    const { parts } = parse(buildDsn(input({ original })));
    expect(header(parts[2]!.head, 'Content-Transfer-Encoding')).toEqual(['8bit']);
    expect(parts[2]!.body.equals(original)).toBe(true);
  });

  it('looks only at what it returns: an 8-bit body is not labelled when RET=HDRS', () => {
    const original = Buffer.concat([Buffer.from(headerBlock), Buffer.from('caf\u00e9\r\n', 'utf8')]);
    const { parts } = parse(buildDsn(input({ original, ret: 'HDRS' })));
    expect(header(parts[2]!.head, 'Content-Transfer-Encoding')).toEqual([]);
  });

  it('labels a header with 8-bit bytes (RFC 6532) 8bit when RET=HDRS', () => {
    const original = Buffer.from('Subject: caf\u00e9\r\n\r\nbody\r\n', 'utf8');
    const { parts } = parse(buildDsn(input({ original, ret: 'HDRS' })));
    expect(header(parts[2]!.head, 'Content-Transfer-Encoding')).toEqual(['8bit']);
    expect(parts[2]!.body.equals(Buffer.from('Subject: caf\u00e9\r\n\r\n', 'utf8'))).toBe(true);
  });
});

describe('statusFromReply (RFC 3463)', () => {
  it.each([
    ['550 5.1.1 no such user', 'x', '5.1.1'],
    ['550-5.7.1 first line of a multi-line reply', 'x', '5.7.1'],
    ['250 2.0.0 Ok: queued as 1A2B', 'x', '2.0.0'],
    ['452 4.2.2 mailbox full', 'x', '4.2.2'],
    ['552 5.3.4 message size exceeds fixed limit', 'x', '5.3.4'],
    ['451 try later', 'x', '4.0.0'],
    ['554 transaction failed', 'x', '5.0.0'],
    ['421', 'x', '4.0.0'],
    ['garbage', '4.4.7', '4.4.7'],
    ['', '4.4.1', '4.4.1'],
    ['354 go ahead', '5.0.0', '5.0.0'],
    ['5.1.1 no basic code', '4.4.7', '4.4.7'],
  ])('statusFromReply(%j, %j) = %j', (reply, fallback, expected) => {
    expect(statusFromReply(reply, fallback)).toBe(expected);
  });
});
