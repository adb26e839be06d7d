// LIST/LSUB patterns (RFC 3501 §6.3.8) are matched without a backtracking regular expression:
// the same answers as the obvious regex on small patterns, and an answer at all on the
// patterns that keep such a regex busy for ever (found by test/reliability/fuzz-imap.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listPattern } from '../../../src/imap/commands/list-match.js';

function byRegex(pattern: string, name: string): boolean {
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '%' ? '[^/]*' : c.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'u').test(name);
}

describe('LIST pattern matching', () => {
  it('agrees with the regular-expression reading on short patterns and names', () => {
    const char = fc.constantFrom('a', 'b', '/', '*', '%', '.', 'é');
    const text = fc.array(char, { maxLength: 8 }).map((c) => c.join(''));
    const name = fc.array(fc.constantFrom('a', 'b', '/', '.', 'é', '*'), { maxLength: 10 }).map((c) => c.join(''));
    fc.assert(
      fc.property(text, name, (pattern, mailbox) => {
        expect(listPattern('', pattern)(mailbox)).toBe(byRegex(pattern, mailbox));
      }),
      { numRuns: 5000, seed: 6851 },
    );
  });

  it('answers patterns that make a backtracking matcher run for ever', () => {
    const name = `${'a'.repeat(500)}/${'a'.repeat(11)}`;
    expect(listPattern('', `${'*a'.repeat(40)}x`)(name)).toBe(false);
    expect(listPattern('', `${'%a'.repeat(40)}*x`)(name)).toBe(false);
    expect(listPattern('', `${'%*'.repeat(5000)}`)(name)).toBe(true);
    expect(listPattern('', `${'*a'.repeat(40)}`)(name)).toBe(true);
    expect(listPattern('', `${'%a'.repeat(40)}`)(name)).toBe(false);
  });

  it('reads INBOX in any case at the start, and keeps the rest as written', () => {
    expect(listPattern('', 'inbox')('INBOX')).toBe(true);
    expect(listPattern('inBox/', '%')('INBOX/Sub')).toBe(true);
    expect(listPattern('', 'Inboxes')('Inboxes')).toBe(true);
    expect(listPattern('', 'sent')('Sent')).toBe(false);
  });
});
