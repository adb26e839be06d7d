import { describe, expect, it } from 'vitest';
import { MAX_LIST_DEPTH, isCommand, parseCommand } from '../../../src/imap/protocol/tokenizer.js';
import type { Token } from '../../../src/imap/protocol/types.js';

const atom = (value: string): Token => ({ kind: 'atom', value });
const quoted = (value: string | Buffer): Token => ({ kind: 'string', value: Buffer.from(value), literal: false });
const literal = (value: string | Buffer): Token => ({ kind: 'string', value: Buffer.from(value), literal: true });
const list = (...items: Token[]): Token => ({ kind: 'list', items });

const parse = (text: string | Buffer) => parseCommand(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);

describe('parseCommand: commands', () => {
  it.each<[string, string, string, string, Token[]]>([
    ['tag and name (RFC 3501 §2.2.1)', 'a001 NOOP', 'a001', 'NOOP', []],
    ['the name is upper-cased (RFC 3501 §9: case-insensitive)', 'A1 capability', 'A1', 'CAPABILITY', []],
    ['a tag may hold "]" and punctuation (ASTRING-CHAR except "+")', 'x]1.-_ NOOP', 'x]1.-_', 'NOOP', []],
    ['UID joins the next word (RFC 3501 §6.4.8)', 'A1 UID fetch 1:* FLAGS', 'A1', 'UID FETCH', [atom('1:*'), atom('FLAGS')]],
    ['UID MOVE (RFC 6851)', 'A1 UID MOVE 1 Trash', 'A1', 'UID MOVE', [atom('1'), atom('Trash')]],
    ['UID EXPUNGE (RFC 4315)', 'A1 uid expunge 3:5', 'A1', 'UID EXPUNGE', [atom('3:5')]],
    ['UID with any other name', 'A1 UID THREAD x', 'A1', 'UID THREAD', [atom('x')]],
    ['extra spaces are tolerated', 'A1  LOGIN   a  b ', 'A1', 'LOGIN', [atom('a'), atom('b')]],
  ])('%s', (_name, input, tag, name, args) => {
    expect(parse(input)).toEqual({ tag, name, args });
  });

  it('isCommand tells results apart', () => {
    expect(isCommand(parse('A1 NOOP'))).toBe(true);
    expect(isCommand(parse('A1'))).toBe(false);
  });
});

describe('parseCommand: arguments', () => {
  it.each<[string, string, Token[]]>([
    ['atoms, NIL stays an atom', 'A1 X foo NIL nil 42', [atom('foo'), atom('NIL'), atom('nil'), atom('42')]],
    ['flags with backslash (RFC 3501 §2.3.2)', 'A1 X \\Seen \\* $Forwarded', [atom('\\Seen'), atom('\\*'), atom('$Forwarded')]],
    ['sequence sets and wildcards', 'A1 X 1:*,5 * % foo/*', [atom('1:*,5'), atom('*'), atom('%'), atom('foo/*')]],
    ['"]" is an ASTRING-CHAR (RFC 3501 §9 resp-specials)', 'A1 LOGIN us]er pass', [atom('us]er'), atom('pass')]],
    ['quoted strings', 'A1 LOGIN "alice" "se cret"', [quoted('alice'), quoted('se cret')]],
    ['quoted escapes \\" and \\\\ (RFC 3501 §9 QUOTED-CHAR)', 'A1 X "a\\"b\\\\c"', [quoted('a"b\\c')]],
    ['empty quoted string', 'A1 LIST "" *', [quoted(''), atom('*')]],
    ['UTF-8 in a quoted string (RFC 9051 §9, RFC 6855 §3)', Buffer.from('A1 X "ünï"').toString('latin1'), [quoted('ünï')]],
    ['synchronizing literal (RFC 3501 §4.3)', 'A1 LOGIN {5}\r\nalice {6}\r\nsecret', [literal('alice'), literal('secret')]],
    ['non-synchronizing literal (RFC 7888 §3)', 'A1 LOGIN {5+}\r\nalice x', [literal('alice'), atom('x')]],
    ['literal with a bare LF after the announcement', 'A1 X {2}\nab', [literal('ab')]],
    ['binary literal8 (RFC 3516 §4.3)', 'A1 APPEND INBOX ~{3}\r\n\0\x01\x02', [atom('INBOX'), literal(Buffer.from([0, 1, 2]))]],
    ['empty literal', 'A1 X {0}\r\n', [literal('')]],
    ['a literal holding CRLF and quotes', 'A1 X {6}\r\n"\r\n)(\\', [literal('"\r\n)(\\')]],
    ['"~" alone is an atom character', 'A1 X ~foo', [atom('~foo')]],
    ['lists, nested, empty', 'A1 X (a (b "c") ()) d', [list(atom('a'), list(atom('b'), quoted('c')), list()), atom('d')]],
    ['list with a literal', 'A1 X ({1}\r\nz)', [list(literal('z'))]],
    ['spaces inside list parentheses are tolerated', 'A1 X ( a b )', [list(atom('a'), atom('b'))]],
    [
      'a bracketed part is kept verbatim with what follows (RFC 3501 §6.4.5)',
      'A1 FETCH 1 (BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.2048> UID)',
      [atom('1'), list(atom('BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.2048>'), atom('UID'))],
    ],
    ['empty brackets', 'A1 FETCH 1 BODY[]', [atom('1'), atom('BODY[]')]],
    ['quoted strings inside brackets keep their quotes', 'A1 FETCH 1 BODY[HEADER.FIELDS ("X-A]" b)]', [atom('1'), atom('BODY[HEADER.FIELDS ("X-A]" b)]')]],
    [
      'a literal inside brackets becomes a quoted string',
      'A1 FETCH 1 BODY[HEADER.FIELDS ({4}\r\nFROM)]',
      [atom('1'), atom('BODY[HEADER.FIELDS ("FROM")]')],
    ],
    ['a "{" inside brackets that announces nothing is text', 'A1 X a[{b}]', [atom('a[{b}]')]],
    [
      'UTF-8 in a quoted string inside brackets',
      Buffer.from('A1 FETCH 1 BODY[HEADER.FIELDS ("Ünï" b)]').toString('latin1'),
      [atom('1'), atom('BODY[HEADER.FIELDS ("Ünï" b)]')],
    ],
    ['a mailbox with brackets', 'A1 SELECT [Gmail]/Sent', [atom('[Gmail]/Sent')]],
    ['an unclosed "[" is an ordinary character', 'A1 CREATE [foo bar', [atom('[foo'), atom('bar')]],
    ['later "[" after an unclosed one stay ordinary', 'A1 X [a [b', [atom('[a'), atom('[b')]],
    ['the first "]" closes the bracket', 'A1 X [a [b] c', [atom('[a [b]'), atom('c')]],
  ])('%s', (_name, input, args) => {
    expect(parse(input)).toEqual({ tag: 'A1', name: expect.any(String), args });
  });

  it('keeps arbitrary bytes of a literal', () => {
    const data = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const bytes = Buffer.concat([Buffer.from('A1 APPEND INBOX (\\Seen) {256}\r\n'), data]);
    expect(parseCommand(bytes)).toEqual({ tag: 'A1', name: 'APPEND', args: [atom('INBOX'), list(atom('\\Seen')), literal(data)] });
  });

  it('accepts lists nested up to the limit', () => {
    const depth = MAX_LIST_DEPTH;
    const result = parse(`A1 X ${'('.repeat(depth)}${')'.repeat(depth)}`);
    expect(isCommand(result)).toBe(true);
  });
});

describe('parseCommand: errors name the problem', () => {
  it.each<[string, string, string, RegExp]>([
    ['empty request', '', '*', /missing tag/],
    ['leading space', ' A1 NOOP', '*', /missing tag/],
    ['"+" in a tag (RFC 3501 §9)', 'A+1 NOOP', '*', /^"\+" is not allowed in a tag$/],
    ['"*" as a tag', '* NOOP', '*', /^"\*" is not allowed in a tag$/],
    ['a control character in a tag', 'A\x01 NOOP', '*', /^control character 0x01 is not allowed in a tag$/],
    ['tag only', 'A1', 'A1', /missing command name/],
    ['tag and spaces', 'A1   ', 'A1', /missing command name/],
    ['name is not an atom', 'A1 (NOOP)', 'A1', /missing command name: unexpected "\("/],
    ['UID alone', 'A1 UID', 'A1', /missing command name after UID/],
    ['unterminated quoted string', 'A1 LOGIN "alice', 'A1', /unterminated quoted string/],
    ['backslash at the end of a quoted string', 'A1 LOGIN "alice\\', 'A1', /unterminated quoted string/],
    ['CR inside quotes (RFC 3501 §4.3)', 'A1 X "a\rb"', 'A1', /CR inside quoted string/],
    ['LF inside quotes', 'A1 X "a\nb"', 'A1', /LF inside quoted string/],
    ['NUL inside quotes', 'A1 X "a\0b"', 'A1', /NUL inside quoted string/],
    ['invalid escape', 'A1 X "a\\nb"', 'A1', /invalid escape "\\n"/],
    ['unexpected ")"', 'A1 X a)', 'A1', /unexpected "\)"/],
    ['stray ")" as an argument', 'A1 X )', 'A1', /unexpected "\)"/],
    ['unterminated list', 'A1 X (a (b)', 'A1', /unterminated list/],
    ['adjacent arguments', 'A1 LOGIN "a""b"', 'A1', /unexpected '"' after argument/],
    ['list right after an atom', 'A1 X a(b)', 'A1', /unexpected "\(" after argument/],
    ['backslash inside an atom', 'A1 X a\\b', 'A1', /unexpected "\\" after argument/],
    ['a lone backslash', 'A1 X \\', 'A1', /flag name missing after "\\"/],
    ['backslash then a special', 'A1 X \\(', 'A1', /unexpected "\(" after "\\"/],
    ['literal shorter than announced', 'A1 LOGIN {10}\r\nabc', 'A1', /literal is shorter than announced/],
    ['literal not ending the line', 'A1 X {3} abc', 'A1', /literal announcement must end the line/],
    ['literal without a number', 'A1 X {}\r\n', 'A1', /expected a number after "\{"/],
    ['literal with junk', 'A1 X {3x}\r\nabc', 'A1', /expected "\}"/],
    ['literal too large for a number', 'A1 X {4294967296}\r\n', 'A1', /literal size exceeds 4294967295/],
    ['literal longer than announced', 'A1 LOGIN {3}\r\nalice', 'A1', /unexpected "c" after a literal: is the literal longer than announced\?/],
    ['truncated literal inside brackets', 'A1 FETCH 1 BODY[HEADER.FIELDS ({9}\r\nFROM', 'A1', /literal is shorter than announced/],
    ['8-bit literal inside brackets', 'A1 FETCH 1 BODY[HEADER.FIELDS ({2}\r\n\xff\xff)]', 'A1', /printable ASCII/],
    ['bare CR between arguments', 'A1 X a \r b', 'A1', /unexpected CR/],
    ['8-bit atom', 'A1 SELECT caf\xe9', 'A1', /8-bit byte 0xe9/],
    ['control character in an atom', 'A1 SELECT a\x7fb', 'A1', /after argument/],
    ['control character as an argument', 'A1 X \x01', 'A1', /unexpected control character 0x01/],
  ])('%s', (_name, input, tag, message) => {
    const result = parse(input);
    expect(isCommand(result)).toBe(false);
    expect(result.tag).toBe(tag);
    expect((result as { message: string }).message).toMatch(message);
  });

  it('refuses lists nested deeper than the limit', () => {
    const depth = MAX_LIST_DEPTH + 1;
    expect(parse(`A1 X ${'('.repeat(depth)}${')'.repeat(depth)}`)).toEqual({ tag: 'A1', message: `lists nested deeper than ${MAX_LIST_DEPTH}` });
  });

  it('stays linear on many unclosed brackets', () => {
    const line = `A1 X ${'[a '.repeat(50_000)}`;
    const started = performance.now();
    const result = parse(line);
    expect(isCommand(result) && result.args.length).toBe(50_000);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
