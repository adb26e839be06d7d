// A raw RFC 5322 message into its MIME tree (RFC 2045/2046), with byte offsets into the message.
//
// One pass over the bytes: each entity reads its header up to the empty line, then its body up to
// the next delimiter of any enclosing multipart (boundary.ts), so every byte is looked at by
// one level only. Malformed input is never refused — the tree is what a reader can make of it:
//   - the header ends at the first empty line (CRLF or bare LF), or at the next delimiter, or at
//     the end of the message;
//   - a multipart without a boundary parameter, or in which no part begins, is one text/plain
//     leaf (RFC 2045 §5.2: what cannot be read as declared is read as plain text);
//   - a multipart whose closing delimiter is missing ends where its parent's next delimiter
//     begins, or at the end of the message;
//   - below MAX_DEPTH levels, multipart and message parts are opaque application/octet-stream
//     leaves (RFC 2046 §4.5.1), which bounds the recursion and the work.
// Where a part is treated as another type, `declaredType` keeps what its header said.
import { delimiterAt, endBefore, findDelimiter, type Delimiter } from './boundary.js';
import { messageRfc822, parseContentType, parseEncoding, textPlain } from './content-type.js';
import { firstValue, headerFields, isBlankLine } from './header.js';
import type { ContentType, MimeNode } from './types.js';

export const MAX_DEPTH = 50;

const LF = 0x0a;

interface Parsed {
  node: MimeNode;
  /** The delimiter that ended the entity, or null at the end of the message. */
  stop: Delimiter | null;
}

/**
 * The MIME tree of a whole message. Never throws; the root spans the message (start 0, end
 * raw.length) and every node satisfies start ≤ bodyStart ≤ end, inside its parent's body.
 */
export function parseMimeTree(raw: Buffer): MimeNode {
  return parseEntity(raw, 0, [], 0, false).node;
}

/** Whether a type nests: multipart/* (RFC 2046 §5.1) or an encapsulated message (§5.2, RFC 6532 §3.7). */
function nesting(type: ContentType): 'multipart' | 'message' | null {
  if (type.type === 'multipart') return 'multipart';
  if (type.type === 'message' && (type.subtype === 'rfc822' || type.subtype === 'global')) return 'message';
  return null;
}

function treatAs(node: MimeNode, type: ContentType): void {
  node.declaredType = node.contentType;
  node.contentType = type;
}

/**
 * The header section from `start` (a line start): where the body begins, and the delimiter that
 * cut the header short if one came before the empty line.
 */
function scanHeader(raw: Buffer, start: number, stack: readonly Buffer[]): { bodyStart: number; cut: Delimiter | null } {
  for (let at = start; at < raw.length; ) {
    if (isBlankLine(raw, at)) return { bodyStart: at + (raw[at] === LF ? 1 : 2), cut: null };
    // A delimiter line is never a header field; the line break before it belongs to it.
    const cut = stack.length > 0 ? delimiterAt(raw, at, stack) : null;
    if (cut) return { bodyStart: endBefore(raw, at, start), cut };
    const nl = raw.indexOf(LF, at);
    if (nl === -1) break;
    at = nl + 1;
  }
  return { bodyStart: raw.length, cut: null };
}

function parseEntity(raw: Buffer, start: number, stack: readonly Buffer[], depth: number, inDigest: boolean): Parsed {
  const { bodyStart, cut } = scanHeader(raw, start, stack);
  const fields = headerFields(raw, start, bodyStart);
  const node: MimeNode = {
    start,
    bodyStart,
    end: bodyStart,
    contentType: parseContentType(firstValue(raw, fields, 'content-type'), inDigest ? messageRfc822 : textPlain),
    encoding: parseEncoding(firstValue(raw, fields, 'content-transfer-encoding')),
    children: [],
  };
  let kind = nesting(node.contentType);
  if (kind !== null && depth >= MAX_DEPTH) {
    treatAs(node, { type: 'application', subtype: 'octet-stream', params: {} });
    kind = null;
  }

  if (cut) {
    // The next delimiter came before the header ended: the entity has no body.
    if (kind === 'multipart') treatAs(node, textPlain());
    if (kind === 'message') node.children.push(emptyMessage(bodyStart));
    return { node, stop: cut };
  }
  if (kind === 'multipart') return parseMultipart(raw, node, stack, depth);
  if (kind === 'message') {
    // RFC 2046 §5.2.1: the body is a whole message. (A base64 or quoted-printable one, which
    // §5.2.1 forbids, is read as it stands, as Dovecot does: the tree stays well-formed.)
    const inner = parseEntity(raw, bodyStart, stack, depth + 1, false);
    node.children.push(inner.node);
    node.end = inner.node.end;
    return { node, stop: inner.stop };
  }
  return leafBody(raw, node, stack);
}

function leafBody(raw: Buffer, node: MimeNode, stack: readonly Buffer[]): Parsed {
  const stop = findDelimiter(raw, node.bodyStart, stack);
  node.end = stop ? endBefore(raw, stop.lineStart, node.bodyStart) : raw.length;
  return { node, stop };
}

/** An encapsulated message with no bytes at all (its part was cut short by a delimiter). */
function emptyMessage(at: number): MimeNode {
  return { start: at, bodyStart: at, end: at, contentType: textPlain(), encoding: '7bit', children: [] };
}

/**
 * RFC 2046 §5.1.1: preamble, then parts each opened by a delimiter line, then the close
 * delimiter and an epilogue; preamble and epilogue belong to no part.
 */
function parseMultipart(raw: Buffer, node: MimeNode, stack: readonly Buffer[], depth: number): Parsed {
  const boundary = node.contentType.params.boundary ?? '';
  if (boundary === '') {
    // RFC 2046 §5.1.1 makes the boundary parameter mandatory; without it nothing can be split.
    treatAs(node, textPlain());
    return leafBody(raw, node, stack);
  }
  const level = stack.length;
  const inner = [...stack, Buffer.from(boundary, 'utf8')];
  const digest = node.contentType.subtype === 'digest';

  let delimiter = findDelimiter(raw, node.bodyStart, inner);
  let stop: Delimiter | null;
  for (;;) {
    if (delimiter === null) {
      node.end = raw.length; // closing delimiter missing: the multipart runs to the end
      stop = null;
      break;
    }
    if (delimiter.level !== level) {
      // An enclosing part's delimiter. Its line break may already be the empty line of the last
      // part's header (a part that is "--a\r\n\r\n" then "--outer"): the part keeps it.
      const lastEnd = node.children.at(-1)?.end ?? node.bodyStart;
      node.end = endBefore(raw, delimiter.lineStart, lastEnd);
      stop = delimiter;
      break;
    }
    if (delimiter.close) {
      stop = findDelimiter(raw, delimiter.next, stack); // the epilogue runs to the parent's next delimiter
      node.end = stop ? endBefore(raw, stop.lineStart, node.bodyStart) : raw.length;
      break;
    }
    const part = parseEntity(raw, delimiter.next, inner, depth + 1, digest);
    node.children.push(part.node);
    delimiter = part.stop;
  }
  // No part ever began: the boundary never occurs (or only closes). One leaf, as above.
  if (node.children.length === 0) treatAs(node, textPlain());
  return { node, stop };
}
