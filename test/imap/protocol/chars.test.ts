import { describe, expect, it } from 'vitest';
import { allChars, isAstringChar, isAtomChar, isCtl, isTagChar, isValidTag } from '../../../src/imap/protocol/chars.js';

const code = (c: string) => c.charCodeAt(0);

describe('character classes (RFC 3501 §9)', () => {
  it('ATOM-CHAR excludes the atom-specials', () => {
    for (const c of '()\u007b %*"\\]\u0000\u001f\u007f') expect(isAtomChar(code(c)), JSON.stringify(c)).toBe(false);
    for (const c of 'aZ09+-.[}~!#$&\'<>/:;=?@^_`|') expect(isAtomChar(code(c)), c).toBe(true);
    expect(isAtomChar(0x80)).toBe(false);
  });

  it('ASTRING-CHAR adds "]"; tags exclude "+"', () => {
    expect(isAstringChar(code(']'))).toBe(true);
    expect(isAstringChar(code('*'))).toBe(false);
    expect(isTagChar(code('+'))).toBe(false);
    expect(isTagChar(code(']'))).toBe(true);
  });

  it('validates tags', () => {
    expect(isValidTag('A001')).toBe(true);
    expect(isValidTag('a]b')).toBe(true);
    expect(isValidTag('')).toBe(false);
    expect(isValidTag('A+1')).toBe(false);
    expect(isValidTag('*')).toBe(false);
    expect(isValidTag('a b')).toBe(false);
  });

  it('CTL and allChars', () => {
    expect(isCtl(0)).toBe(true);
    expect(isCtl(0x1f)).toBe(true);
    expect(isCtl(0x7f)).toBe(true);
    expect(isCtl(0x20)).toBe(false);
    expect(allChars('abc', isAtomChar)).toBe(true);
    expect(allChars('a c', isAtomChar)).toBe(false);
    expect(allChars('', isAtomChar)).toBe(true);
  });
});
