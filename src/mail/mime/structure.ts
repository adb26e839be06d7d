// FETCH BODY and BODYSTRUCTURE (RFC 3501 §7.4.2, RFC 9051 §7.5.2) from a parsed MIME tree.
//
//   multipart: (part part … "SUBTYPE" [params disposition language location])
//   single:    ("TYPE" "SUBTYPE" params id description "ENCODING" size
//               [lines]                      text/*
//               [envelope body lines]        message/rfc822
//               [md5 disposition language location])
//
// Case: type, subtype, encoding, disposition type and parameter names are sent upper case
// (`"TEXT" "PLAIN" ("CHARSET" "utf-8")`), as RFC 3501's own examples, Cyrus and Gmail write
// them; the RFC lets servers choose (MIME names are case-insensitive, RFC 2045 §5.1) and
// Dovecot keeps the case of the header. Parameter values are sent as parsed: RFC 2231 values
// decoded to Unicode, anything else as written.
//
// Sizes are octets of the body as stored (`end - bodyStart`), so they agree with BODY[section].
// Lines are the LF octets in the body, as Dovecot counts them: a last line without a line break
// — every part inside a multipart, whose final CRLF belongs to the delimiter — is not counted.
import type { ImapValue } from '../../imap/protocol/types.js';
import { parseDisposition, parseLanguages } from './content-type.js';
import { envelope } from './envelope.js';
import { firstValue, headerFields } from './header.js';
import type { MimeNode } from './types.js';

export { envelope } from './envelope.js';
export { section, type SectionSpec } from './section.js';

export interface BodyStructureOptions {
  /**
   * IMAP4rev2 is in effect (RFC 9051 media-message includes "GLOBAL"): message/global is then
   * written with envelope, body and lines like message/rfc822. Under IMAP4rev1 (RFC 3501
   * grammar) it must be a basic part, or a client would parse the envelope as extension data.
   */
  imap4rev2?: boolean;
}

/** Dovecot's answer for a multipart with no part: one empty text/plain. */
function emptyPart(extended: boolean): ImapValue[] {
  const basic: ImapValue[] = ['TEXT', 'PLAIN', ['CHARSET', 'us-ascii'], null, null, '7BIT', 0, 0];
  return extended ? [...basic, null, null, null, null] : basic;
}

function paramList(params: Record<string, string>): ImapValue {
  const list = Object.entries(params).flatMap(([name, value]) => [name.toUpperCase(), value]);
  return list.length > 0 ? list : null;
}

function countLines(raw: Buffer, start: number, end: number): number {
  const body = raw.subarray(start, end);
  let lines = 0;
  for (let at = body.indexOf(0x0a); at !== -1; at = body.indexOf(0x0a, at + 1)) lines++;
  return lines;
}

/** The MIME header fields of a part, read once. */
function mimeFields(raw: Buffer, node: MimeNode) {
  const fields = headerFields(raw, node.start, node.bodyStart);
  const value = (name: string) => firstValue(raw, fields, name);
  const disposition = parseDisposition(value('content-disposition'));
  return {
    id: value('content-id'),
    description: value('content-description'),
    md5: value('content-md5'),
    // body-fld-dsp = "(" string SP body-fld-param ")" / nil
    disposition: disposition ? [disposition.type.toUpperCase(), paramList(disposition.params)] : null,
    // body-fld-lang = nstring / "(" string *(SP string) ")": always the list form, as Dovecot.
    language: parseLanguages(value('content-language')),
    location: value('content-location'),
  };
}

/** BODY (extended = false) or BODYSTRUCTURE (extended = true) of `node`, usually the root. */
export function bodyStructure(raw: Buffer, node: MimeNode, extended: boolean, options: BodyStructureOptions = {}): ImapValue {
  return structureOf(raw, node, extended, options);
}

function structureOf(raw: Buffer, node: MimeNode, extended: boolean, options: BodyStructureOptions): ImapValue[] {
  const { type, subtype, params } = node.contentType;
  const fields = extended || type !== 'multipart' ? mimeFields(raw, node) : null;

  if (type === 'multipart') {
    // A multipart without parts is not allowed (RFC 2046 §5.1.1); the parser never makes one,
    // but a tree built elsewhere still gets valid syntax.
    const parts = node.children.length > 0 ? node.children.map((child) => structureOf(raw, child, extended, options)) : [emptyPart(extended)];
    const out: ImapValue[] = [...parts, subtype.toUpperCase()];
    if (extended && fields) out.push(paramList(params), fields.disposition, fields.language, fields.location);
    return out;
  }

  const text = type === 'text';
  // RFC 2046 §4.1.2: a text part without a charset parameter is US-ASCII; say so, as Dovecot does.
  const shownParams = text && params.charset === undefined ? { ...params, charset: 'us-ascii' } : params;
  const out: ImapValue[] = [
    type.toUpperCase(),
    subtype.toUpperCase(),
    paramList(shownParams),
    fields?.id ?? null,
    fields?.description ?? null,
    node.encoding.toUpperCase(),
    node.end - node.bodyStart,
  ];
  const encapsulates = type === 'message' && (subtype === 'rfc822' || (subtype === 'global' && options.imap4rev2 === true));
  if (text) {
    out.push(countLines(raw, node.bodyStart, node.end));
  } else if (encapsulates) {
    const inner = node.children[0];
    out.push(
      inner ? envelope(raw, inner) : [null, null, null, null, null, null, null, null, null, null],
      inner ? structureOf(raw, inner, extended, options) : emptyPart(extended),
      countLines(raw, node.bodyStart, node.end),
    );
  }
  if (extended && fields) out.push(fields.md5, fields.disposition, fields.language, fields.location);
  return out;
}
