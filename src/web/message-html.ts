// Serving a message's own content to the browser: its HTML part as a document of its own, and
// its attachments as downloads. Mail is hostile input, so the guards are in layers:
//
// 1. The dashboard shows the HTML only inside `<iframe sandbox="">` (inbox-message.ts): an empty
//    sandbox runs no script and gives the document an opaque origin, so even a script that got
//    through could not read the dashboard's cookies or pages.
// 2. The document is served with its own Content-Security-Policy: nothing loads but inline
//    styles and data:/cid: images (remote images only after "Load remote content", which
//    would otherwise tell the sender when and where the mail was read), no forms, no base URL,
//    framed by the dashboard only, and no Referer to whatever a link or image points at.
// 3. As defence in depth only, scripts, frames, plug-ins, <base>, <meta>, <link>, event-handler
//    attributes and javascript: URLs are stripped. This is not a sanitizer to rely on: (1) and
//    (2) are what keep a message from running code.
//
// Attachments are always downloads (Content-Disposition: attachment, nosniff, a sandboxing
// CSP) and keep their declared type only when a browser cannot run it (raster images, PDF).
import type { FastifyReply } from 'fastify';
import { removeElements, splitAtLastTag } from '../mail/html-elements.js';
import { type MessagePart, partContent } from '../mail/parts.js';

/** The policy of the message frame; `remote` lets images come from anywhere. */
export function messageHtmlCsp(remote: boolean): string {
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    remote ? 'img-src https: http: data:' : 'img-src data: cid:',
    'font-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    // Opened on its own (not in the dashboard's frame), the page is still sandboxed: an opaque
    // origin with no script, so it can never reach the dashboard's cookies or storage.
    'sandbox',
  ].join('; ');
}

/** Elements removed with everything inside them. */
const CONTAINERS = ['script', 'iframe', 'frameset', 'frame', 'object', 'embed', 'applet', 'noembed', 'noframes', 'template'];
/** Tags removed (content kept, if any). */
const TAGS = [...CONTAINERS, 'base', 'meta', 'link'];

const TAG_RE = new RegExp(`<\\/?(?:${TAGS.join('|')})\\b[^>]*>`, 'gi');
const EVENT_ATTRIBUTE_RE = /([\s"'/])on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*)/gi;
const URL_ATTRIBUTE_RE = /([\s"'/](?:href|src|action|formaction|xlink:href|background|poster|data)\s*=\s*)("[^"]*"|'[^']*'|[^\s>]*)/gi;

/** Whether a URL (as written in an attribute) would run script: javascript:, vbscript:, data:text/html. */
function scriptUrl(value: string): boolean {
  const decoded = value
    .replace(/^["']|["']$/g, '')
    .replace(/&#x([0-9a-f]+);?/gi, (_m, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16) || 0x20))
    .replace(/&#(\d+);?/g, (_m, dec: string) => String.fromCodePoint(Number.parseInt(dec, 10) || 0x20))
    .replace(/&(colon|tab|newline);/gi, (_m, name: string) => (name.toLowerCase() === 'colon' ? ':' : ''))
    .replace(/[\u0000-\u0020\u007f]+/g, '')
    .toLowerCase();
  return decoded.startsWith('javascript:') || decoded.startsWith('vbscript:') || decoded.startsWith('data:text/html');
}

/** Defence in depth (see the top of this file): the CSP and the sandbox are the real guard. */
export function stripActiveContent(input: string): string {
  // Linear in the input (src/mail/html-elements.ts): no tag ends after the last '>', so what
  // follows is text, its '<' escaped (a browser drops a tag cut off by the end anyway).
  const { tags, text } = splitAtLastTag(input);
  let html = tags;
  const tail = text.replaceAll('<', '&lt;');
  // Repeat until nothing changes: removing one tag must not join the halves of another.
  for (let round = 0; round < 10; round++) {
    const before = html;
    html = removeElements(html, CONTAINERS).replace(TAG_RE, '');
    html = html.replace(/<[a-z][^>]*>/gi, (tag) =>
      tag.replace(EVENT_ATTRIBUTE_RE, '$1').replace(URL_ATTRIBUTE_RE, (whole, name: string, value: string) => (scriptUrl(value) ? `${name}"#"` : whole)),
    );
    if (html === before) break;
  }
  return html + tail;
}

/** Inline images a message refers to as cid:… become data: URLs (a browser cannot fetch cid:). */
const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const INLINE_IMAGE_MAX = 2 * 1024 * 1024;

function inlineImages(html: string, raw: Buffer, parts: readonly MessagePart[]): string {
  const byCid = new Map<string, MessagePart>();
  for (const part of parts) if (part.contentId && INLINE_IMAGE_TYPES.has(part.contentType) && part.size <= INLINE_IMAGE_MAX) byCid.set(part.contentId, part);
  if (byCid.size === 0) return html;
  const cache = new Map<string, string>();
  return html.replace(/cid:([^"'\s)>]+)/gi, (whole, id: string) => {
    let key = id;
    try {
      key = decodeURIComponent(id);
    } catch {
      // Not percent-encoded after all.
    }
    const part = byCid.get(key);
    if (!part) return whole;
    let url = cache.get(key);
    if (url === undefined) {
      url = `data:${part.contentType};base64,${partContent(raw, part).toString('base64')}`;
      cache.set(key, url);
    }
    return url;
  });
}

/** The document the message frame shows: the HTML part, stripped, with inline images in place. */
export function messageHtmlDocument(html: string, raw: Buffer, parts: readonly MessagePart[]): string {
  const body = inlineImages(stripActiveContent(html), raw, parts);
  if (/^\s*(<!doctype|<html)/i.test(body)) return body;
  return `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:system-ui,sans-serif;margin:8px;overflow-wrap:anywhere}</style></head><body>${body}</body></html>`;
}

/** Sends the message frame's document with its own headers (not the dashboard's). */
export function sendMessageHtml(reply: FastifyReply, document: string, remote: boolean): void {
  const body = Buffer.from(document, 'utf8');
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': body.length,
    'content-security-policy': messageHtmlCsp(remote),
    'x-frame-options': 'SAMEORIGIN',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  reply.raw.end(body);
}

/** Types a browser shows but cannot run; anything else is sent as opaque bytes. */
const HARMLESS_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);

export const downloadType = (contentType: string): string => (HARMLESS_TYPES.has(contentType.toLowerCase()) ? contentType.toLowerCase() : 'application/octet-stream');

/** A file name safe on every system: no path, no control or reserved characters, not empty. */
export function safeFilename(name: string, fallback = 'attachment'): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"*:<>?|]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 200);
  return cleaned === '' ? fallback : cleaned;
}

/** `attachment; filename="…"` with an RFC 6266 / RFC 8187 `filename*` for non-ASCII names. */
export function attachmentDisposition(filename: string): string {
  const safe = safeFilename(filename);
  const ascii = safe.replace(/[^\x20-\x7e]/g, '_').replace(/[%\\]/g, '_');
  if (ascii === safe) return `attachment; filename="${ascii}"`;
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Sends an attachment as a download. */
export function sendAttachment(reply: FastifyReply, raw: Buffer, part: MessagePart): void {
  const bytes = partContent(raw, part);
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': downloadType(part.contentType),
    'content-length': bytes.length,
    'content-disposition': attachmentDisposition(part.filename || `part-${part.path}`),
    'x-content-type-options': 'nosniff',
    // Should a browser render it anyway: no script, no loads, an opaque origin.
    'content-security-policy': "default-src 'none'; sandbox",
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  reply.raw.end(bytes);
}
