// The attachments of a message as the attachment limits see them (PRODUCT.md "Policies":
// limit_attachment_size_limit, _count_limit, _allowed_types): file name, MIME type and size,
// read from the MIME tree the IMAP side parses (mail/mime/parse.ts) without decoding any body.
import libmime from 'libmime';
import { parseDisposition } from '../mail/mime/content-type.js';
import { firstValue, headerFields } from '../mail/mime/header.js';
import { parseMimeTree } from '../mail/mime/parse.js';
import type { MimeNode } from '../mail/mime/types.js';

export interface AttachmentInfo {
  /** The file name (Content-Disposition filename, else Content-Type name), decoded; null when none. */
  filename: string | null;
  /** `type/subtype`, lower case. */
  contentType: string;
  /** Bytes the body decodes to (base64 estimated from its length, other encodings as stored). */
  size: number;
}

/**
 * The size of a part's content: for base64 (RFC 2045 §6.8) every 4 characters of the alphabet
 * carry 3 bytes, less one per padding `=`; other encodings count the body as stored, which for
 * quoted-printable is a little more than the content and so errs on the side of the limit.
 */
function contentSize(raw: Buffer, node: MimeNode): number {
  const body = raw.subarray(node.bodyStart, node.end);
  if (node.encoding !== 'base64') return body.length;
  const text = body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, '');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((text.length * 3) / 4) - padding);
}

function decodeName(name: string): string {
  try {
    return libmime.decodeWords(name); // RFC 2047 encoded-words, which many clients put in names
  } catch {
    return name;
  }
}

/**
 * The attachments of a raw message, in document order. A part is an attachment when its
 * Content-Disposition is `attachment` (RFC 2183 §2.2), or it names a file (disposition
 * `filename` or Content-Type `name`), or it is a leaf that is not text — images, PDFs, inline
 * pictures of an HTML body. Text parts without a file name are the body (RFC 2046 §5.1.4's
 * alternatives and §5.1.3's mixed text). A message/rfc822 part is one attachment, its own
 * parts not counted again.
 */
export function attachmentsOf(raw: Buffer): AttachmentInfo[] {
  const found: AttachmentInfo[] = [];
  const visit = (node: MimeNode): void => {
    if (node.contentType.type === 'multipart') {
      for (const child of node.children) visit(child);
      return;
    }
    const fields = headerFields(raw, node.start, node.bodyStart);
    const disposition = parseDisposition(firstValue(raw, fields, 'content-disposition'));
    const name = disposition?.params.filename ?? node.contentType.params.name ?? '';
    // message/* is not text either: an encapsulated message is one attachment and, as only
    // multiparts are entered, its own parts are not counted again. The same holds for the
    // root: a message whose whole body is a PDF carries one attachment.
    const named = disposition?.type === 'attachment' || name !== '';
    if (!named && node.contentType.type === 'text') return;
    found.push({
      filename: name === '' ? null : decodeName(name),
      contentType: `${node.contentType.type}/${node.contentType.subtype}`,
      size: contentSize(raw, node),
    });
  };
  visit(parseMimeTree(raw));
  return found;
}
