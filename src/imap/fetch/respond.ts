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

/** `seq FETCH (…)` without the leading "* " and the CRLF; literals included. */
export function fetchResponse(seq: number, items: readonly FetchItem[], source: FetchSource, byUid: boolean): Buffer {
  const parts: Buffer[] = [];
  const add = (name: string, value: Buffer) => parts.push(Buffer.from(`${name} `), value);
  const value = (v: ImapValue) => encodeValue(v);
  // RFC 3501 §6.4.8: UID FETCH always returns the UID.
  const wanted = byUid && !items.some((i) => i.kind === 'UID') ? [{ kind: 'UID' } as FetchItem, ...items] : items;
  const { record } = source;
  for (const item of wanted) {
    switch (item.kind) {
      case 'UID':
        add('UID', Buffer.from(String(record.uid)));
        break;
      case 'FLAGS':
        add('FLAGS', Buffer.from(`(${source.flags.join(' ')})`));
        break;
      case 'INTERNALDATE':
        add('INTERNALDATE', Buffer.from(`"${formatDateTime(record.internalDate)}"`));
        break;
      case 'RFC822.SIZE':
        add('RFC822.SIZE', Buffer.from(String(record.size)));
        break;
      case 'MODSEQ':
        add('MODSEQ', Buffer.from(`(${record.modseq})`));
        break;
      case 'ENVELOPE':
        add('ENVELOPE', value(source.structure().envelope as ImapValue));
        break;
      case 'BODY':
        add('BODY', value(source.structure().body as ImapValue));
        break;
      case 'BODYSTRUCTURE':
        add('BODYSTRUCTURE', value(source.structure().bodyStructure as ImapValue));
        break;
      case 'RFC822': {
        const raw = source.raw();
        const data =
          item.which === ''
            ? raw
            : (sectionBytes(raw, source.tree(), { part: [], text: item.which === '.HEADER' ? 'HEADER' : 'TEXT' }) ?? Buffer.alloc(0));
        add(`RFC822${item.which}`, quoteOrLiteral(withoutNul(data)));
        break;
      }
      case 'SECTION': {
        const data = body(source, item);
        const name = `BODY[${sectionName(item.section)}]${item.partial ? `<${item.partial.origin}>` : ''}`;
        add(name, data === null ? EMPTY : quoteOrLiteral(withoutNul(partial(data, item.partial))));
        break;
      }
    }
    parts.push(Buffer.from(' '));
  }
  parts.pop();
  return Buffer.concat([Buffer.from(`${seq} FETCH (`), ...parts, Buffer.from(')')]);
}
