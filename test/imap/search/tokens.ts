// Test helper: writes SEARCH arguments the way a client types them and returns the Tokens the
// protocol tokenizer would hand over. Enough of RFC 9051 §9 for tests: atoms (brackets kept
// verbatim is not needed here), "quoted" strings with \" and \\ escapes, {n} literals (n bytes of
// UTF-8 after CRLF), and parenthesized lists.
import type { Token } from '../../../src/imap/protocol/types.js';

export function tokens(text: string): Token[] {
  const bytes = Buffer.from(text, 'utf8');
  let pos = 0;

  function list(closing: boolean): Token[] {
    const items: Token[] = [];
    for (;;) {
      while (bytes[pos] === 0x20) pos++;
      if (pos >= bytes.length) {
        if (closing) throw new Error(`unclosed list in ${text}`);
        return items;
      }
      const c = bytes[pos] as number;
      if (c === 0x29 /* ) */) {
        if (!closing) throw new Error(`unexpected ) in ${text}`);
        pos++;
        return items;
      }
      if (c === 0x28 /* ( */) {
        pos++;
        items.push({ kind: 'list', items: list(true) });
      } else if (c === 0x22 /* " */) {
        items.push(quoted());
      } else if (c === 0x7b /* { */) {
        items.push(literal());
      } else {
        const start = pos;
        while (pos < bytes.length && ![0x20, 0x28, 0x29].includes(bytes[pos] as number)) pos++;
        items.push({ kind: 'atom', value: bytes.subarray(start, pos).toString('utf8') });
      }
    }
  }

  function quoted(): Token {
    pos++;
    const out: number[] = [];
    while (bytes[pos] !== 0x22) {
      if (pos >= bytes.length) throw new Error(`unclosed quote in ${text}`);
      if (bytes[pos] === 0x5c) pos++;
      out.push(bytes[pos++] as number);
    }
    pos++;
    return { kind: 'string', value: Buffer.from(out), literal: false };
  }

  function literal(): Token {
    const m = /^\{(\d+)\+?\}\r\n/.exec(bytes.subarray(pos, pos + 20).toString('latin1'));
    if (!m) throw new Error(`bad literal in ${text}`);
    pos += m[0].length;
    const n = Number(m[1]);
    const value = Buffer.from(bytes.subarray(pos, pos + n));
    pos += n;
    return { kind: 'string', value, literal: true };
  }

  return list(false);
}
