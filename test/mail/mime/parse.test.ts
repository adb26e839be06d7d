import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, parseMimeTree } from '../../../src/mail/mime/parse.js';
import { bodyStructure } from '../../../src/mail/mime/structure.js';
import type { MimeNode } from '../../../src/mail/mime/types.js';
import { checkTree, message } from './helpers.js';

const parse = (raw: Buffer): MimeNode => {
  const root = parseMimeTree(raw);
  checkTree(raw, root);
  return root;
};
/** The bytes of a node's body as text. */
const bodyOf = (raw: Buffer, node: MimeNode | undefined) => raw.toString('utf8', node!.bodyStart, node!.end);
const typeOf = (node: MimeNode | undefined) => `${node!.contentType.type}/${node!.contentType.subtype}`;

describe('parseMimeTree offsets', () => {
  it('CRLF: header to the empty line; the CRLF before a delimiter is the delimiter’s', () => {
    const raw = message(['Content-Type: multipart/mixed; boundary=b', '', '--b', 'A: 1', '', 'x', '--b--', '']);
    const root = parse(raw);
    expect({ ...root, children: undefined }).toEqual({
      start: 0,
      bodyStart: 45, // 43 octets of field + the empty line
      end: 68,
      contentType: { type: 'multipart', subtype: 'mixed', params: { boundary: 'b' } },
      encoding: '7bit',
      children: undefined,
    });
    expect(root.children).toEqual([
      { start: 50, bodyStart: 58, end: 59, contentType: { type: 'text', subtype: 'plain', params: { charset: 'us-ascii' } }, encoding: '7bit', children: [] },
    ]);
  });

  it('bare LF: the same structure, one octet less per line', () => {
    const raw = message(['Content-Type: multipart/mixed; boundary=b', '', '--b', 'A: 1', '', 'x', '--b--', ''], '\n');
    const root = parse(raw);
    expect([root.start, root.bodyStart, root.end]).toEqual([0, 43, 61]);
    expect(root.children.map((c) => [c.start, c.bodyStart, c.end])).toEqual([[47, 53, 54]]);
  });

  it('mixed line ends: a bare-LF empty line ends a CRLF header', () => {
    const raw = Buffer.from('Subject: x\r\nTo: y@z\r\n\nbody\r\n', 'latin1');
    expect(parse(raw)).toMatchObject({ bodyStart: 22, end: 28 });
  });

  it('a message that is all header has an empty body at its end', () => {
    const raw = Buffer.from('Subject: no empty line\r\nX: y', 'latin1');
    expect(parse(raw)).toMatchObject({ start: 0, bodyStart: raw.length, end: raw.length });
  });

  it('a message starting with the empty line has no fields', () => {
    expect(parse(Buffer.from('\r\nbody', 'latin1'))).toMatchObject({ bodyStart: 2, end: 6 });
    expect(parse(Buffer.from('\nbody', 'latin1'))).toMatchObject({ bodyStart: 1, end: 5 });
  });

  it('ignores preamble and epilogue, and a delimiter right at the body start', () => {
    const raw = message(['Content-Type: multipart/mixed; boundary=b', '', '--b', '', 'one', '--b', '', 'two', '--b--', 'epilogue', '--b', 'not a part', '']);
    const root = parse(raw);
    expect(root.children.map((c) => bodyOf(raw, c))).toEqual(['one', 'two']);
    expect(root.end).toBe(raw.length);
  });

  it('gives an empty part for two delimiters in a row', () => {
    const raw = message(['Content-Type: multipart/mixed; boundary=b', '', '--b', '--b', '', 'x', '--b--']);
    const root = parse(raw);
    expect(root.children).toHaveLength(2);
    const empty = root.children[0]!;
    expect([empty.start, empty.bodyStart, empty.end]).toEqual([empty.start, empty.start, empty.start]);
    expect(bodyOf(raw, root.children[1])).toBe('x');
  });
});

describe('parseMimeTree delimiter lines (RFC 2046 §5.1.1)', () => {
  const mixed = (boundary: string, lines: string[]) => message([`Content-Type: multipart/mixed; boundary="${boundary}"`, '', ...lines]);

  it('allows transport padding after the boundary and after the closing "--"', () => {
    const raw = mixed('b', ['--b \t', '', 'one', '--b--  ', 'epilogue']);
    expect(parse(raw).children.map((c) => bodyOf(raw, c))).toEqual(['one']);
  });

  it('does not take a line that merely starts with the boundary', () => {
    const raw = mixed('b', ['--b', '', 'one', '--bx', '--b extra', '--b--']);
    expect(parse(raw).children.map((c) => bodyOf(raw, c))).toEqual(['one\r\n--bx\r\n--b extra']);
  });

  it('matches boundaries with spaces and regular-expression characters', () => {
    const raw = mixed('a.b (c)*+?', ['--a.b (c)*+?', '', 'one', '--a.b (c)*+?--']);
    expect(parse(raw).children.map((c) => bodyOf(raw, c))).toEqual(['one']);
  });

  it('unfolds a boundary parameter folded inside its quotes', () => {
    const raw = message(['Content-Type: multipart/mixed; boundary="foo', ' bar"', '', '--foo bar', '', 'x', '--foo bar--']);
    expect(parse(raw).children.map((c) => bodyOf(raw, c))).toEqual(['x']);
  });

  it('ends a nested multipart whose closing delimiter is missing at its parent’s next delimiter', () => {
    const raw = message([
      'Content-Type: multipart/mixed; boundary=outer',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      '',
      'a',
      '--outer',
      '',
      'b',
      '--outer--',
    ]);
    const root = parse(raw);
    expect(root.children.map(typeOf)).toEqual(['multipart/alternative', 'text/plain']);
    expect(root.children[0]!.children.map((c) => bodyOf(raw, c))).toEqual(['a']);
    expect(bodyOf(raw, root.children[1])).toBe('b');
  });

  it('gives the innermost multipart a boundary reused in nested parts', () => {
    const raw = message([
      'Content-Type: multipart/mixed; boundary=same',
      '',
      '--same',
      'Content-Type: multipart/alternative; boundary=same',
      '',
      '--same',
      '',
      'a',
      '--same',
      '',
      'b',
      '--same--',
      '--same--',
    ]);
    const root = parse(raw);
    expect(root.children).toHaveLength(1);
    expect(root.children[0]!.children.map((c) => bodyOf(raw, c))).toEqual(['a', 'b']);
  });

  it('prefers the longest boundary that matches a line', () => {
    // "--ab--" closes "ab", not the inner part of boundary "ab--" … unless "ab--" is a boundary.
    const raw = message([
      'Content-Type: multipart/mixed; boundary=ab',
      '',
      '--ab',
      'Content-Type: multipart/mixed; boundary=ab--',
      '',
      '--ab--',
      '',
      'inner',
      '--ab----',
      '--ab--',
    ]);
    const root = parse(raw);
    expect(root.children).toHaveLength(1);
    expect(root.children[0]!.children.map((c) => bodyOf(raw, c))).toEqual(['inner']);
  });

  it('lets a part keep an empty line that is also the line break before an enclosing delimiter', () => {
    const raw = message(['Content-Type: multipart/mixed; boundary=a', '', '--a', 'Content-Type: multipart/mixed; boundary=b', '', '--b', '', '--a--', '']);
    const inner = parse(raw).children[0]!;
    const part = inner.children[0]!;
    expect(raw.toString('utf8', part.start, part.bodyStart)).toBe('\r\n');
    expect(part.end).toBe(part.bodyStart);
    expect(inner.end).toBe(part.end); // not before it: the CRLF went to the part's header
  });

  it('ends a part’s header at a delimiter that comes before its empty line', () => {
    const raw = mixed('b', ['--b', 'Content-Type: text/html', '--b', '', 'x', '--b--']);
    const root = parse(raw);
    const cut = root.children[0]!;
    expect(raw.toString('utf8', cut.start, cut.bodyStart)).toBe('Content-Type: text/html');
    expect(cut.end).toBe(cut.bodyStart);
    expect(typeOf(cut)).toBe('text/html');
  });

  it('gives a message/rfc822 part cut short an empty encapsulated message', () => {
    const raw = mixed('b', ['--b', 'Content-Type: message/rfc822', '--b--']);
    const part = parse(raw).children[0]!;
    expect(part.children).toHaveLength(1);
    expect(part.children[0]).toMatchObject({ start: part.bodyStart, bodyStart: part.bodyStart, end: part.bodyStart });
  });
});

describe('parseMimeTree malformed multiparts', () => {
  it('reads a multipart without a boundary as one text/plain leaf, keeping what was declared', () => {
    const root = parse(message(['Content-Type: multipart/mixed', '', '--x', 'hello']));
    expect(root.children).toEqual([]);
    expect(root.contentType).toEqual({ type: 'text', subtype: 'plain', params: { charset: 'us-ascii' } });
    expect(root.declaredType).toEqual({ type: 'multipart', subtype: 'mixed', params: {} });
  });

  it('does the same with an empty boundary parameter', () => {
    expect(typeOf(parse(message(['Content-Type: multipart/mixed; boundary=""', '', '--', '', 'x'])))).toBe('text/plain');
  });

  it('does the same when the boundary never occurs, or only closes', () => {
    const never = parse(message(['Content-Type: multipart/mixed; boundary=b', '', 'text', '']));
    expect(typeOf(never)).toBe('text/plain');
    expect(never.declaredType?.params).toEqual({ boundary: 'b' });
    const onlyClose = message(['Content-Type: multipart/mixed; boundary=b', '', 'text', '--b--', 'after']);
    const root = parse(onlyClose);
    expect(typeOf(root)).toBe('text/plain');
    expect(bodyOf(onlyClose, root)).toBe('text\r\n--b--\r\nafter');
  });

  it('a nested multipart without parts ends at the parent’s delimiter', () => {
    const raw = message(['Content-Type: multipart/mixed; boundary=o', '', '--o', 'Content-Type: multipart/mixed; boundary=i', '', 'no parts', '--o--']);
    const part = parse(raw).children[0]!;
    expect(typeOf(part)).toBe('text/plain');
    expect(bodyOf(raw, part)).toBe('no parts');
  });

  it('reads an encoded message/rfc822 body as it stands (RFC 2046 §5.2.1 forbids it; Dovecot does so)', () => {
    const raw = message(['Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64', '', 'U3ViamVjdDogeA0KDQp4', '']);
    const root = parse(raw);
    expect(root.encoding).toBe('base64');
    expect(root.children[0]).toMatchObject({ start: root.bodyStart, bodyStart: raw.length, end: raw.length });
  });
});

describe('parseMimeTree nesting limit', () => {
  it(`turns multiparts below ${MAX_DEPTH} levels into application/octet-stream leaves`, () => {
    const levels = MAX_DEPTH + 10;
    const lines: string[] = [];
    for (let i = 0; i < levels; i++) lines.push(`Content-Type: multipart/mixed; boundary=b${i}`, '', `--b${i}`);
    lines.push('', 'deep');
    for (let i = levels - 1; i >= 0; i--) lines.push(`--b${i}--`);
    const raw = message(lines);
    let node = parse(raw);
    let depth = 0;
    while (node.children.length > 0) {
      node = node.children[0]!;
      depth++;
    }
    expect(depth).toBe(MAX_DEPTH);
    expect(typeOf(node)).toBe('application/octet-stream');
    expect(node.declaredType).toEqual({ type: 'multipart', subtype: 'mixed', params: { boundary: `b${MAX_DEPTH}` } });
    // The leaf still ends at its parent's delimiter.
    expect(raw.toString('utf8', node.end, node.end + 2 + `--b${MAX_DEPTH - 1}--`.length)).toBe(`\r\n--b${MAX_DEPTH - 1}--`);
    expect(() => bodyStructure(raw, parseMimeTree(raw), true)).not.toThrow();
  });

  it('survives thousands of nested message/rfc822 parts', () => {
    const raw = Buffer.from('Content-Type: message/rfc822\r\n\r\n'.repeat(5000) + 'end\r\n', 'latin1');
    const root = parse(raw);
    let depth = 0;
    for (let node = root; node.children[0]; node = node.children[0]) depth++;
    expect(depth).toBe(MAX_DEPTH);
  });
});

describe('parseMimeTree header fields', () => {
  it('reads Content-Type case-insensitively, with comments, CFWS around "/" and quoted values', () => {
    const root = parse(message(['content-type: Text / HTML (a comment); Charset="UTF-8"; name="a \\"b\\".html"', '', 'x']));
    expect(root.contentType).toEqual({ type: 'text', subtype: 'html', params: { charset: 'UTF-8', name: 'a "b".html' } });
  });

  it('keeps parameters named like Object.prototype members as parameters', () => {
    const root = parse(message(['Content-Type: text/plain; __proto__=x; constructor=y', '', 'z']));
    expect(Object.entries(root.contentType.params)).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
    expect(Object.getPrototypeOf(root.contentType.params)).toBe(Object.prototype);
  });

  it('takes the first Content-Type and Content-Transfer-Encoding', () => {
    const root = parse(message(['Content-Type: text/html', 'Content-Type: image/png', 'Content-Transfer-Encoding: Base64', 'Content-Transfer-Encoding: 8bit', '', 'x']));
    expect(typeOf(root)).toBe('text/html');
    expect(root.encoding).toBe('base64');
  });

  it('reads a folded Content-Type with RFC 2231 continuations and charset', () => {
    const root = parse(message(['Content-Type: application/octet-stream;', " name*0*=iso-8859-1''%E9t;", ' name*1*=%E9;', ' name*2=".bin"', '', 'x']));
    expect(root.contentType.params).toEqual({ name: 'été.bin' });
  });

  it('treats an invalid Content-Type as text/plain; us-ascii (RFC 2045 §5.2), even in a digest', () => {
    expect(parse(message(['Content-Type: garbage', '', 'x'])).contentType).toEqual({ type: 'text', subtype: 'plain', params: { charset: 'us-ascii' } });
    const digest = parse(message(['Content-Type: multipart/digest; boundary=d', '', '--d', 'Content-Type: nonsense', '', 'x', '--d', '', 'Subject: y', '', 'z', '--d--']));
    expect(digest.children.map(typeOf)).toEqual(['text/plain', 'message/rfc822']);
  });

  it('defaults the encoding to 7bit, also for a value that is not a token (as Dovecot)', () => {
    expect(parse(message(['Subject: x', '', 'y'])).encoding).toBe('7bit');
    expect(parse(message(['Content-Transfer-Encoding: ?invalid', '', 'y'])).encoding).toBe('7bit');
    expect(parse(message(['Content-Transfer-Encoding: QUOTED-PRINTABLE (comment)', '', 'y'])).encoding).toBe('quoted-printable');
  });

  it('parses message/global like message/rfc822 (RFC 6532 §3.7)', () => {
    const root = parse(message(['Content-Type: message/global', '', 'Subject: ü', '', 'x']));
    expect(root.children).toHaveLength(1);
  });
});

// Speed is measured by `npm run bench`, not here: these prove the shapes parse at all.
describe('parseMimeTree on large shapes', () => {
  it('parses many parts', () => {
    const lines = ['Content-Type: multipart/mixed; boundary=b', ''];
    for (let i = 0; i < 20000; i++) lines.push('--b', 'Content-Type: text/plain', '', `part ${i}`, '--not-a-delimiter');
    lines.push('--b--');
    const raw = message(lines);
    const root = parseMimeTree(raw);
    expect(root.children).toHaveLength(20000);
  });

  it('parses a deep nest of multiparts full of dash lines', () => {
    const lines: string[] = [];
    for (let i = 0; i < MAX_DEPTH; i++) lines.push(`Content-Type: multipart/mixed; boundary=b${i}`, '', `--b${i}`);
    lines.push('');
    for (let i = 0; i < 100000; i++) lines.push('--b1x');
    const raw = message(lines);
    const root = parseMimeTree(raw);
    expect(root.end).toBe(raw.length);
  });
});
