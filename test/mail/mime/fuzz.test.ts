// Property tests: whatever the bytes, parsing never throws, the tree's offsets stay in bounds and
// nested, and BODYSTRUCTURE, ENVELOPE and every section that the tree names can be computed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImapValue } from '../../../src/imap/protocol/types.js';
import { parseMimeTree } from '../../../src/mail/mime/parse.js';
import { bodyStructure, envelope, section } from '../../../src/mail/mime/structure.js';
import { checkTree, partPaths } from './helpers.js';

const SEED = 20240607;

/** Lines that make MIME structure, so that random messages nest, cut and overlap often. */
const fragments = [
  'Content-Type: multipart/mixed; boundary=a',
  'Content-Type: multipart/alternative; boundary="b"',
  'Content-Type: multipart/digest; boundary=a',
  'Content-Type: multipart/related; boundary="a b"',
  'Content-Type: multipart/mixed',
  'Content-Type: message/rfc822',
  'Content-Type: message/global',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Type: text/html; name*0*=utf-8\'\'%E2%82; name*1*=%AC',
  'Content-Type: ',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment; filename="x.pdf"',
  'Content-Language: en, de',
  'Subject: =?UTF-8?Q?caf=C3=A9?=',
  'From: A <a@b.c>, g: x@y;, <>',
  'To: Jörg <jörg@bücher.example>',
  'Sender:',
  '',
  '',
  '--a',
  '--a--',
  '--b',
  '--b--',
  '--a b',
  '--a \t',
  '--',
  'text',
  ' folded',
  '\tfolded',
  'garbage',
];

const eol = fc.constantFrom('\r\n', '\r\n', '\n', '\r', '');

const structured = fc
  .array(fc.tuple(fc.constantFrom(...fragments), eol), { maxLength: 80 })
  .map((lines) => Buffer.from(lines.map(([line, end]) => line + end).join(''), 'utf8'));

/**
 * Well-formed MIME trees (multipart, message/rfc822, leaves; boundaries that repeat, prefix one
 * another or are left unclosed), rendered with CRLF or bare LF line ends.
 */
const header = fc.constantFrom('', 'Subject: s\n', 'Content-Transfer-Encoding: 8bit\n', 'Content-Disposition: inline\n', 'From: a@b.c\n');
const { entity } = fc.letrec<{ entity: string; leaf: string; multipart: string; message: string }>((tie) => ({
  entity: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('multipart'), tie('message')),
  leaf: fc
    .tuple(header, fc.constantFrom('', 'Content-Type: text/plain\n', 'Content-Type: image/png\n', 'Content-Type: multipart/mixed\n'), fc.constantFrom('', 'x', 'two\nlines\n', '--a-\n'))
    .map(([extra, type, body]) => `${extra}${type}\n${body}`),
  multipart: fc
    .tuple(
      header,
      fc.constantFrom('mixed', 'alternative', 'digest'),
      fc.constantFrom('a', 'b', 'a b', 'a--', 'ab'),
      fc.array(tie('entity'), { maxLength: 4 }),
      fc.constantFrom('', 'preamble\n'),
      fc.constantFrom('close', 'close', 'open', 'none'),
      fc.constantFrom('', 'epilogue\n'),
    )
    .map(([extra, subtype, boundary, parts, preamble, ending, epilogue]) => {
      const opened = parts.map((part) => `--${boundary}\n${part}\n`).join('');
      const end = ending === 'close' ? `--${boundary}--\n${epilogue}` : ending === 'open' ? `--${boundary}\n` : '';
      return `${extra}Content-Type: multipart/${subtype}; boundary="${boundary}"\n\n${preamble}${opened}${end}`;
    }),
  message: fc.tuple(header, tie('entity')).map(([extra, inner]) => `${extra}Content-Type: message/rfc822\n\n${inner}`),
}));
const trees = fc.tuple(entity, fc.constantFrom('\r\n', '\n')).map(([text, end]) => Buffer.from(text.replace(/\n/g, end), 'utf8'));

/** A message with random bytes written over, inserted or cut out. */
const mutated = fc
  .tuple(
    fc.oneof(structured, trees),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('set', 'insert', 'delete'), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
  )
  .map(([raw, edits]) => {
    let bytes = [...raw];
    for (const [position, op, value] of edits) {
      const at = bytes.length === 0 ? 0 : position % (bytes.length + 1);
      if (op === 'insert') bytes.splice(at, 0, value);
      else if (op === 'delete') bytes.splice(at, 1);
      else if (at < bytes.length) bytes[at] = value;
    }
    return Buffer.from(bytes);
  });

const randomBytes = fc.uint8Array({ maxLength: 1500 }).map((bytes) => Buffer.from(bytes));

function isImapValue(value: unknown): value is ImapValue {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0; // RFC 3501 §9 number
  if (value === null || typeof value === 'string') return true;
  if (Array.isArray(value)) return value.every(isImapValue);
  return typeof value === 'object' && typeof (value as { atom?: unknown }).atom === 'string';
}

/**
 * The BODYSTRUCTURE entry a part path names, walked the way RFC 3501 §6.4.5 numbers parts:
 * multipart children in order; part 1 of a non-multipart message is that message's body; past
 * a message/rfc822 part, numbers address its encapsulated message.
 */
function structureAt(root: ImapValue, path: number[]): ImapValue[] {
  let value = root as ImapValue[];
  let isMessage = true;
  for (const n of path) {
    let scope = value;
    if (!isMessage && value[0] === 'MESSAGE' && value.length >= 10 && Array.isArray(value[8])) {
      scope = value[8];
      isMessage = true;
    }
    if (Array.isArray(scope[0])) value = scope[n - 1] as ImapValue[];
    else if (isMessage && n === 1) value = scope;
    else throw new Error(`no part ${path.join('.')} in the structure`);
    isMessage = false;
  }
  return value;
}

function everythingHolds(raw: Buffer): void {
  const root = parseMimeTree(raw);
  checkTree(raw, root);
  expect(parseMimeTree(raw)).toEqual(root); // deterministic

  for (const extended of [false, true]) {
    for (const imap4rev2 of [false, true]) {
      const value = bodyStructure(raw, root, extended, { imap4rev2 });
      expect(isImapValue(value)).toBe(true);
      expect(JSON.parse(JSON.stringify(value))).toEqual(value); // storable as JSON
    }
  }
  expect(isImapValue(envelope(raw, root))).toBe(true);

  const inRaw = (bytes: Buffer | null) => {
    expect(bytes).not.toBeNull();
    expect(bytes!.length).toBeLessThanOrEqual(raw.length);
  };
  inRaw(section(raw, root, { part: [] }));
  for (const text of ['HEADER', 'TEXT', 'HEADER.FIELDS', 'HEADER.FIELDS.NOT'] as const) inRaw(section(raw, root, { part: [], text, fields: ['subject', 'content-type'] }));
  const structure = bodyStructure(raw, root, false, { imap4rev2: true });
  for (const part of partPaths(root)) {
    const bytes = section(raw, root, { part });
    inRaw(bytes);
    inRaw(section(raw, root, { part, text: 'MIME' }));
    // BODYSTRUCTURE and BODY[part] agree: the size is the length of the section, and a text
    // part's line count its LF octets.
    const entry = structureAt(structure, part);
    if (!Array.isArray(entry[0])) {
      expect(entry[6]).toBe(bytes!.length);
      if (entry[0] === 'TEXT') expect(entry[7]).toBe(bytes!.toString('latin1').split('\n').length - 1);
    }
  }
  const beyond = [root.children.length + 2];
  expect(section(raw, root, { part: beyond })).toBeNull();
}

describe('parseMimeTree on arbitrary input', () => {
  it('structured messages', () => {
    fc.assert(fc.property(structured, everythingHolds), { seed: SEED, numRuns: 1500 });
  });

  it('MIME trees', () => {
    fc.assert(fc.property(trees, everythingHolds), { seed: SEED, numRuns: 1500 });
  });

  it('mutated messages', () => {
    fc.assert(fc.property(mutated, everythingHolds), { seed: SEED, numRuns: 1500 });
  });

  it('random bytes', () => {
    fc.assert(fc.property(randomBytes, everythingHolds), { seed: SEED, numRuns: 500 });
  });
});
