import { describe, expect, it } from 'vitest';
import { parseSearchDate, parseSequenceSet } from '../../../src/imap/search/local-grammar.js';

describe('parseSequenceSet (RFC 9051 §9 sequence-set)', () => {
  it.each([
    ['1', [{ from: 1, to: 1 }]],
    ['*', [{ from: '*', to: '*' }]],
    ['1:*', [{ from: 1, to: '*' }]],
    ['*:3', [{ from: '*', to: 3 }]],
    ['9:2', [{ from: 9, to: 2 }]],
    ['1,3:5,*', [{ from: 1, to: 1 }, { from: 3, to: 5 }, { from: '*', to: '*' }]],
    ['4294967295', [{ from: 4294967295, to: 4294967295 }]],
  ])('%s', (text, set) => {
    expect(parseSequenceSet(text)).toEqual(set);
  });

  it.each(['', '0', '01', '1:0', '4294967296', '1,', ',1', '1,,2', '1:2:3', '1:', ':1', '-1', '1 2', 'a', '$', '1.5', '**'])(
    'refuses %j',
    (text) => {
      expect(parseSequenceSet(text)).toBeNull();
    },
  );
});

describe('parseSearchDate (RFC 9051 §9 date-text)', () => {
  it.each([
    ['1-Feb-2024', '2024-02-01'],
    ['01-feb-2024', '2024-02-01'],
    ['31-DEC-1999', '1999-12-31'],
    ['29-Feb-2024', '2024-02-29'],
    ['29-Feb-2000', '2000-02-29'],
    ['30-Apr-0001', '0001-04-30'],
  ])('%s → %s', (text, day) => {
    expect(parseSearchDate(text)).toBe(day);
  });

  it.each(['', '2024-02-01', '1-Feb-24', '1-February-2024', '001-Feb-2024', '0-Feb-2024', '32-Jan-2024', '31-Apr-2024',
    '29-Feb-2023', '29-Feb-1900', '1-Foo-2024', '1 Feb 2024', ' 1-Feb-2024', '1-Feb-2024 ', '1-Feb-20245'])('refuses %j', (text) => {
    expect(parseSearchDate(text)).toBeNull();
  });
});
