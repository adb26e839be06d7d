// A message as a reader sees it: the body to show (HTML, else plain text), a short snippet, and
// the attachments, each with the bytes it decodes to. Synchronous and built on the MIME tree the
// IMAP side already uses (mime/parse.ts), so the API and webhooks never parse a message another way.
import libmime from 'libmime';
import { removeElements, splitAtLastTag } from './html-elements.js';
import { parseDisposition } from './mime/content-type.js';
import { firstValue, headerFields } from './mime/header.js';
import { parseMimeTree } from './mime/parse.js';
import type { MimeNode } from './mime/types.js';
import { decodeCharset, transferDecode } from './text.js';

export interface MessagePart {
  /** The IMAP section number of the part ("1", "2.1"): stable for a given message. */
  path: string;
  contentType: string;
  filename: string;
  /** Decoded size in bytes. */
  size: number;
  /** Shown inside the body (an image the HTML refers to by Content-ID) rather than attached. */
  isInline: boolean;
  /** Content-ID without angle brackets. */
  contentId: string | null;
  node: MimeNode;
}

export interface ReadableMessage {
  /** HTML when the message has an HTML part, else the plain text. */
  body: string;
  isHtml: boolean;
  /** The first ~200 characters of the text, whitespace collapsed. */
  snippet: string;
  attachments: MessagePart[];
  /** The plain-text body parts, joined ("" when the message has none). */
  text: string;
  /** The HTML body parts, joined, or null when the message has none. */
  html: string | null;
}

const SNIPPET_LENGTH = 200;

const decodeWords = (value: string): string => {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
};

/** The size a part's body decodes to, without decoding base64 (the common case for files). */
function decodedSize(raw: Buffer, node: MimeNode): number {
  const data = raw.subarray(node.bodyStart, node.end);
  if (node.encoding === 'base64') {
    const text = data.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, '');
    const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
    return Math.max(0, Math.floor((text.length * 3) / 4) - padding);
  }
  if (node.encoding === 'quoted-printable') return transferDecode(data, node.encoding).length;
  return data.length;
}

/** The bytes of a part as its sender attached them (transfer encoding undone). */
export function partContent(raw: Buffer, part: MessagePart): Buffer {
  return transferDecode(raw.subarray(part.node.bodyStart, part.node.end), part.node.encoding);
}

/** A text part's decoded text, without the line break that ends the last line (MIME adds one). */
function partText(raw: Buffer, node: MimeNode): string {
  return decodeCharset(transferDecode(raw.subarray(node.bodyStart, node.end), node.encoding), node.contentType.params.charset).replace(/\r?\n$/, '');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Text of an HTML body, roughly: enough for a snippet. */
export function htmlToText(html: string): string {
  // Linear in the input, however hostile (src/mail/html-elements.ts): a snippet is made for
  // every message listed.
  const { tags, text } = splitAtLastTag(html);
  return `${removeElements(tags, ['script', 'style', 'head', 'title'], ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')}${text}`
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16) || 0x20);
      if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10) || 0x20);
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
}

/** The body parts and attachments of a message, in document order. */
export function readMessage(raw: Buffer): ReadableMessage {
  const root = parseMimeTree(raw);
  const html: string[] = [];
  const text: string[] = [];
  const attachments: MessagePart[] = [];

  const visit = (node: MimeNode, path: string) => {
    if (node.contentType.type === 'multipart' && node.children.length > 0) {
      node.children.forEach((child, i) => visit(child, path === '' ? String(i + 1) : `${path}.${i + 1}`));
      return;
    }
    const leafPath = path === '' ? '1' : path;
    const fields = headerFields(raw, node.start, node.bodyStart);
    const disposition = parseDisposition(firstValue(raw, fields, 'content-disposition'));
    const rawId = firstValue(raw, fields, 'content-id');
    const contentId = rawId ? rawId.replace(/^\s*<|>\s*$/g, '').trim() || null : null;
    const name = disposition?.params.filename ?? node.contentType.params.name ?? '';
    const { type, subtype } = node.contentType;
    const isBodyText = type === 'text' && (subtype === 'plain' || subtype === 'html') && disposition?.type !== 'attachment' && name === '';
    // The root of a message is its body even when it names itself a file.
    if (isBodyText || (path === '' && type === 'text' && disposition?.type !== 'attachment')) {
      (subtype === 'html' ? html : text).push(partText(raw, node));
      return;
    }
    attachments.push({
      path: leafPath,
      contentType: `${type}/${subtype}`,
      filename: decodeWords(name),
      size: decodedSize(raw, node),
      isInline: disposition?.type !== 'attachment' && contentId !== null,
      contentId,
      node,
    });
  };
  // A message/rfc822 part is attached whole: visit() does not descend into it.
  visit(root, '');

  const isHtml = html.length > 0;
  const body = isHtml ? html.join('\n') : text.join('\n');
  const plain = text.length > 0 ? text.join('\n') : htmlToText(body);
  const collapsed = plain.replace(/\s+/g, ' ').trim();
  const snippet = [...collapsed].slice(0, SNIPPET_LENGTH).join('').trimEnd();
  return { body, isHtml, snippet, attachments, text: text.join('\n'), html: isHtml ? html.join('\n') : null };
}
