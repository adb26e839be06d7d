import { describe, expect, it } from 'vitest';
import { parseMimeTree } from '../../../src/mail/mime/parse.js';
import { bodyStructure } from '../../../src/mail/mime/structure.js';
import type { MimeNode } from '../../../src/mail/mime/types.js';
import { message } from './helpers.js';

const structureOf = (raw: Buffer, extended = true, imap4rev2 = false) => bodyStructure(raw, parseMimeTree(raw), extended, { imap4rev2 });

describe('bodyStructure details', () => {
  it('upper-cases type, subtype, encoding and parameter names; keeps values', () => {
    expect(structureOf(message(['Content-Type: Text/HTML; Charset=UTF-8; Format=Flowed', 'Content-Transfer-Encoding: Quoted-Printable', '', 'x']))).toEqual([
      'TEXT',
      'HTML',
      ['CHARSET', 'UTF-8', 'FORMAT', 'Flowed'],
      null,
      null,
      'QUOTED-PRINTABLE',
      1,
      0,
      null,
      null,
      null,
      null,
    ]);
  });

  it('gives NIL parameters to a non-text part without any', () => {
    expect(structureOf(message(['Content-Type: application/octet-stream', '', 'xy']), false)).toEqual(['APPLICATION', 'OCTET-STREAM', null, null, null, '7BIT', 2]);
  });

  it('writes a disposition without parameters as (TYPE NIL)', () => {
    const bs = structureOf(message(['Content-Type: image/png', 'Content-Disposition: INLINE', '', 'x'])) as unknown[];
    expect(bs[8]).toEqual(['INLINE', null]);
  });

  it('gives a multipart its own extension data: params, disposition, language, location', () => {
    const raw = message([
      'Content-Type: multipart/mixed; boundary=b',
      'Content-Disposition: inline',
      'Content-Language: en-GB',
      'Content-Location: http://example.com/m',
      '',
      '--b',
      '',
      'x',
      '--b--',
    ]);
    expect(structureOf(raw)).toEqual([
      ['TEXT', 'PLAIN', ['CHARSET', 'us-ascii'], null, null, '7BIT', 1, 0, null, null, null, null],
      'MIXED',
      ['BOUNDARY', 'b'],
      ['INLINE', null],
      ['en-GB'],
      'http://example.com/m',
    ]);
  });

  it('writes message/global as a basic part under IMAP4rev1 and like message/rfc822 under IMAP4rev2', () => {
    const raw = message(['Content-Type: message/global', '', 'Subject: ü', '', 'x']);
    // "Subject: ü\r\n\r\nx": 10 + 1 (ü is two octets) + 2 + 2 + 1 = 16 octets, 2 lines
    expect(structureOf(raw, false)).toEqual(['MESSAGE', 'GLOBAL', null, null, null, '7BIT', 16]);
    expect(structureOf(raw, false, true)).toEqual([
      'MESSAGE',
      'GLOBAL',
      null,
      null,
      null,
      '7BIT',
      16,
      [null, 'ü', null, null, null, null, null, null, null, null],
      ['TEXT', 'PLAIN', ['CHARSET', 'us-ascii'], null, null, '7BIT', 1, 0],
      2,
    ]);
  });

  it('gives a base64 message/rfc822 part the message/rfc822 form all the same', () => {
    const bs = structureOf(message(['Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64', '', 'U3ViamVjdDogeA==']), false) as unknown[];
    expect(bs.slice(0, 7)).toEqual(['MESSAGE', 'RFC822', null, null, null, 'BASE64', 16]);
    expect(bs).toHaveLength(10);
  });

  it('writes a part below the nesting limit as APPLICATION/OCTET-STREAM', () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) lines.push('Content-Type: message/rfc822', '');
    lines.push('x');
    let bs = structureOf(message(lines), false) as unknown[];
    for (let depth = 0; depth < 50; depth++) bs = bs[8] as unknown[];
    expect(bs).toEqual(['APPLICATION', 'OCTET-STREAM', null, null, null, '7BIT', 'Content-Type: message/rfc822\r\n\r\n'.length * 9 + 1]);
  });
});

describe('bodyStructure of trees built elsewhere', () => {
  const node = (type: string, subtype: string, children: MimeNode[] = []): MimeNode => ({
    start: 0,
    bodyStart: 0,
    end: 0,
    contentType: { type, subtype, params: {} },
    encoding: '7bit',
    children,
  });

  it('gives a multipart without parts one empty text/plain, as Dovecot', () => {
    const raw = Buffer.alloc(0);
    expect(bodyStructure(raw, node('multipart', 'mixed'), false)).toEqual([['TEXT', 'PLAIN', ['CHARSET', 'us-ascii'], null, null, '7BIT', 0, 0], 'MIXED']);
    expect(bodyStructure(raw, node('multipart', 'mixed'), true)).toEqual([
      ['TEXT', 'PLAIN', ['CHARSET', 'us-ascii'], null, null, '7BIT', 0, 0, null, null, null, null],
      'MIXED',
      null,
      null,
      null,
      null,
    ]);
  });

  it('gives a message/rfc822 without its message a NIL envelope and an empty body', () => {
    expect(bodyStructure(Buffer.alloc(0), node('message', 'rfc822'), false)).toEqual([
      'MESSAGE',
      'RFC822',
      null,
      null,
      null,
      '7BIT',
      0,
      [null, null, null, null, null, null, null, null, null, null],
      ['TEXT', 'PLAIN', ['CHARSET', 'us-ascii'], null, null, '7BIT', 0, 0],
      0,
    ]);
  });
});
