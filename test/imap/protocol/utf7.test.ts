import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolSyntaxError } from '../../../src/imap/protocol/errors.js';
import { decodeModifiedUtf7, encodeModifiedUtf7 } from '../../../src/imap/protocol/utf7.js';

describe('modified UTF-7 (RFC 3501 §5.1.3)', () => {
  it.each<[string, string]>([
    ['INBOX', 'INBOX'],
    ['', ''],
    ['Tom & Jerry', 'Tom &- Jerry'],
    ['&', '&-'],
    ['Entwürfe', 'Entw&APw-rfe'],
    // RFC 3501 §5.1.3 example: ~peter/mail/台北/日本語
    ['~peter/mail/台北/日本語', '~peter/mail/&U,BTFw-/&ZeVnLIqe-'],
    ['日本語', '&ZeVnLIqe-'],
    ['a/b', 'a/b'],
    ['€', '&IKw-'],
    ['😀', '&2D3eAA-'], // a surrogate pair in one run
    ['\t', '&AAk-'], // controls are encoded, not sent raw
    ['ü&ü', '&APw-&-&APw-'],
  ])('%j ↔ %j', (text, wire) => {
    expect(encodeModifiedUtf7(text)).toBe(wire);
    expect(decodeModifiedUtf7(wire)).toBe(text);
  });

  it('encodes unpaired surrogates as U+FFFD', () => {
    expect(encodeModifiedUtf7('a\ud800b')).toBe(`a${encodeModifiedUtf7('\ufffd')}b`);
    expect(encodeModifiedUtf7('\udc00')).toBe(encodeModifiedUtf7('\ufffd'));
  });

  it.each<[string, RegExp]>([
    ['&U,BTFw', /not terminated by "-"/],
    ['&', /not terminated/],
    ['&U/BTFw-', /"\/" is not a modified base64 character/], // RFC 2152 "/" is "," here
    ['&U=-', /"=" is not a modified base64 character/],
    ['&AGE-', /printable character "a" must not be base64-encoded/],
    ['&ACY-', /printable character "&"/], // "&" must be written "&-"
    ['&APw-&APw-', /adjacent "&...-" runs/],
    ['&APx-', /non-zero or excess padding bits/],
    ['&AP-', /non-zero or excess padding bits/], // "P" leaves 4 bits that are not zero
    ['&APwAA-', /non-zero or excess padding bits/], // a sixth character adds no byte
    ['&APwA-', /whole UTF-16 characters/], // 3 bytes
    ['&AA-', /whole UTF-16 characters/],
    ['&2D0-', /unpaired UTF-16 surrogate/], // high surrogate alone
    ['&3gA-', /unpaired UTF-16 surrogate/], // low surrogate alone
    ['&2D3YPQ-', /unpaired UTF-16 surrogate/], // high followed by high
    ['a\tb', /character U\+0009 must be encoded/],
    ['ü', /character U\+00FC must be encoded/],
  ])('rejects %j', (wire, message) => {
    expect(() => decodeModifiedUtf7(wire)).toThrow(ProtocolSyntaxError);
    expect(() => decodeModifiedUtf7(wire)).toThrow(message);
  });

  it('round-trips any well-formed string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const wire = encodeModifiedUtf7(text);
        expect(wire).toMatch(/^[\x20-\x7e]*$/);
        expect(decodeModifiedUtf7(wire)).toBe(text);
      }),
      { numRuns: 2000, seed: 3501 },
    );
  });

  it('accepts only the canonical spelling: decode then encode gives the input back (property)', () => {
    const wireChars = fc.constantFrom(...'&-AZaz09+,/ xy'.split(''));
    fc.assert(
      fc.property(fc.array(wireChars, { maxLength: 16 }), (chars) => {
        const wire = chars.join('');
        let text: string;
        try {
          text = decodeModifiedUtf7(wire);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolSyntaxError);
          return;
        }
        expect(encodeModifiedUtf7(text)).toBe(wire);
      }),
      { numRuns: 5000, seed: 2152 },
    );
  });

  it('rejects or re-encodes identically any mutation of a valid encoding (property)', () => {
    const wireChar = fc.constantFrom(...'&-AZaz09+,/ x'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), fc.nat(), wireChar, fc.boolean(), (text, at, c, insert) => {
        const wire = encodeModifiedUtf7(text);
        const i = at % (wire.length + 1);
        const mutated = wire.slice(0, i) + c + wire.slice(insert ? i : i + 1);
        let decoded: string;
        try {
          decoded = decodeModifiedUtf7(mutated);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolSyntaxError);
          return;
        }
        expect(encodeModifiedUtf7(decoded)).toBe(mutated);
      }),
      { numRuns: 5000, seed: 6855 },
    );
  });
});
