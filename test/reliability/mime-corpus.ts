// Malformed MIME for the SMTP path: every shape a tolerant parser (mailparser, mailsplit, our
// own src/mail/mime) meets in the wild, written out by hand, and a generator of broken trees.
// Every message here ends in CRLF and has only CRLF line ends — except the cases named
// `bare-*`, which the product refuses (RFC 5321 §2.3.8) — so what is stored can be compared
// with what was sent byte for byte.
import fc from 'fast-check';

export interface MimeCase {
  name: string;
  raw: Buffer;
}

const crlf = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;
const text = (name: string, lines: string[]): MimeCase => ({ name, raw: Buffer.from(crlf(lines), 'utf8') });
const bytes = (name: string, ...parts: (string | Buffer)[]): MimeCase => ({
  name,
  raw: Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p))),
});

const HEAD = ['From: Alice <alice@remote.example>', 'To: bob@agents.example.com', 'Date: Mon, 23 Nov 2026 10:00:00 +0100'];
const head = (subject: string, ...more: string[]) => [...HEAD, `Subject: ${subject}`, `Message-ID: <${subject.replace(/\W+/g, '-')}@remote.example>`, ...more];

function nested(depth: number, close: boolean): string[] {
  const lines: string[] = [];
  for (let i = 0; i < depth; i++) lines.push(`--b${i}`, `Content-Type: multipart/mixed; boundary="b${i + 1}"`, '');
  lines.push(`--b${depth}`, 'Content-Type: text/plain', '', 'deep', ...(close ? [`--b${depth}--`] : []));
  if (close) for (let i = depth - 1; i >= 0; i--) lines.push(`--b${i}--`);
  return lines;
}

function rfc822Chain(depth: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < depth; i++) lines.push('Content-Type: message/rfc822', '', `Subject: level ${i}`);
  lines.push('Content-Type: text/plain', '', 'bottom');
  return lines;
}

export const MIME_CASES: MimeCase[] = [
  text('well-formed control', [...head('control'), 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'A plain message.']),
  text('missing closing boundary', [...head('no close'), 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="x"', '', '--x', 'Content-Type: text/plain', '', 'part one', '--x', 'Content-Type: text/html', '', '<p>two']),
  text('boundary never appears', [...head('no boundary'), 'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="never"', '', 'just text', 'more text']),
  text('multipart without a boundary parameter', [...head('no param'), 'MIME-Version: 1.0', 'Content-Type: multipart/mixed', '', '--', 'Content-Type: text/plain', '', 'x', '----']),
  text('empty boundary', [...head('empty boundary'), 'Content-Type: multipart/mixed; boundary=""', '', '--', '', 'x', '----']),
  text('boundary of 300 characters with spaces', [...head('long boundary'), `Content-Type: multipart/mixed; boundary="${'a b'.repeat(100)}"`, '', `--${'a b'.repeat(100)}`, '', 'x', `--${'a b'.repeat(100)}--`]),
  text('nested multiparts without ends (3 levels)', [...head('nested open'), 'Content-Type: multipart/mixed; boundary="b0"', '', ...nested(3, false)]),
  text('multipart nested 120 deep, closed', [...head('deep closed'), 'Content-Type: multipart/mixed; boundary="b0"', '', ...nested(120, true)]),
  text('multipart nested 400 deep, never closed', [...head('deep open'), 'Content-Type: multipart/mixed; boundary="b0"', '', ...nested(400, false)]),
  text('message/rfc822 nested 200 deep', [...head('rfc822 chain'), ...rfc822Chain(200)]),
  text('message/rfc822 part holding garbage', [...head('rfc822 garbage'), 'Content-Type: multipart/mixed; boundary="m"', '', '--m', 'Content-Type: message/rfc822', '', '\x01\x02 not a message', '--m--']),
  text('2000 empty parts', [...head('many parts'), 'Content-Type: multipart/mixed; boundary="p"', '', ...Array.from({ length: 2000 }, () => '--p\r\n'), '--p--']),
  text('boundary lines with trailing garbage and no CRLF before', [...head('boundary garbage'), 'Content-Type: multipart/mixed; boundary=z', '', '--z  \t', 'x', '--zz', 'y', '--z--garbage', 'tail']),
  text('base64 with invalid characters and no padding', [...head('bad base64'), 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', '', '!!!***%%%', 'QUJD', 'QUJ', 'Q===', '====', 'é€']),
  text('base64 truncated mid-quantum in a multipart', [...head('truncated base64'), 'Content-Type: multipart/mixed; boundary=q', '', '--q', 'Content-Type: image/png; name=a.png', 'Content-Transfer-Encoding: base64', '', 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2', '--q--']),
  text('quoted-printable broken escapes', [...head('bad qp'), 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', '', '=ZZ =4 =\t', '=C3=', 'line=', '=', `${'=41'.repeat(3000)}`]),
  text('unknown transfer encoding', [...head('x-encoding'), 'Content-Type: text/plain', 'Content-Transfer-Encoding: x-uuencode-ish', '', 'begin 644 a.txt', '#86)C', 'end']),
  text('two transfer encodings', [...head('two cte'), 'Content-Type: text/plain', 'Content-Transfer-Encoding: base64', 'Content-Transfer-Encoding: quoted-printable', '', 'aGVsbG8=']),
  text('8-bit UTF-8 in headers', [...HEAD, 'Subject: Grüße aus Köln — 日本語 🚀', 'X-Name: Zoë', 'Message-ID: <eight-bit@remote.example>', '', 'Body with ümlauts.']),
  bytes('latin-1 bytes in headers and body', crlf([...HEAD, 'Message-ID: <latin1@remote.example>']), 'Subject: caf\xe9 cr\xe8me\r\nX-Broken: \xff\xfe\xfd\r\n\r\nna\xefve \x80\x81\x82\r\n'),
  bytes('NUL bytes in header and body', crlf([...HEAD, 'Message-ID: <nul@remote.example>']), 'Subject: nul\x00here\r\n\r\nbody\x00with\x00nuls\r\n\x00\r\n'),
  text('broken encoded-words', [...HEAD, 'Subject: =?UTF-8?B?###?= =?unknown-charset?Q?x?= =?UTF-8?Q?=ZZ?= =?=?= =?UTF-8?B??=', 'From: =?UTF-8?B?QWxpY2U?= <alice@remote.example>', 'Message-ID: <ew@remote.example>', '', 'x']),
  text('a line of 10,000 characters', [...head('long line'), '', 'x'.repeat(10_000)]),
  text('a line of 1 MB', [...head('huge line'), '', 'y'.repeat(1024 * 1024)]),
  text('a header of 200 KB folded 4,000 times', [...head('folded'), `X-Long: ${Array.from({ length: 4000 }, (_, i) => `word${i}`).join('\r\n ')}`, '', 'x']),
  text('10,000 header fields', [...head('many fields'), ...Array.from({ length: 10_000 }, (_, i) => `X-F${i}: v`), '', 'x']),
  text('duplicate From, To, Subject, Content-Type and MIME-Version', [...head('dupes'), 'From: Mallory <m@evil.example>', 'Subject: second subject', 'MIME-Version: 1.0', 'MIME-Version: 2.0', 'Content-Type: text/plain', 'Content-Type: text/html', '', '<b>which?</b>']),
  text('header line without a colon', [...head('no colon'), 'This is not a header', 'X-After: yes', '', 'x']),
  text('message starting with a continuation line', [' folded-first: x', ...head('continuation first'), '', 'x']),
  text('header only, no blank line', [...head('header only')]),
  text('body only, starting with a blank line', ['', 'no headers at all']),
  text('a single empty line', ['']),
  text('lines that need dot-stuffing', [...head('dots'), '', '.', '..', '.leading dot', '...', '. ']),
  text('malformed Content-Type parameters', [...head('bad params'), 'Content-Type: text/plain; charset; ; =; name="unclosed; format=flowed;;;', '', 'x']),
  text('broken RFC 2231 continuations', [...head('rfc2231'), 'Content-Type: application/pdf; name*0*=utf-8\'\'%ZZ; name*2=b; name*1*=%E2%82', "Content-Disposition: attachment; filename*=utf-8''..%2F..%2Fetc%2Fpasswd%00", '', 'x']),
  text('unknown and lying charsets', [...head('charsets'), 'Content-Type: multipart/mixed; boundary=c', '', '--c', 'Content-Type: text/plain; charset=x-unknown-7', '', 'x', '--c', 'Content-Type: text/plain; charset=utf-16', '', 'odd', '--c', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', '\udcff', '--c--']),
  bytes('invalid UTF-8 in an 8bit body', crlf([...head('invalid utf8'), 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '']), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0x0d, 0x0a])),
  text('garbage dates and addresses', [...HEAD.slice(1), 'From: "unterminated <a@b', 'Date: Feb 31 99999 99:99:99 +9999', `Cc: ${'x@y, '.repeat(3000)}z@y`, `Reply-To: ${'('.repeat(500)}a@b${')'.repeat(500)}`, `Bcc: ${'<'.repeat(2000)}`, 'Message-ID: <addr@remote.example>', 'Subject: addresses', '', 'x']),
  text('whitespace storms in headers', [...head('whitespace'), `X-Spaces: ${' \t'.repeat(20_000)}end`, `Content-Type: text/plain;${' ;'.repeat(5000)} charset=utf-8`, '', 'x']),
  text('encoded-word storm', [...HEAD, `Subject: ${'=?UTF-8?Q?a?= '.repeat(5000)}`, 'Message-ID: <ew-storm@remote.example>', '', 'x']),
  text('multipart/alternative of empty multiparts', [...head('empty alternatives'), 'Content-Type: multipart/alternative; boundary=a', '', '--a', 'Content-Type: multipart/related; boundary=r', '', '--a', 'Content-Type: multipart/mixed', '', '--a--']),
  text('Content-Disposition garbage and traversal names', [...head('dispositions'), 'Content-Type: multipart/mixed; boundary=d', '', '--d', 'Content-Disposition: attachment; filename="../../etc/passwd"', '', 'x', '--d', 'Content-Disposition: ;;;inline;;', 'Content-Type: ;', '', 'y', '--d--']),
  text('MIME-Version garbage and a text part declared as multipart digest', [...head('digest'), 'MIME-Version: 1.0 (produced by (nested (comments)))', 'Content-Type: multipart/digest; boundary=g', '', '--g', '', 'Subject: inner', '', 'digest part', '--g--']),
  // Refused by design: a bare LF or CR is how SMTP smuggling starts (RFC 5321 §2.3.8).
  bytes('bare-LF line ends', 'From: alice@remote.example\nTo: bob@agents.example.com\nSubject: bare lf\n\nbody\n'),
  bytes('bare-CR in the body', crlf([...head('bare cr'), '']), 'one\rtwo\r\n'),
];

// ---------------------------------------------------------------------------------------------
// Generated: random MIME trees, then broken.

interface Node {
  type: string;
  encoding: string | null;
  charset: string | null;
  children: Node[];
  body: string;
}

const leafArb: fc.Arbitrary<Node> = fc.record({
  type: fc.constantFrom('text/plain', 'text/html', 'application/octet-stream', 'image/png', 'message/rfc822', 'text/calendar', 'x-weird/type', 'text'),
  encoding: fc.constantFrom(null, '7bit', '8bit', 'base64', 'quoted-printable', 'binary', 'x-bogus', 'BASE64 '),
  charset: fc.constantFrom(null, 'utf-8', 'iso-8859-1', 'utf-16', 'x-none', '"utf-8', ''),
  children: fc.constant([]),
  body: fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.constantFrom('aGVsbG8gd29ybGQ=', 'not base64 !!', 'caf=C3=A9 =ZZ =', '\u00e9\u00e8', '', '.', '--b0', '=?UTF-8?B?x?='),
  ),
});

const treeArb: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.record({
      type: fc.constantFrom('multipart/mixed', 'multipart/alternative', 'multipart/related', 'multipart/digest', 'multipart/signed'),
      encoding: fc.constantFrom(null, 'base64', '8bit'),
      charset: fc.constant(null),
      children: fc.array(tie('node'), { maxLength: 4 }),
      body: fc.constant(''),
    }),
  ),
})).node;

function render(node: Node, depth: number, counter: { n: number }): string[] {
  const params = node.charset !== null ? `; charset=${node.charset}` : '';
  const lines: string[] = [];
  if (node.type.startsWith('multipart/')) {
    const boundary = `b${counter.n++}`;
    lines.push(`Content-Type: ${node.type}; boundary="${boundary}"`);
    if (node.encoding) lines.push(`Content-Transfer-Encoding: ${node.encoding}`);
    lines.push('', 'preamble');
    for (const child of node.children) lines.push(`--${boundary}`, ...render(child, depth + 1, counter));
    lines.push(`--${boundary}--`, 'epilogue');
    return lines;
  }
  lines.push(`Content-Type: ${node.type}${params}`);
  if (node.encoding) lines.push(`Content-Transfer-Encoding: ${node.encoding}`);
  lines.push('', ...node.body.split(/\r\n|\r|\n/));
  return lines;
}

type Breakage =
  | { kind: 'drop-line'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'truncate-lines'; at: number }
  | { kind: 'insert-bytes'; at: number; bytes: Uint8Array }
  | { kind: 'insert-line'; at: number; line: string };

const breakageArb: fc.Arbitrary<Breakage> = fc.oneof(
  fc.record({ kind: fc.constant('drop-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('truncate-lines' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert-bytes' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 12 }) }),
  fc.record({
    kind: fc.constant('insert-line' as const),
    at: fc.nat(),
    line: fc.constantFrom('--b0', '--b1--', 'Content-Type: multipart/mixed; boundary=b0', 'Content-Transfer-Encoding: base64', '', ' continuation', 'MIME-Version: 1.0', '=?UTF-8?Q?=?='),
  }),
);

/** A random MIME tree under a header, with a few lines dropped, duplicated, swapped or salted. */
export const brokenMimeArb: fc.Arbitrary<Buffer> = fc
  .tuple(treeArb, fc.array(breakageArb, { maxLength: 4 }), fc.nat())
  .map(([tree, breakages, n]) => {
    let lines = [...head(`generated ${n}`), 'MIME-Version: 1.0', ...render(tree, 0, { n: 0 })];
    for (const b of breakages) {
      const at = 'at' in b ? b.at % (lines.length + 1) : 0;
      if (b.kind === 'drop-line') lines.splice(at, 1);
      else if (b.kind === 'duplicate-line' && at < lines.length) lines.splice(at, 0, lines[at]!);
      else if (b.kind === 'swap-lines' && lines.length > 1) {
        const i = b.a % lines.length;
        const j = b.b % lines.length;
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      } else if (b.kind === 'truncate-lines') lines = lines.slice(0, Math.max(1, at));
      else if (b.kind === 'insert-line') lines.splice(at, 0, b.line);
      else if (b.kind === 'insert-bytes') {
        // Any bytes but CR and LF: line ends stay CRLF, so the message is still acceptable.
        lines.splice(at, 0, Buffer.from(b.bytes.filter((x) => x !== 0x0d && x !== 0x0a)).toString('latin1'));
      }
    }
    return Buffer.from(crlf(lines.map((l) => l.replace(/[\r\n]/g, ''))), 'latin1');
  });
