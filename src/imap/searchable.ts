// Messages as SEARCH sees them (imap/search/types.ts): flags, dates and sizes straight from the
// records; the header and text read and decoded only when a key asks, once per message.
import { splitMessage } from '../mail/header-block.js';
import { dayOfDateField, decodeField } from '../mail/search-fields.js';
import { parseMimeTree } from '../mail/mime/parse.js';
import { messageText } from '../mail/text.js';
import type { Store } from '../store/store.js';
import type { MessageRecord } from '../store/types.js';
import type { SearchableMessage } from './search/types.js';
import type { Resolved, SelectedMailbox } from './selected.js';

export class StoredMessage implements SearchableMessage {
  readonly seq: number;
  readonly uid: number;
  readonly flags: readonly string[];
  readonly recent: boolean;
  readonly internalDate: number;
  readonly size: number;
  readonly modseq: number;
  private raw: Buffer | undefined;
  /** Raw header lines by lower-cased field name, in message order. */
  private lines: Map<string, string[]> | undefined;
  /** Decoded values, per field as asked. */
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
    if (!this.lines) {
      // Split once; decode a field's values only when a key asks for that field (SEARCH SUBJECT
      // decodes the Subject, not every Received line of every message).
      this.lines = new Map();
      for (const { key, line } of splitMessage(this.bytes()).headers.getList()) {
        if (!key) continue;
        const list = this.lines.get(key);
        if (list) list.push(line);
        else this.lines.set(key, [line]);
      }
      this.headers = new Map();
    }
    const name = field.toLowerCase();
    let values = this.headers!.get(name);
    if (values === undefined) {
      values = (this.lines.get(name) ?? []).map(decodeField);
      this.headers!.set(name, values);
    }
    return values;
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
    const header = [...this.lines!.keys()].flatMap((key) => this.headerValues(key).map((v) => `${key}: ${v}`)).join('\n');
    return `${header}\n${this.bodyText()}`;
  }

  private bytes(): Buffer {
    return (this.raw ??= this.store.mail.readMessage(this.record.id) ?? Buffer.alloc(0));
  }
}

/** The selected mailbox's messages for evaluation, in sequence order, bodies not yet read. */
export function searchableMessages(store: Store, mailbox: SelectedMailbox, messages: Resolved[]): SearchableMessage[] {
  // Both ascend by UID: walk them together (no map of every record by UID). A few candidates
  // (what the index let through) are read by UID; most of the folder, in one scan.
  const records =
    messages.length * 2 < mailbox.exists
      ? store.mail.getMessages(
          mailbox.folderId,
          messages.map((m) => m.uid),
        )
      : store.mail.listMessages(mailbox.folderId);
  const out: SearchableMessage[] = [];
  let r = 0;
  for (const m of messages) {
    while (r < records.length && records[r]!.uid < m.uid) r++;
    const record = records[r];
    if (record === undefined) break;
    if (record.uid === m.uid) out.push(new StoredMessage(m, record, store, mailbox.recent.has(m.uid)));
  }
  return out;
}
