import { describe, expect, it } from 'vitest';
import { addressList, envelope } from '../../../src/mail/mime/envelope.js';
import { parseMimeTree } from '../../../src/mail/mime/parse.js';
import { message } from './helpers.js';

const envelopeOf = (lines: string[]) => {
  const raw = message([...lines, '', 'body']);
  return envelope(raw, parseMimeTree(raw));
};

describe('envelope (RFC 3501 §7.4.2)', () => {
  it('is ten NILs for a message without any of its fields', () => {
    expect(envelopeOf(['X-Other: 1'])).toEqual([null, null, null, null, null, null, null, null, null, null]);
  });

  it('keeps an empty Subject as "" and unfolds folded values', () => {
    const env = envelopeOf(['Subject:', 'Date: Mon, 1 Jan 2024', ' 10:00:00 +0000', 'Message-ID:', '\t<folded@id>']) as unknown[];
    expect(env[0]).toBe('Mon, 1 Jan 2024 10:00:00 +0000');
    expect(env[1]).toBe('');
    expect(env[9]).toBe('<folded@id>');
  });

  it('uses the first of repeated fields', () => {
    const env = envelopeOf(['Subject: one', 'Subject: two', 'To: a@b.c', 'To: d@e.f']) as unknown[];
    expect(env[1]).toBe('one');
    expect(env[5]).toEqual([[null, null, 'a', 'b.c']]);
  });

  it('sets Sender and Reply-To to From only when they hold no address', () => {
    const env = envelopeOf(['From: a@b.c', 'Sender: s@b.c', 'Reply-To: undisclosed:;']) as unknown[];
    expect(env[3]).toEqual([[null, null, 's', 'b.c']]);
    // An empty group is an address list (the group markers), not an empty field.
    expect(env[4]).toEqual([
      [null, null, 'undisclosed', null],
      [null, null, null, null],
    ]);
  });

  it('reads 8-bit bytes as UTF-8 and does not choke on invalid UTF-8 (RFC 6532)', () => {
    const raw = Buffer.concat([Buffer.from('Subject: caf\xe9 ', 'latin1'), Buffer.from('und ü\r\n\r\nx', 'utf8')]);
    expect((envelope(raw, parseMimeTree(raw)) as unknown[])[1]).toBe('caf\ufffd und ü');
  });
});

describe('addressList', () => {
  it('is null for an absent or addressless field', () => {
    expect(addressList(null)).toBeNull();
    expect(addressList('')).toBeNull();
    expect(addressList(' , <>')).toBeNull();
  });

  it('writes mailboxes as (name adl mailbox host)', () => {
    expect(addressList('"Doe, Jane" <jane@example.com>, bob@example.org')).toEqual([
      ['Doe, Jane', null, 'jane', 'example.com'],
      [null, null, 'bob', 'example.org'],
    ]);
  });

  it('takes a comment as the name when there is no display name, as Dovecot', () => {
    expect(addressList('user@example.com (Real Name)')).toEqual([['Real Name', null, 'user', 'example.com']]);
  });

  it('unquotes a quoted local part and keeps domain literals', () => {
    expect(addressList('"john doe"@example.com, x@[192.0.2.1]')).toEqual([
      [null, null, 'john doe', 'example.com'],
      [null, null, 'x', '[192.0.2.1]'],
    ]);
  });

  it('fills a missing domain or mailbox the way Dovecot does, never with NIL', () => {
    // A NIL host would read as a group marker.
    expect(addressList('localonly')).toEqual([[null, null, 'localonly', 'MISSING_DOMAIN']]);
    expect(addressList('Just A Name')).toEqual([['Just A Name', null, 'MISSING_MAILBOX', 'MISSING_DOMAIN']]);
    expect(addressList('@example.com')).toEqual([[null, null, 'MISSING_MAILBOX', 'example.com']]);
  });

  it('writes groups between start and end markers, empty groups included', () => {
    expect(addressList('A Group: Ed Jones <c@a.test>, joe@where.test;, undisclosed-recipients:;')).toEqual([
      [null, null, 'A Group', null],
      ['Ed Jones', null, 'c', 'a.test'],
      [null, null, 'joe', 'where.test'],
      [null, null, null, null],
      [null, null, 'undisclosed-recipients', null],
      [null, null, null, null],
    ]);
  });

  it('decodes RFC 2047 names, including in group names', () => {
    expect(addressList('=?UTF-8?B?w5xiZXI=?=: =?UTF-8?Q?M=C3=BCller?= <m@x.de>;')).toEqual([
      [null, null, 'Über', null],
      ['Müller', null, 'm', 'x.de'],
      [null, null, null, null],
    ]);
  });

  it('leaves a malformed encoded word as written', () => {
    expect(addressList('=?bogus <a@b.c>')).toEqual([['=?bogus', null, 'a', 'b.c']]);
  });
});
