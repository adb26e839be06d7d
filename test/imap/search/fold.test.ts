import { describe, expect, it } from 'vitest';
import { foldCase } from '../../../src/imap/search/fold.js';

// A needle matches a haystack when the folded haystack contains the folded needle.
const contains = (haystack: string, needle: string) => foldCase(haystack).includes(foldCase(needle));

describe('foldCase: case-insensitive matching for SEARCH strings', () => {
  it.each<[string, string]>([
    ['Quarterly REPORT', 'report'],
    ['report', 'REPORT'],
    // Full case folding of the German sharp s, both ways, and its capital form.
    ['Die Straße', 'STRASSE'],
    ['STRASSE', 'straße'],
    ['GROẞE', 'große'],
    // Turkish: dotted capital İ and dotless ı meet plain i and I.
    ['İSTANBUL', 'istanbul'],
    ['istanbul', 'İSTANBUL'],
    ['ıstanbul', 'ISTANBUL'],
    ['toplantısı', 'TOPLANTISI'],
    ['DİYARBAKIR', 'diyarbakır'],
    // Greek final sigma.
    ['ΟΔΟΣ', 'οδοσ'],
    ['οδος', 'ΟΔΟΣ'],
    ['Σίσυφος', 'ΣΊΣΥΦΟΣ'],
    // Ligatures and other expansions.
    ['ﬁnance', 'FINANCE'],
    ['ſtrange', 'STRANGE'],
    // Composed and decomposed accents.
    ['cafe\u0301', 'café'],
    ['café', 'CAFE\u0301'],
    ['Ǆemal', 'ǆemal'],
    ['Łódź', 'ŁÓDŹ'],
    ['日本語のメール', '本語'],
  ])('%j contains %j', (haystack, needle) => {
    expect(contains(haystack, needle)).toBe(true);
  });

  it.each<[string, string]>([
    ['cafe', 'café'],
    ['strasse', 'strase'],
    ['report', 'reports'],
  ])('%j does not contain %j', (haystack, needle) => {
    expect(contains(haystack, needle)).toBe(false);
  });

  it('leaves ASCII as plain lower case and is idempotent', () => {
    expect(foldCase('Hello, World! 123')).toBe('hello, world! 123');
    for (const text of ['Straße', 'İSTANBUL', 'ΟΔΟΣ', 'cafe\u0301', 'ﬁ']) expect(foldCase(foldCase(text))).toBe(foldCase(text));
  });

  it('does not depend on the server locale', () => {
    // toLowerCase/toUpperCase use the root locale; this is what the Turkish locale would do instead.
    expect('I'.toLocaleLowerCase('tr')).toBe('ı');
    expect(foldCase('I')).toBe('i');
  });
});
