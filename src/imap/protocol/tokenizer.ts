// Reads one request from the Receiver into tag, command name and argument tokens
// (RFC 3501 §9, RFC 9051 §9). What each argument means is the command's business; this file only
// knows the shapes every command shares: atoms, quoted strings, literals and lists.
import { BACKSLASH, CR, DQUOTE, LF, SP, isAstringChar, isCtl, isTagChar } from './chars.js';
import type { Command, CommandSyntaxError, Token } from './types.js';

/** Lists nested deeper than this are refused, so no consumer recursing over tokens can overflow. */
export const MAX_LIST_DEPTH = 64;

const LPAREN = 0x28;
const RPAREN = 0x29;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const TILDE = 0x7e;
const MAX_NUMBER = 4294967295;

class Fail {
  /** `malformed`: the bytes are not a literal announcement at all (inside brackets, plain text). */
  constructor(
    readonly message: string,
    readonly malformed = false,
  ) {}
}

/** True when parseCommand succeeded. */
export function isCommand(result: Command | CommandSyntaxError): result is Command {
  return 'name' in result;
}

export function parseCommand(bytes: Buffer): Command | CommandSyntaxError {
  const reader = new Reader(bytes);
  // RFC 3501 §2.2.1: every command starts with a tag; without a readable one we answer "* BAD".
  let tag = '*';
  try {
    const read = reader.tag();
    if (read instanceof Fail) return { tag, message: read.message };
    tag = read;
    const name = reader.commandName();
    const args = reader.args();
    return { tag, name, args };
  } catch (err) {
    if (err instanceof Fail) return { tag, message: err.message };
    return { tag, message: 'unreadable command' };
  }
}

class Reader {
  private pos = 0;
  /**
   * Once a "[" found no closing "]", no later one can: the atom reader meets the same quoted
   * strings and literals the bracket scan did, so both agree on what is inside quotes, and every
   * other reason a scan stops is a byte the tokenizer refuses. Further "[" are then plain
   * characters, which keeps parsing linear.
   */
  private bracketsExhausted = false;

  constructor(private readonly buf: Buffer) {}

  tag(): string | Fail {
    const start = this.pos;
    while (this.pos < this.buf.length && isTagChar(this.buf[this.pos]!)) this.pos++;
    if (this.pos === start) {
      return new Fail(this.buf.length === 0 || this.buf[0] === SP ? 'missing tag' : `${describe(this.buf[0]!)} is not allowed in a tag`);
    }
    if (this.pos < this.buf.length && this.buf[this.pos] !== SP) return new Fail(`${describe(this.buf[this.pos]!)} is not allowed in a tag`);
    return this.buf.toString('latin1', start, this.pos);
  }

  commandName(): string {
    this.skipSpaces();
    let name = this.word('missing command name');
    // RFC 3501 §6.4.8: UID prefixes COPY, FETCH, STORE, SEARCH (and MOVE, EXPUNGE from RFC 6851,
    // RFC 4315); joining them here lets the session dispatch on one name.
    if (name === 'UID') {
      this.skipSpaces();
      name = `UID ${this.word('missing command name after UID')}`;
    }
    return name;
  }

  /** A command name: letters, digits and other atom characters, upper-cased. */
  private word(missing: string): string {
    const start = this.pos;
    while (this.pos < this.buf.length && isAstringChar(this.buf[this.pos]!)) this.pos++;
    if (this.pos === start) {
      if (this.pos >= this.buf.length) throw new Fail(missing);
      throw new Fail(`${missing}: unexpected ${describe(this.buf[this.pos]!)}`);
    }
    this.expectSeparator(false);
    return this.buf.toString('latin1', start, this.pos).toUpperCase();
  }

  /** Arguments up to the end of the request; lists are built with an explicit stack. */
  args(): Token[] {
    const top: Token[] = [];
    const stack: Token[][] = [top];
    for (;;) {
      this.skipSpaces();
      const items = stack[stack.length - 1]!;
      if (this.pos >= this.buf.length) {
        if (stack.length > 1) throw new Fail('unterminated list: missing ")"');
        return top;
      }
      const b = this.buf[this.pos]!;
      if (b === LPAREN) {
        if (stack.length > MAX_LIST_DEPTH) throw new Fail(`lists nested deeper than ${MAX_LIST_DEPTH}`);
        this.pos++;
        const list: Token[] = [];
        items.push({ kind: 'list', items: list });
        stack.push(list);
        continue;
      }
      if (b === RPAREN) {
        if (stack.length === 1) throw new Fail('unexpected ")"');
        this.pos++;
        stack.pop();
        this.expectSeparator(stack.length > 1);
        continue;
      }
      const token = this.token(b);
      items.push(token);
      this.expectSeparator(stack.length > 1, token.kind === 'string' && token.literal);
    }
  }

  private token(b: number): Token {
    if (b === DQUOTE) return { kind: 'string', value: this.quoted(), literal: false };
    if (b === LBRACE) return { kind: 'string', value: this.literal(), literal: true };
    // RFC 3516 §4.3: literal8 = "~{" number "}" CRLF *OCTET, read like any other literal.
    if (b === TILDE && this.buf[this.pos + 1] === LBRACE) {
      this.pos++;
      return { kind: 'string', value: this.literal(), literal: true };
    }
    return { kind: 'atom', value: this.atom() };
  }

  /**
   * After a token: a space, the end, or ")" closing a list. RFC 3501 §9 puts SP between
   * arguments; several spaces are tolerated, adjacent tokens are not.
   */
  private expectSeparator(inList: boolean, afterLiteral = false): void {
    if (this.pos >= this.buf.length) return;
    const b = this.buf[this.pos]!;
    if (b === SP || (inList && b === RPAREN)) return;
    if (b === RPAREN) throw new Fail('unexpected ")"');
    if (afterLiteral) throw new Fail(`unexpected ${describe(b)} after a literal: is the literal longer than announced?`);
    throw new Fail(`unexpected ${describe(b)} after argument: arguments are separated by spaces`);
  }

  private skipSpaces(): void {
    while (this.buf[this.pos] === SP) this.pos++;
  }

  /** RFC 3501 §9: quoted = DQUOTE *QUOTED-CHAR DQUOTE; only `\"` and `\\` are escapes. */
  private quoted(): Buffer {
    const r = scanQuoted(this.buf, this.pos);
    if (r instanceof Fail) throw r;
    this.pos = r.end;
    return r.value;
  }

  /** RFC 3501 §9: literal = "{" number "}" CRLF *CHAR8; RFC 7888 §3: "{" number "+}". */
  private literal(): Buffer {
    const r = scanLiteral(this.buf, this.pos);
    if (r instanceof Fail) throw r;
    this.pos = r.end;
    return r.value;
  }

  /**
   * An atom, or an astring written as one. Beyond ASTRING-CHAR it admits the list wildcards
   * "%" and "*" (RFC 3501 §6.3.8, and "*" in sequence sets) and a leading "\" (flags such as
   * `\Seen`, `\*`). A "[" opens a bracketed part kept verbatim up to its "]", which may hold
   * spaces, lists and quoted strings (RFC 3501 §6.4.5 `BODY[HEADER.FIELDS (FROM)]<0.100>`).
   */
  private atom(): string {
    const start = this.pos;
    let text = '';
    let from = start;
    if (this.buf[this.pos] === BACKSLASH) this.pos++;
    while (this.pos < this.buf.length) {
      const b = this.buf[this.pos]!;
      if (b === LBRACKET && !this.bracketsExhausted) {
        const r = this.bracket(this.pos);
        if (r) {
          text += this.buf.toString('latin1', from, this.pos) + r.text;
          this.pos = from = r.end;
          continue;
        }
        // No closing "]": "[" is an ordinary ASTRING-CHAR (a mailbox may be named "[x").
        this.bracketsExhausted = true;
      }
      if (isAstringChar(b) || b === 0x25 || b === 0x2a) {
        this.pos++;
        continue;
      }
      break;
    }
    if (this.pos === start) throw new Fail(`unexpected ${describe(this.buf[this.pos]!)}`);
    if (this.pos === start + 1 && this.buf[start] === BACKSLASH && from === start) {
      throw new Fail(this.pos < this.buf.length ? `unexpected ${describe(this.buf[this.pos]!)} after "\\"` : 'flag name missing after "\\"');
    }
    return text + this.buf.toString('latin1', from, this.pos);
  }

  /**
   * A bracketed part from "[" to the first "]" outside a quoted string. A literal inside
   * (a header field name sent as `{4}` CRLF `FROM`) is rewritten as a quoted string, so the
   * section parser only meets atoms and quoted strings; quoted strings are kept as sent (UTF-8
   * allowed, RFC 9051 §9). Null when nothing closes the bracket before the end of the request,
   * or when it holds bytes the atom reader will refuse anyway (controls, 8-bit outside quotes).
   */
  private bracket(open: number): { text: string; end: number } | null {
    let text = '[';
    let i = open + 1;
    let from = i;
    while (i < this.buf.length) {
      const b = this.buf[i]!;
      if (b === RBRACKET) return { text: text + this.buf.toString('utf8', from, i + 1), end: i + 1 };
      if (b === DQUOTE) {
        const r = scanQuoted(this.buf, i);
        if (r instanceof Fail) return null;
        i = r.end;
        continue;
      }
      if (b === LBRACE) {
        const r = scanLiteral(this.buf, i);
        if (r instanceof Fail) {
          // A "{" not announcing a literal is just a character; a truncated literal is an error.
          if (!r.malformed) throw r;
          i++;
          continue;
        }
        text += this.buf.toString('utf8', from, i) + quoteForBracket(r.value);
        i = from = r.end;
        continue;
      }
      if (isCtl(b) || b > 0x7e) return null;
      i++;
    }
    return null;
  }
}

function scanQuoted(buf: Buffer, start: number): { value: Buffer; end: number } | Fail {
  const out: number[] = [];
  let i = start + 1;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b === DQUOTE) return { value: Buffer.from(out), end: i + 1 };
    if (b === CR || b === LF || b === 0) {
      // RFC 3501 §4.3: a quoted string cannot contain CR or LF; RFC 3501 §9 CHAR excludes NUL.
      return new Fail(`${b === 0 ? 'NUL' : b === CR ? 'CR' : 'LF'} inside quoted string (use a literal)`);
    }
    if (b === BACKSLASH) {
      const next = buf[i + 1];
      if (next === undefined) break;
      // RFC 3501 §9: QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials.
      if (next !== DQUOTE && next !== BACKSLASH) return new Fail(`invalid escape "\\${String.fromCharCode(next)}" in quoted string`);
      out.push(next);
      i += 2;
      continue;
    }
    // 8-bit bytes are kept: RFC 9051 §9 and RFC 6855 §3 allow UTF-8 in quoted strings.
    out.push(b);
    i++;
  }
  return new Fail('unterminated quoted string');
}

function scanLiteral(buf: Buffer, start: number): { value: Buffer; end: number } | Fail {
  let i = start + 1;
  let size = 0;
  const digitsStart = i;
  while (i < buf.length && buf[i]! >= 0x30 && buf[i]! <= 0x39) {
    size = size * 10 + (buf[i]! - 0x30);
    if (size > MAX_NUMBER) return new Fail(`literal size exceeds ${MAX_NUMBER}`);
    i++;
  }
  if (i === digitsStart) return new Fail('invalid literal announcement: expected a number after "{"', true);
  if (buf[i] === 0x2b) i++;
  if (buf[i] !== RBRACE) return new Fail('invalid literal announcement: expected "}"', true);
  i++;
  // The Receiver always puts CRLF here; a bare LF is accepted for requests built elsewhere.
  if (buf[i] === CR && buf[i + 1] === LF) i += 2;
  else if (buf[i] === LF) i += 1;
  else return new Fail('literal announcement must end the line', true);
  if (buf.length - i < size) return new Fail('literal is shorter than announced');
  return { value: buf.subarray(i, i + size), end: i + size };
}

function quoteForBracket(value: Buffer): string {
  for (const b of value) {
    if (isCtl(b) || b > 0x7e) throw new Fail('a literal inside "[...]" must be printable ASCII');
  }
  return `"${value.toString('latin1').replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function describe(b: number): string {
  if (b === CR) return 'CR';
  if (b === LF) return 'LF';
  if (b === 0) return 'NUL';
  if (isCtl(b)) return `control character 0x${b.toString(16).padStart(2, '0')}`;
  if (b === DQUOTE) return `'"'`;
  if (b > 0x7e) return `8-bit byte 0x${b.toString(16)} (only quoted strings and literals may hold 8-bit data)`;
  return `"${String.fromCharCode(b)}"`;
}
