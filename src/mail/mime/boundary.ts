// Finding multipart delimiter lines (RFC 2046 §5.1.1).
//
//   delimiter       := CRLF dash-boundary          dash-boundary := "--" boundary
//   close-delimiter := delimiter "--"
//   followed by transport-padding (LWSP) and CRLF
//
// Every enclosing multipart's boundary is looked for, not only the innermost: a part whose own
// closing delimiter is missing then still ends where its parent's next delimiter begins (as
// Dovecot's parser does). When several boundaries match one line, the longest wins, and between
// equal ones the innermost (Dovecot again: generators do reuse a boundary in nested parts).
// Unlike Dovecot, which takes any line that *starts* with "--boundary", only padding may follow
// the boundary (and its "--"), as the grammar says; RFC 2046 forbids the looser lines inside
// parts anyway, so the two readings agree on every well-formed message.

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const DASH = 0x2d;
const LF_DASH_DASH = Buffer.from('\n--', 'latin1');

export interface Delimiter {
  /** Offset of the line's first "-". */
  lineStart: number;
  /** Offset just after the line (after its LF, or the end of the message). */
  next: number;
  /** Index into the boundary stack of the multipart this delimiter belongs to. */
  level: number;
  /** A close-delimiter ("--boundary--"). */
  close: boolean;
}

/**
 * Whether `bytes` occur in `raw` at `at`. A byte loop: boundaries are short (RFC 2046 allows 70
 * octets), and a native call per candidate line costs more than comparing them.
 */
function bytesAt(raw: Buffer, at: number, bytes: Buffer): boolean {
  if (at + bytes.length > raw.length) return false;
  for (let i = 0; i < bytes.length; i++) if (raw[at + i] !== bytes[i]) return false;
  return true;
}

/** The delimiter on the line starting at `at`, if that line is one for a boundary in `stack`. */
export function delimiterAt(raw: Buffer, at: number, stack: readonly Buffer[]): Delimiter | null {
  if (raw[at] !== DASH || raw[at + 1] !== DASH) return null;
  let found: Delimiter | null = null;
  let foundLength = -1;
  // Innermost first, replaced only by a strictly longer match.
  for (let level = stack.length - 1; level >= 0; level--) {
    const boundary = stack[level]!;
    if (boundary.length <= foundLength) continue;
    let p = at + 2;
    if (!bytesAt(raw, p, boundary)) continue;
    p += boundary.length;
    const close = raw[p] === DASH && raw[p + 1] === DASH;
    if (close) p += 2;
    while (raw[p] === SP || raw[p] === HT) p++; // transport-padding
    let next: number;
    if (p === raw.length) next = p;
    else if (raw[p] === LF) next = p + 1;
    else if (raw[p] === CR && raw[p + 1] === LF) next = p + 2;
    else if (raw[p] === CR && p + 1 === raw.length) next = p + 1;
    else continue;
    found = { lineStart: at, next, level, close };
    foundLength = boundary.length;
  }
  return found;
}

/** The first delimiter line at or after `from` (a line start), or null. */
export function findDelimiter(raw: Buffer, from: number, stack: readonly Buffer[]): Delimiter | null {
  if (stack.length === 0) return null;
  const first = delimiterAt(raw, from, stack);
  if (first) return first;
  for (let at = raw.indexOf(LF_DASH_DASH, from); at !== -1; at = raw.indexOf(LF_DASH_DASH, at + 1)) {
    const found = delimiterAt(raw, at + 1, stack);
    if (found) return found;
  }
  return null;
}

/**
 * Where the content before a delimiter line ends: the line break before the line belongs to
 * the delimiter (RFC 2046 §5.1.1), never reaching back before `floor`.
 */
export function endBefore(raw: Buffer, lineStart: number, floor: number): number {
  let end = lineStart;
  if (raw[end - 1] === LF) end--;
  if (raw[end - 1] === CR && end < lineStart) end--;
  return Math.max(end, floor);
}
