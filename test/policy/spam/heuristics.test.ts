import { describe, expect, it } from 'vitest';
import { bareIpLinks, HEURISTIC_SCORES, headerAnomalies, isValidMessageId, parseDateTime } from '../../../src/policy/spam/heuristics.js';
import { message } from './fake-resolver.js';

const NOW = new Date('2026-12-08T12:00:00Z');

/** A well-formed message: every rule quiet. Fields replaced or removed by name. */
function mail(changes: Record<string, string | string[] | null> = {}, body = 'Hello Sam,\r\n\r\nSee you on Thursday.\r\n'): Buffer {
  const fields: Record<string, string | string[]> = {
    From: 'Priya Natarajan <priya@example.net>',
    To: 'Sam Rivera <sam@example.org>',
    Subject: 'Planning meeting',
    Date: 'Mon, 7 Dec 2026 09:30:00 +0100',
    'Message-ID': '<b3f1c9e2.5a77@example.net>',
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
  };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete fields[name];
    else fields[name] = value;
  }
  const lines = Object.entries(fields).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${v}`));
  return message(lines, body);
}

const rules = (raw: Buffer, now = NOW) => headerAnomalies(raw, now).map((t) => t.rule);

describe('headerAnomalies', () => {
  it('finds nothing in a well-formed message', () => {
    expect(headerAnomalies(mail(), NOW)).toEqual([]);
  });

  it('scores every rule with a small positive number, and explains it', () => {
    for (const score of Object.values(HEURISTIC_SCORES)) {
      expect(score).toBeGreaterThanOrEqual(0.5);
      expect(score).toBeLessThanOrEqual(3.0);
    }
    const [found] = headerAnomalies(mail({ Date: null }), NOW);
    expect(found).toEqual({ rule: 'MISSING_DATE', score: HEURISTIC_SCORES.MISSING_DATE, detail: expect.stringContaining('Date') });
  });

  describe('Date', () => {
    it('MISSING_DATE without a Date field', () => {
      expect(rules(mail({ Date: null }))).toEqual(['MISSING_DATE']);
    });

    it('INVALID_DATE for a value that is not an RFC 5322 date-time', () => {
      for (const date of ['yesterday', '2026-12-07T09:30:00Z', '7 Dec 2026', 'Mon, 7 Dec 2026 09:30 +01', 'Mon, 32 Dec 2026 09:30:00 +0000']) {
        expect(rules(mail({ Date: date })), date).toEqual(['INVALID_DATE']);
      }
    });

    it('INVALID_DATE when the day of the week is not the date\'s', () => {
      const [found] = headerAnomalies(mail({ Date: 'Tue, 7 Dec 2026 09:30:00 +0100' }), NOW);
      expect(found?.rule).toBe('INVALID_DATE');
      expect(found?.detail).toContain('is a mon');
    });

    it('DATE_IN_FUTURE more than a day ahead of the receiving time, not less', () => {
      expect(rules(mail({ Date: 'Fri, 18 Dec 2026 19:30:00 +0000' }))).toEqual(['DATE_IN_FUTURE']);
      // Twenty hours ahead: a wrong clock or zone, not forged.
      expect(rules(mail({ Date: 'Wed, 9 Dec 2026 08:00:00 +0000' }))).toEqual([]);
      // The same message received later is fine.
      expect(rules(mail({ Date: 'Fri, 18 Dec 2026 19:30:00 +0000' }), new Date('2026-12-18T20:00:00Z'))).toEqual([]);
    });
  });

  describe('Message-ID', () => {
    it('MISSING_MESSAGE_ID without one', () => {
      expect(rules(mail({ 'Message-ID': null }))).toEqual(['MISSING_MESSAGE_ID']);
    });

    it('INVALID_MESSAGE_ID when it is not <id-left@id-right>', () => {
      for (const id of ['<5fd2c8a1e3b>', 'abc@example.net', '<000d01c8a2b3$5e8f0a20$6400a8c0@>', '<a b@example.net>', '<a..b@example.net>']) {
        expect(rules(mail({ 'Message-ID': id })), id).toEqual(['INVALID_MESSAGE_ID']);
      }
    });
  });

  describe('From, Sender, Reply-To', () => {
    it('MISSING_FROM without From, or with a From that names no mailbox', () => {
      expect(rules(mail({ From: null }))).toEqual(['MISSING_FROM']);
      expect(rules(mail({ From: 'undisclosed' }))).toEqual(['MISSING_FROM']);
    });

    it('FROM_MULTIPLE_NO_SENDER for several authors without Sender (RFC 5322 §3.6.2)', () => {
      const from = 'Ann <ann@example.net>, Bob <bob@example.net>';
      expect(rules(mail({ From: from }))).toEqual(['FROM_MULTIPLE_NO_SENDER']);
      expect(rules(mail({ From: from, Sender: 'Ann <ann@example.net>' }))).toEqual([]);
    });

    it('FROM_DISPLAY_NAME_FORGED when the display name shows another address', () => {
      const [found] = headerAnomalies(mail({ From: '"service@paypal.com" <x@evil.example>' }), NOW);
      expect(found?.rule).toBe('FROM_DISPLAY_NAME_FORGED');
      expect(found?.detail).toContain('service@paypal.com');
      expect(found?.detail).toContain('x@evil.example');
      expect(rules(mail({ From: 'PayPal service@paypal.com <x@evil.example>' }))).toEqual(['FROM_DISPLAY_NAME_FORGED']);
      expect(rules(mail({ From: '=?UTF-8?Q?service=40paypal=2Ecom?= <x@evil.example>' }))).toEqual(['FROM_DISPLAY_NAME_FORGED']);
    });

    it('a display name of a million letters and no address is read once (anyone can send one to the MX)', () => {
      // The former pattern read to the end from each letter: 22 s for 200,000 of them.
      const long = 'a'.repeat(1_000_000);
      expect(rules(mail({ From: `${long} <x@evil.example>` }))).toEqual([]);
      expect(rules(mail({ From: `${long} service@paypal.com <x@evil.example>` }))).toEqual(['FROM_DISPLAY_NAME_FORGED']);
    });

    it('no FROM_DISPLAY_NAME_FORGED when the shown address is the real one, or there is none', () => {
      expect(rules(mail({ From: '"Priya@Example.net" <priya@example.net>' }))).toEqual([]);
      expect(rules(mail({ From: 'PayPal <service@paypal.com>' }))).toEqual([]);
    });

    it('REPLY_TO_DOMAIN_DIFFERS when replies go to an unrelated domain', () => {
      const [found] = headerAnomalies(mail({ 'Reply-To': 'claims@freemail.example' }), NOW);
      expect(found).toMatchObject({ rule: 'REPLY_TO_DOMAIN_DIFFERS', detail: expect.stringContaining('freemail.example') });
      // The same domain, or a parent or subdomain of it, is not a different one.
      expect(rules(mail({ 'Reply-To': 'Care <care@EXAMPLE.net>' }))).toEqual([]);
      expect(rules(mail({ From: 'News <news@mail.example.net>', 'Reply-To': 'care@example.net' }))).toEqual([]);
      expect(rules(mail({ 'Reply-To': 'care@support.example.net' }))).toEqual([]);
    });
  });

  describe('Subject', () => {
    it('SUBJECT_ALL_CAPS at 80 % capitals or more, with ten letters or more', () => {
      expect(rules(mail({ Subject: 'CONGRATULATIONS YOU HAVE WON' }))).toEqual(['SUBJECT_ALL_CAPS']);
      // 8 capitals of 10 letters.
      expect(rules(mail({ Subject: 'ABCDEFGHij' }))).toEqual(['SUBJECT_ALL_CAPS']);
      // 7 of 10: below 80 %.
      expect(rules(mail({ Subject: 'ABCDEFGhij' }))).toEqual([]);
      // Short acronyms are not shouting.
      expect(rules(mail({ Subject: 'FYI: NASA 2026' }))).toEqual([]);
      // Encoded words are decoded first (RFC 2047).
      expect(rules(mail({ Subject: '=?UTF-8?Q?GRO=C3=9FE_=C3=84NDERUNGEN_HEUTE?=' }))).toEqual(['SUBJECT_ALL_CAPS']);
    });

    it('MISSING_SUBJECT without one, or with an empty one', () => {
      expect(rules(mail({ Subject: null }))).toEqual(['MISSING_SUBJECT']);
      expect(rules(mail({ Subject: '  ' }))).toEqual(['MISSING_SUBJECT']);
    });
  });

  it('MISSING_TO without To or Cc, not for Cc alone or a group', () => {
    expect(rules(mail({ To: null }))).toEqual(['MISSING_TO']);
    expect(rules(mail({ To: null, Cc: 'sam@example.org' }))).toEqual([]);
    expect(rules(mail({ To: 'undisclosed-recipients:;' }))).toEqual([]);
  });

  it('MIME_MISSING_VERSION for Content-Type without MIME-Version', () => {
    expect(rules(mail({ 'MIME-Version': null }))).toEqual(['MIME_MISSING_VERSION']);
    expect(rules(mail({ 'MIME-Version': null, 'Content-Type': null }))).toEqual([]);
  });

  it('DUPLICATE_HEADER for a field RFC 5322 allows once, not for Received', () => {
    const [found] = headerAnomalies(mail({ To: ['sam@example.org', 'ann@example.org'] }), NOW);
    expect(found).toMatchObject({ rule: 'DUPLICATE_HEADER', detail: expect.stringContaining('to') });
    expect(rules(mail({ Received: ['from a by b; Mon, 7 Dec 2026 09:30:02 +0100', 'from c by a; Mon, 7 Dec 2026 09:30:01 +0100'] }))).toEqual([]);
  });

  describe('BARE_IP_LINK', () => {
    it('in plain text', () => {
      const [found] = headerAnomalies(mail({}, 'Claim it at http://198.51.100.23/claim?id=1 now\r\n'), NOW);
      expect(found).toMatchObject({ rule: 'BARE_IP_LINK', detail: expect.stringContaining('198.51.100.23') });
    });

    it('in HTML, quoted-printable encoded, inside multipart', () => {
      const body = [
        '--b1',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Open the HTML part.',
        '--b1',
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        '<a href=3D"https://203.0.113.45:8443/login">Log in</a>',
        '--b1--',
        '',
      ].join('\r\n');
      expect(rules(mail({ 'Content-Type': 'multipart/alternative; boundary="b1"' }, body))).toEqual(['BARE_IP_LINK']);
    });

    it('not for links to names, or addresses that are not links', () => {
      expect(rules(mail({}, 'See https://www.example.org/a/1.2.3.4 and http://1.2.3.4.example.org/; server 192.0.2.1 is down.\r\n'))).toEqual([]);
    });

    it('finds IPv4, bracketed IPv6 and addresses behind userinfo', () => {
      expect(bareIpLinks('http://1.2.3.4/ https://[2001:db8::17]/x http://www.bank.example@192.0.2.150/verify "http://10.0.0.1"')).toEqual([
        '1.2.3.4',
        '2001:db8::17',
        '192.0.2.150',
        '10.0.0.1',
      ]);
      expect(bareIpLinks('http://999.1.1.1/ http://1.2.3.4.5/ ftp://1.2.3.4/')).toEqual([]);
    });
  });

  it('adds up several anomalies of one message', () => {
    const raw = mail({ Date: null, 'Message-ID': null, Subject: 'URGENT BUSINESS PROPOSAL' });
    expect(rules(raw)).toEqual(['MISSING_DATE', 'MISSING_MESSAGE_ID', 'SUBJECT_ALL_CAPS']);
  });

  it('reads a message with bare LF line ends and one without a body', () => {
    expect(headerAnomalies(Buffer.from(mail().toString('utf8').replace(/\r\n/g, '\n')), NOW)).toEqual([]);
    expect(rules(Buffer.from('From: a@example.net\r\n'))).toEqual(['MISSING_DATE', 'MISSING_MESSAGE_ID', 'MISSING_SUBJECT', 'MISSING_TO']);
  });
});

describe('parseDateTime (RFC 5322 §3.3)', () => {
  it('reads the date-time with its zone', () => {
    expect(parseDateTime('Mon, 7 Dec 2026 09:30:00 +0100')).toEqual({ ok: true, time: Date.UTC(2026, 11, 7, 8, 30) });
    expect(parseDateTime('7 Dec 2026 09:30 -0330')).toEqual({ ok: true, time: Date.UTC(2026, 11, 7, 13, 0) });
    // Comments and folding white space (CFWS) may appear around the parts.
    expect(parseDateTime('Fri, 04 Dec 2026 07:58:33 +0000 (UTC)')).toEqual({ ok: true, time: Date.UTC(2026, 11, 4, 7, 58, 33) });
  });

  it('accepts the obsolete forms of §4.3: two-digit years, named zones, military zones', () => {
    expect(parseDateTime('Mon, 7 Dec 26 09:30:00 GMT')).toEqual({ ok: true, time: Date.UTC(2026, 11, 7, 9, 30) });
    expect(parseDateTime('Tue, 7 Dec 99 09:30:00 EST')).toEqual({ ok: true, time: Date.UTC(1999, 11, 7, 14, 30) });
    expect(parseDateTime('7 Dec 2026 09:30:00 Z')).toEqual({ ok: true, time: Date.UTC(2026, 11, 7, 9, 30) });
  });

  it('refuses impossible dates, times and zones', () => {
    for (const value of [
      'Mon, 29 Feb 2027 09:30:00 +0000',
      'Mon, 7 Dec 2026 24:00:00 +0000',
      'Mon, 7 Dec 2026 09:60:00 +0000',
      'Mon, 7 Dec 2026 09:30:00 +0175',
      'Mon, 7 Dec 2026 09:30:00 CEST',
      'Mon, 7 Dec 2026 09:30:00 J',
      'Mon, 7 Foo 2026 09:30:00 +0000',
      'Mon, 7 Dec 1850 09:30:00 +0000',
      'Xyz, 7 Dec 2026 09:30:00 +0000',
    ]) {
      expect(parseDateTime(value).ok, value).toBe(false);
    }
    expect(parseDateTime('Sat, 29 Feb 2028 09:30:00 +0000').ok).toBe(false); // 2028-02-29 is a Tuesday
    expect(parseDateTime('Tue, 29 Feb 2028 09:30:00 +0000').ok).toBe(true);
  });
});

describe('isValidMessageId (RFC 5322 §3.6.4)', () => {
  it('accepts <dot-atom-text@dot-atom-text> and a literal on the right', () => {
    for (const id of ['<a@b>', '<20261203.8842.news@mail.example.com>', ' <CAH7x2Lm0q1=x+y@mail.example.org> ', "<a!#$%&'*+/=?^_`{|}~-@x>", '<id@[192.0.2.1]>']) {
      expect(isValidMessageId(id), id).toBe(true);
    }
  });

  it('refuses what is not one msg-id', () => {
    for (const id of ['', '<>', '<@b>', '<a@>', 'a@b', '<a@b', '<.a@b>', '<a@b.>', '<a@b> <c@d>', '<"q"@b>']) {
      expect(isValidMessageId(id), id).toBe(false);
    }
  });
});
