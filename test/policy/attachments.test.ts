import { describe, expect, it } from 'vitest';
import { attachmentsOf } from '../../src/policy/attachments.js';

const message = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'latin1');

/** base64 of `bytes` bytes, wrapped at 76 characters as MIME writes it. */
function base64Lines(bytes: number): string[] {
  const text = Buffer.alloc(bytes, 0xab).toString('base64');
  return text.match(/.{1,76}/g) ?? [];
}

describe('attachmentsOf', () => {
  it('finds none in a plain text message', () => {
    expect(attachmentsOf(message(['From: a@example.com', 'Subject: hi', '', 'Hello', '']))).toEqual([]);
  });

  it('finds none in text/plain + text/html alternatives', () => {
    const raw = message([
      'Content-Type: multipart/alternative; boundary="alt"',
      '',
      '--alt',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello',
      '--alt',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Hello</p>',
      '--alt--',
      '',
    ]);
    expect(attachmentsOf(raw)).toEqual([]);
  });

  it('reads a base64 PDF, a named text file and an inline image, sizing base64 without decoding', () => {
    const raw = message([
      'From: a@example.com',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="mix"',
      '',
      'preamble',
      '--mix',
      'Content-Type: multipart/related; boundary="rel"',
      '',
      '--rel',
      'Content-Type: text/html',
      '',
      '<img src="cid:logo">',
      '--rel',
      'Content-Type: image/PNG',
      'Content-Transfer-Encoding: base64',
      'Content-ID: <logo>',
      '',
      ...base64Lines(100), // 100 = 33 × 3 + 1: "==" padding
      '--rel--',
      '--mix',
      'Content-Type: application/pdf; name="ignored.pdf"',
      'Content-Disposition: attachment; filename="=?utf-8?q?R=C3=A9sum=C3=A9?=.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      ...base64Lines(1000), // 1000 = 333 × 3 + 1: "==" padding, over several lines
      '--mix',
      'Content-Type: text/plain; name=notes.txt',
      '',
      'twelve bytes',
      '--mix--',
      'epilogue',
    ]);
    expect(attachmentsOf(raw)).toEqual([
      { filename: null, contentType: 'image/png', size: 100 },
      { filename: 'Résumé.pdf', contentType: 'application/pdf', size: 1000 },
      { filename: 'notes.txt', contentType: 'text/plain', size: 12 },
    ]);
  });

  it.each([
    [1, 1],
    [2, 2],
    [3, 3],
    [3 * 1024 + 2, 3 * 1024 + 2],
  ])('sizes a base64 body of %i bytes as %i', (bytes, size) => {
    const raw = message([
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      '',
      ...base64Lines(bytes),
      '--b--',
      '',
    ]);
    expect(attachmentsOf(raw)).toEqual([{ filename: null, contentType: 'application/octet-stream', size }]);
  });

  it('counts a text part with Content-Disposition: attachment', () => {
    const raw = message([
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'body',
      '--b',
      'Content-Type: text/csv',
      'Content-Disposition: attachment',
      '',
      'a,b',
      '--b--',
      '',
    ]);
    expect(attachmentsOf(raw)).toEqual([{ filename: null, contentType: 'text/csv', size: 3 }]);
  });

  it('counts a forwarded message once, not its own attachments', () => {
    const raw = message([
      'Content-Type: multipart/mixed; boundary=outer',
      '',
      '--outer',
      'Content-Type: text/plain',
      '',
      'see below',
      '--outer',
      'Content-Type: message/rfc822',
      '',
      'Subject: inner',
      'Content-Type: multipart/mixed; boundary=inner',
      '',
      '--inner',
      'Content-Type: application/zip; name=a.zip',
      '',
      'zip',
      '--inner--',
      '--outer--',
      '',
    ]);
    const found = attachmentsOf(raw);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ filename: null, contentType: 'message/rfc822' });
    expect(found[0]!.size).toBeGreaterThan(50);
  });

  it('counts a message whose whole body is a file', () => {
    const raw = message(['Content-Type: application/pdf; name=doc.pdf', 'Content-Transfer-Encoding: base64', '', ...base64Lines(30), '']);
    expect(attachmentsOf(raw)).toEqual([{ filename: 'doc.pdf', contentType: 'application/pdf', size: 30 }]);
  });
});
