// Messages as SEARCH sees them (imap/search/types.ts): flags, dates and sizes straight from the
// records; the header and text read and decoded only when a key asks, once per message.
import libmime from 'libmime';
import { fieldValue, splitMessage } from '../mail/header-block.js';
import { parseMimeTree } from '../mail/mime/parse.js';
import { messageText } from '../mail/text.js';
import type { Store } from '../store/store.js';
import type { MessageRecord } from '../store/types.js';
import type { SearchableMessage } from './search/types.js';
import type { Resolved, SelectedMailbox } from './selected.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The calendar day a Date field names, in its own zone (RFC 5322 §3.3): "YYYY-MM-DD". */
export function dayOfDateField(value: string): string | null {
  const match = /(\d{1,2})\s+([A-Za-z]{3})\w*\s+(\d{2,4})/.exec(value);
  if (!match) return null;
  const month = MONTHS.indexOf(match[2]!.toLowerCase());
  if (month < 0) return null;
  let year = Number(match[3]);
  // RFC 5322 §4.3: two-digit years.
  if (match[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${match[1]!.padStart(2, '0')}`;
}

const decode = (value: string): string => {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
};

export class StoredMessage implements SearchableMessage {
  readonly seq: number;
  readonly uid: number;
  readonly flags: readonly string[];
  readonly recent: boolean;
  readonly internalDate: number;
  readonly size: number;
  readonly modseq: number;
  private raw: Buffer | undefined;
  private headers: Map<string, string[]> | undefined;
  private text: string | undefined;

  constructor(
    resolved: Resolved,
    private readonly record: MessageRecord,
    private readonly store: Store,
    recent: boolean,
  ) {
    this.seq = resolved.seq;
    this.uid = resolved.uid;
    this.flags = record.flags;
    this.recent = recent;
    this.internalDate = record.internalDate;
    this.size = record.size;
    this.modseq = record.modseq;
  }

  headerValues(field: string): string[] {
    if (!this.headers) {
      this.headers = new Map();
      for (const { key, line } of splitMessage(this.bytes()).headers.getList()) {
        if (!key) continue;
        const list = this.headers.get(key) ?? [];
        list.push(decode(fieldValue(line)));
        this.headers.set(key, list);
      }
    }
    return this.headers.get(field.toLowerCase()) ?? [];
  }

  sentDay(): string | null {
    const date = this.headerValues('date')[0];
    return date === undefined ? null : dayOfDateField(date);
  }

  bodyText(): string {
    if (this.text === undefined) {
      const raw = this.bytes();
      this.text = messageText(raw, parseMimeTree(raw));
    }
    return this.text;
  }

  fullText(): string {
    this.headerValues('');
    const header = [...this.headers!.entries()].flatMap(([key, values]) => values.map((v) => `${key}: ${v}`)).join('\n');
    return `${header}\n${this.bodyText()}`;
  }

  private bytes(): Buffer {
    return (this.raw ??= this.store.mail.readMessage(this.record.id) ?? Buffer.alloc(0));
  }
}

/** The selected mailbox's messages for evaluation, in sequence order, bodies not yet read. */
export function searchableMessages(store: Store, mailbox: SelectedMailbox, messages: Resolved[]): SearchableMessage[] {
  const records = new Map(store.mail.listMessages(mailbox.folderId).map((r) => [r.uid, r]));
  return messages.flatMap((m) => {
    const record = records.get(m.uid);
    return record ? [new StoredMessage(m, record, store, mailbox.recent.has(m.uid))] : [];
  });
}
