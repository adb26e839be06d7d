// One message's FETCH response (RFC 3501 §7.4.2): the items in the order asked, each from the
// cheapest source — flags, dates and sizes from the message record; ENVELOPE and BODYSTRUCTURE
// from what was computed when the message was stored; bytes only for body sections.
import type { MimeNode } from '../../mail/mime/types.js';
import { section as sectionBytes } from '../../mail/mime/section.js';
import type { MessageRecord, MessageStructure } from '../../store/types.js';
import { encodeValue, quoteOrLiteral } from '../protocol/encoder.js';
import { formatDateTime } from '../protocol/grammar.js';
import type { ImapValue } from '../protocol/types.js';
import { type FetchItem, sectionName } from './items.js';

export interface FetchSource {
  record: MessageRecord;
  /** Flags as the session shows them (with \Recent where it holds it). */
  flags: string[];
  structure(): MessageStructure;
  raw(): Buffer;
  tree(): MimeNode;
}

const EMPTY = Buffer.from('""');

function body(source: FetchSource, item: Extract<FetchItem, { kind: 'SECTION' }>): Buffer | null {
  const { part, text, fields } = item.section;
  if (part.length === 0 && !text) return source.raw();
  return sectionBytes(source.raw(), source.tree(), { part, ...(text ? { text } : {}), ...(fields ? { fields } : {}) });
}

/**
 * RFC 3501 §9: a literal carries CHAR8, which excludes NUL. A stored NUL (APPEND accepts what
 * it gets) goes out as 0x80, as Dovecot does, so the response stays valid.
 */
function withoutNul(data: Buffer): Buffer {
  if (!data.includes(0)) return data;
  const copy = Buffer.from(data);
  for (let i = copy.indexOf(0); i !== -1; i = copy.indexOf(0, i + 1)) copy[i] = 0x80;
  return copy;
}

function partial(data: Buffer, range: { origin: number; length: number } | undefined): Buffer {
  if (!range) return data;
  // RFC 3501 §6.4.5: from the origin, at most length octets; past the end, an empty string.
  return data.subarray(Math.min(range.origin, data.length), Math.min(range.origin + range.length, data.length));
}

/** Appends the text so far with `name `, then the value; the text goes on after a space. */
function add(parts: Buffer[], text: string, name: string, value: Buffer): string {
  parts.push(Buffer.from(`${text}${name} `, 'utf8'), value);
  return ' ';
}

/** `seq FETCH (…)` without the leading "* " and the CRLF; literals included. */
export function fetchResponse(seq: number, items: readonly FetchItem[], source: FetchSource, byUid: boolean): Buffer {
  // Items from the record are text; only encoded values and body data are Buffers. Text runs
  // are joined as strings and turned into bytes once (FETCH 1:* (FLAGS) makes one per message).
  const parts: Buffer[] = [];
  let text = `${seq} FETCH (`;
  // RFC 3501 §6.4.8: UID FETCH always returns the UID.
  const wanted = byUid && !items.some((i) => i.kind === 'UID') ? [{ kind: 'UID' } as FetchItem, ...items] : items;
  const { record } = source;
  let first = true;
  for (const item of wanted) {
    if (!first && text !== ' ') text += ' ';
    first = false;
    switch (item.kind) {
      case 'UID':
        text += `UID ${record.uid}`;
        break;
      case 'FLAGS':
        text += `FLAGS (${source.flags.join(' ')})`;
        break;
      case 'INTERNALDATE':
        text += `INTERNALDATE "${formatDateTime(record.internalDate)}"`;
        break;
      case 'RFC822.SIZE':
        text += `RFC822.SIZE ${record.size}`;
        break;
      case 'MODSEQ':
        text += `MODSEQ (${record.modseq})`;
        break;
      case 'ENVELOPE':
        text = add(parts, text, 'ENVELOPE', encodeValue(source.structure().envelope as ImapValue));
        break;
      case 'BODY':
        text = add(parts, text, 'BODY', encodeValue(source.structure().body as ImapValue));
        break;
      case 'BODYSTRUCTURE':
        text = add(parts, text, 'BODYSTRUCTURE', encodeValue(source.structure().bodyStructure as ImapValue));
        break;
      case 'RFC822': {
        const raw = source.raw();
        const data =
          item.which === ''
            ? raw
            : (sectionBytes(raw, source.tree(), { part: [], text: item.which === '.HEADER' ? 'HEADER' : 'TEXT' }) ?? Buffer.alloc(0));
        text = add(parts, text, `RFC822${item.which}`, quoteOrLiteral(withoutNul(data)));
        break;
      }
      case 'SECTION': {
        const data = body(source, item);
        const name = `BODY[${sectionName(item.section)}]${item.partial ? `<${item.partial.origin}>` : ''}`;
        text = add(parts, text, name, data === null ? EMPTY : quoteOrLiteral(withoutNul(partial(data, item.partial))));
        break;
      }
    }
  }
  text = text === ' ' ? ')' : `${text})`;
  if (parts.length === 0) return Buffer.from(text, 'utf8');
  parts.push(Buffer.from(text, 'utf8'));
  return Buffer.concat(parts);
}
