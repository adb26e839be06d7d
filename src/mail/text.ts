// The readable text of a message, for SEARCH BODY/TEXT: every text/* part, transfer-decoded
// (RFC 2045 §6: base64, quoted-printable) and charset-decoded (WHATWG encodings; an unknown
// charset is read as UTF-8 rather than refused).
import libqp from 'libqp';
import type { MimeNode } from './mime/types.js';

export function transferDecode(data: Buffer, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(data.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') return libqp.decode(data.toString('latin1'));
  return data;
}

export function decodeCharset(data: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset || 'utf-8').decode(data);
  } catch {
    return new TextDecoder('utf-8').decode(data);
  }
}

/** The decoded text of every text/* leaf, in order, separated by newlines. */
export function messageText(raw: Buffer, root: MimeNode): string {
  const out: string[] = [];
  const walk = (node: MimeNode) => {
    if (node.children.length > 0) {
      for (const child of node.children) walk(child);
      return;
    }
    if (node.contentType.type !== 'text') return;
    const data = transferDecode(raw.subarray(node.bodyStart, node.end), node.encoding);
    out.push(decodeCharset(data, node.contentType.params.charset));
  };
  walk(root);
  return out.join('\n');
}
