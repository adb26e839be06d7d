// The bytes of BODY[section] (RFC 3501 §6.4.5, RFC 9051 §6.4.5), before any <origin.length>
// partial, which is the caller's to apply.
//
//   []                      the whole message
//   [HEADER] [TEXT]         the message's header (with its empty line) / body
//   [HEADER.FIELDS (…)]     the named fields, in message order, and the empty line
//   [HEADER.FIELDS.NOT (…)] every other field, and the empty line
//   [1.2]                   a part's content, without its MIME header; part 1 of a message
//                           that is not multipart is its body
//   [1.2.MIME]              a part's MIME header (for part 1 of a non-multipart message, the
//                           message header)
//   [2.HEADER] [2.TEXT] …   when part 2 is message/rfc822: the encapsulated message's header or
//                           body; [2.1] … number the encapsulated message's parts
// A section that does not exist gives null; the caller answers as the RFC says.
import { blankLine, headerFields } from './header.js';
import type { MimeNode } from './types.js';

export type SectionSpec = {
  /** Part numbers, 1-based; empty for the message itself. */
  part: number[];
  text?: 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';
  /** Field names for HEADER.FIELDS and HEADER.FIELDS.NOT, any case. */
  fields?: string[];
};

function isMultipart(node: MimeNode): boolean {
  return node.contentType.type === 'multipart' && node.children.length > 0;
}

/** The encapsulated message of a message/rfc822 (or message/global) part, if it is one. */
function encapsulated(node: MimeNode): MimeNode | null {
  const { type, subtype } = node.contentType;
  if (type !== 'message' || (subtype !== 'rfc822' && subtype !== 'global')) return null;
  return node.children[0] ?? null;
}

/** The part a path of part numbers names, or null. */
function locate(root: MimeNode, path: number[]): MimeNode | null {
  let node = root;
  // Numbers count the parts of a message's body: of the top-level message first, then of the
  // message inside each message/rfc822 part the path goes through.
  let isMessage = true;
  for (const n of path) {
    if (!Number.isSafeInteger(n) || n < 1) return null;
    let scope: MimeNode = node;
    if (!isMessage) {
      const inner = encapsulated(node);
      if (inner) {
        scope = inner;
        isMessage = true;
      }
    }
    let next: MimeNode | null;
    if (isMultipart(scope)) next = scope.children[n - 1] ?? null;
    else if (isMessage && n === 1) next = scope; // a non-multipart message has one part: its body
    else next = null;
    if (next === null) return null;
    node = next;
    isMessage = false;
  }
  return node;
}

function header(raw: Buffer, node: MimeNode): Buffer {
  return raw.subarray(node.start, node.bodyStart);
}

function body(raw: Buffer, node: MimeNode): Buffer {
  return raw.subarray(node.bodyStart, node.end);
}

/**
 * HEADER.FIELDS / HEADER.FIELDS.NOT: the fields whose names are (or are not) listed, compared
 * case-insensitively, each with its own bytes, and the empty line — which RFC 3501 §6.4.5
 * includes in every header fetch except for a message without one.
 */
function headerSubset(raw: Buffer, message: MimeNode, names: string[], exclude: boolean): Buffer {
  const wanted = new Set(names.map((name) => name.trim().toLowerCase()).filter((name) => name !== ''));
  const chunks = headerFields(raw, message.start, message.bodyStart)
    .filter((field) => (field.name !== '' && wanted.has(field.name)) !== exclude)
    .map((field) => raw.subarray(field.start, field.end));
  const empty = blankLine(raw, message.start, message.bodyStart);
  if (empty) chunks.push(empty);
  return Buffer.concat(chunks);
}

export function section(raw: Buffer, root: MimeNode, spec: SectionSpec): Buffer | null {
  const topLevel = spec.part.length === 0;
  const node = topLevel ? root : locate(root, spec.part);
  if (node === null) return null;

  if (spec.text === undefined) return topLevel ? raw.subarray(root.start, root.end) : body(raw, node);
  // RFC 3501 §6.4.5: MIME must be prefixed by a part number.
  if (spec.text === 'MIME') return topLevel ? null : header(raw, node);

  // HEADER, HEADER.FIELDS[.NOT] and TEXT after part numbers need a message/rfc822 part.
  const message = topLevel ? root : encapsulated(node);
  if (message === null) return null;
  switch (spec.text) {
    case 'HEADER':
      return header(raw, message);
    case 'TEXT':
      return body(raw, message);
    case 'HEADER.FIELDS':
      return headerSubset(raw, message, spec.fields ?? [], false);
    case 'HEADER.FIELDS.NOT':
      return headerSubset(raw, message, spec.fields ?? [], true);
  }
  return null;
}
