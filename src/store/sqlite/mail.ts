// MailStore on SQLite: folders and messages of one account at a time. Every write is one
// transaction that advances the folder's MODSEQ and reports what it changed on the bus.
import { NotFoundError } from '../../errors.js';
import type { MailStore } from '../store.js';
import type {
  DeliveryReceipt,
  FilterResult,
  FlagIndex,
  FlagOperation,
  FlagUpdateResult,
  Folder,
  MessageFilter,
  MessagePosition,
  MessageQuery,
  MessageRecord,
  MessageSearchText,
  MessageStructure,
  NewDelivery,
  NewMessage,
  SpecialUse,
} from '../types.js';
import { BODY_BASE_JOIN, BODY_PARTS, bodyBytes, insertBody, insertDerivedBody, releaseBodies } from './bodies.js';
import type { Db } from './database.js';
import { FolderCache, lowerBound } from './folder-cache.js';
import { flagIndex, parseNumbers, searchFolder } from './folder-index.js';
import { judgedInMemory, searchInMemory } from './memory-filter.js';
import { FOLDER_COLUMNS, createFolder, nextUidValidity, subscribe } from './folders.js';
import { insertMessage, messageSnapshot } from './messages.js';
import { insertQueueEntry } from './queue.js';
import { type FolderRow, type MessageRow, MESSAGE_COLUMNS, type SearchColumns, flagsOf, searchOf, toFolder, toMessage } from './rows.js';
import { type Emit, type Write, nowSeconds } from './writer.js';


const SYSTEM_FLAGS = ['seen', 'answered', 'flagged', 'deleted', 'draft'] as const;

/** What removing a message needs to know, and to tell in its event. */
const REMOVED_COLUMNS = 'id, public_id, thread_id, uid, body_id';
interface RemovedRow {
  id: number;
  public_id: string | null;
  thread_id: string | null;
  uid: number;
  body_id: number;
}

/** The flags a message has after an operation (RFC 3501 §6.4.6 FLAGS, +FLAGS, -FLAGS). */
function applyFlags(current: readonly string[], op: FlagOperation, flags: readonly string[]): string[] {
  const has = (list: readonly string[], f: string) => list.some((x) => x.toLowerCase() === f.toLowerCase());
  if (op === 'replace') return flags.filter((f, i) => flags.findIndex((g) => g.toLowerCase() === f.toLowerCase()) === i);
  if (op === 'add') return [...current, ...flags.filter((f, i) => !has(current, f) && flags.findIndex((g) => g.toLowerCase() === f.toLowerCase()) === i)];
  return current.filter((f) => !has(flags, f));
}

const sameFlags = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((f) => b.some((g) => g.toLowerCase() === f.toLowerCase()));

/** Whether the numbers never decrease. */
function ascending(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

export class SqliteMail implements MailStore {
  /** The index of the folders in use, in memory; it checks itself against the folder on each use. */
  private readonly cache: FolderCache;

  constructor(
    private readonly db: Db,
    private readonly write: Write,
  ) {
    this.cache = new FolderCache(db);
  }

  // ---- folders ----

  listMailboxes(accountId: string): Folder[] {
    const rows = this.db.prepare(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE account_id = ? ORDER BY name`).all(accountId) as FolderRow[];
    return rows.map(toFolder);
  }

  getMailbox(accountId: string, name: string): Folder | undefined {
    const row = this.folderRow(accountId, name);
    return row && toFolder(row);
  }

  getMailboxById(accountId: string, folderId: number): Folder | undefined {
    const row = this.db.prepare(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE id = ? AND account_id = ?`).get(folderId, accountId) as FolderRow | undefined;
    return row && toFolder(row);
  }

  createMailbox(accountId: string, name: string, specialUse: SpecialUse | null = null): Folder {
    return this.write((emit) => {
      const existing = this.folderRow(accountId, name);
      const now = nowSeconds();
      let id: number;
      if (existing) {
        // A \Noselect placeholder becomes a real mailbox again, with a new UIDVALIDITY.
        this.db
          .prepare('UPDATE folders SET noselect = 0, special_use = ?, uid_validity = ?, uid_next = 1 WHERE id = ?')
          .run(specialUse, nextUidValidity(this.db), existing.id);
        subscribe(this.db, accountId, name);
        id = existing.id;
      } else {
        id = createFolder(this.db, accountId, { name, specialUse }, now);
      }
      emit({ type: 'folder.created', applicationId: this.applicationOf(accountId), accountId, folderId: id }, { id, name });
      return toFolder(this.db.prepare(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE id = ?`).get(id) as FolderRow);
    });
  }

  deleteMailbox(accountId: string, folderId: number, keepAsPlaceholder: boolean): void {
    this.write((emit) => {
      const folder = this.requireFolder(accountId, folderId);
      const bodies = this.bodiesOf(folderId);
      if (keepAsPlaceholder) {
        this.db.prepare('DELETE FROM messages WHERE folder_id = ?').run(folderId);
        this.db.prepare('DELETE FROM expunged WHERE folder_id = ?').run(folderId);
        this.db.prepare('UPDATE folders SET noselect = 1, special_use = NULL WHERE id = ?').run(folderId);
      } else {
        this.db.prepare('DELETE FROM folders WHERE id = ?').run(folderId);
      }
      releaseBodies(this.db, bodies);
      emit({ type: 'folder.deleted', applicationId: this.applicationOf(accountId), accountId, folderId }, { id: folderId, name: folder.name });
    });
  }

  renameMailbox(accountId: string, folderId: number, newName: string): void {
    this.write((emit) => {
      const folder = this.requireFolder(accountId, folderId);
      const rename = this.db.prepare('UPDATE folders SET name = ? WHERE id = ?');
      // Inferior names move with it (RFC 3501 §6.3.5).
      const children = this.db
        .prepare("SELECT id, name FROM folders WHERE account_id = ? AND substr(name, 1, ?) = ? ORDER BY length(name)")
        .all(accountId, folder.name.length + 1, `${folder.name}/`) as { id: number; name: string }[];
      // Subscriptions follow the names they were made for, as Thunderbird expects after a rename.
      const follow = this.db.prepare('UPDATE OR REPLACE subscriptions SET name = ? WHERE account_id = ? AND name = ?');
      rename.run(newName, folderId);
      follow.run(newName, accountId, folder.name);
      for (const child of children) {
        const childName = `${newName}${child.name.slice(folder.name.length)}`;
        rename.run(childName, child.id);
        follow.run(childName, accountId, child.name);
      }
      const applicationId = this.applicationOf(accountId);
      for (const id of [folderId, ...children.map((c) => c.id)]) {
        emit({ type: 'folder.updated', applicationId, accountId, folderId: id }, { id, name: newName });
      }
    });
  }

  listSubscriptions(accountId: string): string[] {
    const rows = this.db.prepare('SELECT name FROM subscriptions WHERE account_id = ? ORDER BY name').all(accountId) as { name: string }[];
    return rows.map((r) => r.name);
  }

  setSubscribed(accountId: string, name: string, subscribed: boolean): void {
    this.write(() => {
      if (subscribed) subscribe(this.db, accountId, name);
      else this.db.prepare('DELETE FROM subscriptions WHERE account_id = ? AND name = ?').run(accountId, name);
    });
  }

  // ---- messages ----

  appendMessage(accountId: string, folderId: number, message: NewMessage): MessageRecord {
    return this.write((emit) => {
      const folder = this.requireFolder(accountId, folderId);
      return insertMessage(
        this.db,
        {
          accountId,
          folder,
          bodyId: insertBody(this.db, message.raw),
          size: message.raw.length,
          flags: message.flags ?? [],
          internalDate: message.internalDate ?? new Date(),
          summary: message.summary,
          structure: message.structure,
          search: message.search,
        },
        emit,
      );
    });
  }

  deliver(delivery: NewDelivery): DeliveryReceipt {
    return this.write((emit) => {
      // Only bodies something refers to are stored (and the bases of those derived from one).
      const used = new Set([...delivery.copies.map((c) => c.body), ...delivery.outbound.map((o) => o.body)]);
      for (const i of [...used]) {
        const body = delivery.bodies[i]!;
        if (!Buffer.isBuffer(body)) used.add(body.base);
      }
      const sizeOf = (i: number): number => {
        const body = delivery.bodies[i]!;
        return Buffer.isBuffer(body) ? body.length : body.prefix.length + sizeOf(body.base);
      };
      // Plain bodies first: derived ones refer to them.
      const bodyIds: number[] = delivery.bodies.map((body, i) => (used.has(i) && Buffer.isBuffer(body) ? insertBody(this.db, body) : -1));
      delivery.bodies.forEach((body, i) => {
        if (used.has(i) && !Buffer.isBuffer(body)) bodyIds[i] = insertDerivedBody(this.db, body.prefix, bodyIds[body.base]!, sizeOf(body.base));
      });
      const messages = delivery.copies.map((copy) => {
        const folder = this.folderRow(copy.accountId, copy.folder);
        if (!folder) throw new NotFoundError(`folder ${copy.folder} of account ${copy.accountId} not found`);
        return insertMessage(
          this.db,
          {
            accountId: copy.accountId,
            folder,
            bodyId: bodyIds[copy.body]!,
            size: sizeOf(copy.body),
            flags: copy.flags,
            internalDate: delivery.internalDate,
            summary: copy.summary,
            structure: copy.structure,
            search: copy.search,
          },
          emit,
        );
      });
      const queued = delivery.outbound.map((entry) =>
        insertQueueEntry(this.db, entry, bodyIds[entry.body]!, sizeOf(entry.body)),
      );
      return { messages, queued };
    });
  }

  mailboxStatus(folderId: number): { messages: number; recent: number; unseen: number; size: number } {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS messages, COALESCE(SUM(recent), 0) AS recent, COALESCE(SUM(1 - seen), 0) AS unseen, COALESCE(SUM(size), 0) AS size
         FROM messages WHERE folder_id = ?`,
      )
      .get(folderId) as { messages: number; recent: number; unseen: number; size: number };
    return row;
  }

  listMessages(folderId: number): MessageRecord[] {
    const rows = this.db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE folder_id = ? ORDER BY uid`).all(folderId) as MessageRow[];
    return rows.map(toMessage);
  }

  getMessages(folderId: number, uids: readonly number[], changedSince = 0): MessageRecord[] {
    if (uids.length === 0) return [];
    if (changedSince > 0 && uids.length > 500) {
      // CHANGEDSINCE over many UIDs: the (folder_id, modseq) index finds the few changed ones.
      const wanted = new Set(uids);
      const changed = this.db
        .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE folder_id = ? AND modseq > ? ORDER BY uid`)
        .all(folderId, changedSince) as MessageRow[];
      return changed.filter((r) => wanted.has(r.uid)).map(toMessage);
    }
    if (uids.length <= 500) {
      const rows = this.db
        .prepare(
          `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE folder_id = ? AND uid IN (SELECT value FROM json_each(?)) AND +modseq > ? ORDER BY uid`,
        )
        .all(folderId, JSON.stringify(uids), changedSince) as MessageRow[];
      return rows.map(toMessage);
    }
    // Many UIDs (FETCH 1:*): one range scan of the (folder_id, uid) index, then keep the wanted
    // ones — far cheaper than a lookup per UID.
    let low = Infinity;
    let high = 0;
    for (const uid of uids) {
      if (uid < low) low = uid;
      if (uid > high) high = uid;
    }
    const rows = this.db
      .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE folder_id = ? AND uid BETWEEN ? AND ? AND modseq > ? ORDER BY uid`)
      .all(folderId, low, high, changedSince) as MessageRow[];
    const out: MessageRecord[] = [];
    if (ascending(uids)) {
      // The usual case (a session's UIDs in order): walk both lists, no set of 100,000 UIDs.
      let u = 0;
      for (const row of rows) {
        while (u < uids.length && uids[u]! < row.uid) u++;
        if (u < uids.length && uids[u] === row.uid) out.push(toMessage(row));
      }
      return out;
    }
    const wanted = new Set(uids);
    for (const row of rows) if (wanted.has(row.uid)) out.push(toMessage(row));
    return out;
  }

  mailboxIndex(folderId: number): { uids: readonly number[]; recent: number[]; firstUnseen: number | null; keywords: string[] } {
    // The cache's array itself: it is never changed in place (the view copies on write).
    const uids = this.cache.get(folderId)?.uids ?? [];
    const recent = parseNumbers(
      this.db.prepare('SELECT group_concat(uid) FROM messages WHERE folder_id = ? AND recent = 1').pluck().get(folderId) as string | null,
    ).sort((a, b) => a - b);
    const firstUnseen = this.db
      .prepare('SELECT uid FROM messages WHERE folder_id = ? AND seen = 0 ORDER BY uid LIMIT 1')
      .pluck()
      .get(folderId) as number | undefined;
    // In order of first use, as a client would see them message by message.
    const lists = this.db
      .prepare("SELECT keywords FROM messages WHERE folder_id = ? AND keywords <> '[]' GROUP BY keywords ORDER BY min(uid)")
      .pluck()
      .all(folderId) as string[];
    const keywords = [...new Set(lists.flatMap((list) => JSON.parse(list) as string[]))];
    return { uids, recent, firstUnseen: firstUnseen ?? null, keywords };
  }

  flagIndex(folderId: number, low: number, high: number, opts?: { changedSince?: number | undefined; dates?: boolean; sizes?: boolean }): FlagIndex {
    // CHANGEDSINCE reads the few changed rows by their index; dates and sizes are not cached.
    if (opts?.changedSince || opts?.dates || opts?.sizes) return flagIndex(this.db, folderId, low, high, opts);
    const folder = this.cache.get(folderId);
    if (!folder) return { uids: [], modseqs: [], bits: [], keywords: new Map() };
    const from = lowerBound(folder.uids, low);
    const to = lowerBound(folder.uids, high + 1);
    // The keyword map is changed in place as the cache catches up: the FETCH gets its own.
    const keywords = new Map<number, string[]>();
    if (folder.keywords.size > 0) {
      for (const [uid, list] of folder.keywords) if (uid >= low && uid <= high) keywords.set(uid, list);
    }
    // The columns are never changed in place (the cache replaces them), so the whole folder —
    // `FETCH 1:*`, 100,000 messages — is handed out without a copy; a part is sliced.
    if (from === 0 && to === folder.uids.length) return { uids: folder.uids, modseqs: folder.modseqs, bits: folder.bits, keywords };
    return { uids: folder.uids.slice(from, to), modseqs: folder.modseqs.slice(from, to), bits: folder.bits.slice(from, to), keywords };
  }

  searchFolder(folderId: number, filter: MessageFilter, maxUid: number, wantModseq: boolean): FilterResult {
    // Flags, keywords, UIDs and MODSEQ are in the folder's in-memory index (memory-filter.ts).
    if (judgedInMemory(filter)) {
      const folder = this.cache.get(folderId);
      if (folder) return searchInMemory(folder, filter, maxUid, wantModseq);
    }
    return searchFolder(this.db, folderId, filter, maxUid, wantModseq);
  }

  messagesWithoutSearchText(limit: number): { id: number; raw: Buffer }[] {
    const rows = this.db
      .prepare(
        `SELECT m.id, ${BODY_PARTS} FROM messages m JOIN bodies b ON b.id = m.body_id ${BODY_BASE_JOIN}
         WHERE m.search_subject IS NULL ORDER BY m.id LIMIT ?`,
      )
      .all(limit) as ({ id: number } & Parameters<typeof bodyBytes>[0])[];
    return rows.map((row) => ({ id: row.id, raw: bodyBytes(row) }));
  }

  setSearchText(entries: readonly { id: number; search: MessageSearchText }[]): void {
    if (entries.length === 0) return;
    this.write(() => {
      const update = this.db.prepare(
        'UPDATE messages SET search_from = ?, search_to = ?, search_cc = ?, search_bcc = ?, search_subject = ?, sent_day = ? WHERE id = ?',
      );
      for (const { id, search: s } of entries) update.run(s.from, s.to, s.cc, s.bcc, s.subject, s.sentDay, id);
    });
  }

  uidsOlderThan(folderId: number, before: Date, limit: number): number[] {
    if (limit <= 0) return [];
    // internal_date is Unix milliseconds; messages_folder_date (folder_id, internal_date, id)
    // answers this with a range scan, in order, without sorting.
    return this.db
      .prepare('SELECT uid FROM messages WHERE folder_id = ? AND internal_date < ? ORDER BY internal_date, id LIMIT ?')
      .pluck()
      .all(folderId, before.getTime(), limit) as number[];
  }

  changedSince(folderId: number, modseq: number): MessageRecord[] {
    const rows = this.db
      .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE folder_id = ? AND modseq > ? ORDER BY uid`)
      .all(folderId, modseq) as MessageRow[];
    return rows.map(toMessage);
  }

  readMessage(messageId: number): Buffer | undefined {
    const row = this.db
      .prepare(`SELECT ${BODY_PARTS} FROM messages m JOIN bodies b ON b.id = m.body_id ${BODY_BASE_JOIN} WHERE m.id = ?`)
      .get(messageId) as Parameters<typeof bodyBytes>[0] | undefined;
    return row && bodyBytes(row);
  }

  messageStructure(messageId: number): MessageStructure | undefined {
    const row = this.db.prepare('SELECT envelope, body_structure FROM messages WHERE id = ?').get(messageId) as
      | { envelope: string | null; body_structure: string | null }
      | undefined;
    if (!row?.envelope || !row.body_structure) return undefined;
    const { body, bodyStructure } = JSON.parse(row.body_structure) as { body: unknown; bodyStructure: unknown };
    return { envelope: JSON.parse(row.envelope) as unknown, body, bodyStructure };
  }

  setStructure(messageId: number, structure: MessageStructure): void {
    this.db
      .prepare('UPDATE messages SET envelope = ?, body_structure = ? WHERE id = ?')
      .run(JSON.stringify(structure.envelope), JSON.stringify({ body: structure.body, bodyStructure: structure.bodyStructure }), messageId);
  }

  setFlags(
    accountId: string,
    folderId: number,
    uids: readonly number[],
    op: FlagOperation,
    flags: readonly string[],
    unchangedSince?: number,
  ): FlagUpdateResult {
    return this.write((emit) => {
      this.requireFolder(accountId, folderId);
      const messages = this.getMessages(folderId, uids);
      const conflicts: number[] = [];
      const changes: { message: MessageRecord; flags: string[] }[] = [];
      for (const message of messages) {
        // RFC 7162 §3.1.3: leave alone (and report) what changed since the client looked.
        if (unchangedSince !== undefined && message.modseq > unchangedSince) {
          conflicts.push(message.uid);
          continue;
        }
        const next = applyFlags(message.flags, op, flags);
        if (!sameFlags(next, message.flags)) changes.push({ message, flags: next });
      }
      if (changes.length === 0) return { updated: [], conflicts };
      const modseq = this.bumpModseq(folderId);
      const update = this.db.prepare(
        'UPDATE messages SET seen = ?, answered = ?, flagged = ?, deleted = ?, draft = ?, keywords = ?, modseq = ? WHERE id = ?',
      );
      const applicationId = this.applicationOf(accountId);
      const updated = changes.map(({ message, flags: next }) => {
        const lower = next.map((f) => f.toLowerCase());
        const columns = SYSTEM_FLAGS.map((c) => (lower.includes(`\\${c}`) ? 1 : 0));
        const keywords = next.filter((f) => !f.startsWith('\\'));
        update.run(...columns, JSON.stringify(keywords), modseq, message.id);
        const record: MessageRecord = { ...message, flags: this.canonical(next), modseq };
        emit(
          { type: 'message.updated', applicationId, accountId, folderId, uid: message.uid, messageId: message.id, modseq, flags: record.flags },
          messageSnapshot(record, { flags: record.flags }),
        );
        return record;
      });
      return { updated, conflicts };
    });
  }

  expunge(accountId: string, folderId: number, uids?: readonly number[]): number[] {
    return this.write((emit) => {
      this.requireFolder(accountId, folderId);
      const rows = (
        uids
          ? this.db
              .prepare(`SELECT ${REMOVED_COLUMNS} FROM messages WHERE folder_id = ? AND deleted = 1 AND uid IN (SELECT value FROM json_each(?))`)
              .all(folderId, JSON.stringify(uids))
          : this.db.prepare(`SELECT ${REMOVED_COLUMNS} FROM messages WHERE folder_id = ? AND deleted = 1`).all(folderId)
      ) as RemovedRow[];
      return this.removeRows(accountId, folderId, rows, emit);
    });
  }

  removeMessages(accountId: string, folderId: number, uids: readonly number[]): number[] {
    return this.write((emit) => this.removeUids(accountId, folderId, uids, emit));
  }

  copyMessages(accountId: string, fromFolderId: number, uids: readonly number[], toFolderId: number): { from: number; to: number }[] {
    return this.write((emit) => this.copyUids(accountId, fromFolderId, uids, toFolderId, emit, false));
  }

  private removeUids(accountId: string, folderId: number, uids: readonly number[], emit: Emit, movedTo?: number): number[] {
    this.requireFolder(accountId, folderId);
    const rows = this.db
      .prepare(`SELECT ${REMOVED_COLUMNS} FROM messages WHERE folder_id = ? AND uid IN (SELECT value FROM json_each(?))`)
      .all(folderId, JSON.stringify(uids)) as RemovedRow[];
    return this.removeRows(accountId, folderId, rows, emit, movedTo);
  }

  /** COPY (a new API id per copy) or the first half of MOVE (the API id carried over). */
  private copyUids(
    accountId: string,
    fromFolderId: number,
    uids: readonly number[],
    toFolderId: number,
    emit: Emit,
    move: boolean,
  ): { from: number; to: number }[] {
    this.requireFolder(accountId, fromFolderId);
    const target = this.requireFolder(accountId, toFolderId);
    const sources = this.db
      .prepare(
        `SELECT id, public_id, thread_id, uid, body_id, internal_date, size, seen, answered, flagged, deleted, draft, keywords, subject, envelope, body_structure, summary,
           search_from, search_to, search_cc, search_bcc, search_subject, sent_day
         FROM messages WHERE folder_id = ? AND uid IN (SELECT value FROM json_each(?)) ORDER BY uid`,
      )
      .all(fromFolderId, JSON.stringify(uids)) as (MessageRow &
      SearchColumns & {
        body_id: number;
        envelope: string | null;
        body_structure: string | null;
        summary: string | null;
      })[];
    return sources.map((source) => {
      // RFC 3501 §6.4.7: the copy keeps flags and internal date; it shares the body.
      const flags = flagsOf(source);
      const copy = insertMessage(
        this.db,
        {
          accountId,
          folder: target,
          bodyId: source.body_id,
          size: source.size,
          flags,
          internalDate: new Date(source.internal_date),
          summary: source.summary ? JSON.parse(source.summary) : undefined,
          structureJson: { envelope: source.envelope, bodyStructure: source.body_structure },
          search: searchOf(source),
          ...(source.thread_id ? { threadId: source.thread_id } : {}),
          ...(move && source.public_id ? { publicId: source.public_id, movedFrom: fromFolderId } : {}),
        },
        emit,
      );
      return { from: source.uid, to: copy.uid };
    });
  }

  findByMessageId(folderId: number, messageId: string, since: number): MessageRecord | undefined {
    const row = this.db
      .prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE folder_id = ? AND created_at >= ? AND json_extract(summary, '$.messageId') = ?
         ORDER BY uid DESC LIMIT 1`,
      )
      .get(folderId, since, messageId) as MessageRow | undefined;
    return row && toMessage(row);
  }

  expungedSince(folderId: number, modseq: number): number[] {
    const rows = this.db.prepare('SELECT uid FROM expunged WHERE folder_id = ? AND modseq > ? ORDER BY uid').all(folderId, modseq) as { uid: number }[];
    return rows.map((r) => r.uid);
  }

  moveMessages(accountId: string, fromFolderId: number, uids: readonly number[], toFolderId: number): { from: number; to: number }[] {
    return this.write((emit) => {
      // The API id moves with the message; the events of both halves say it was a move.
      const mapping = this.copyUids(accountId, fromFolderId, uids, toFolderId, emit, true);
      this.removeUids(accountId, fromFolderId, mapping.map((m) => m.from), emit, toFolderId);
      return mapping;
    });
  }

  claimRecent(folderId: number, uids?: readonly number[]): number[] {
    // Only one session claims a message; every other session of the folder (1,000 IDLE clients
    // told of one delivery) would take the write lock to update nothing. \Recent is only ever
    // cleared, so when a plain read finds none left, the answer is already known.
    const unclaimed = uids
      ? this.db.prepare('SELECT 1 FROM messages WHERE folder_id = ? AND recent = 1 AND uid IN (SELECT value FROM json_each(?)) LIMIT 1').get(folderId, JSON.stringify(uids))
      : this.db.prepare('SELECT 1 FROM messages WHERE folder_id = ? AND recent = 1 LIMIT 1').get(folderId);
    if (!unclaimed) return [];
    return this.write(() => {
      const rows = (
        uids
          ? this.db
              .prepare('UPDATE messages SET recent = 0 WHERE folder_id = ? AND recent = 1 AND uid IN (SELECT value FROM json_each(?)) RETURNING uid')
              .all(folderId, JSON.stringify(uids))
          : this.db.prepare('UPDATE messages SET recent = 0 WHERE folder_id = ? AND recent = 1 RETURNING uid').all(folderId)
      ) as { uid: number }[];
      return rows.map((r) => r.uid).sort((a, b) => a - b);
    });
  }

  getMessage(accountId: string, messageId: number): MessageRecord | undefined {
    const row = this.db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ? AND account_id = ?`).get(messageId, accountId) as
      | MessageRow
      | undefined;
    return row && toMessage(row);
  }

  getMessageByPublicId(accountId: string, publicId: string): MessageRecord | undefined {
    // Inside a MOVE both rows exist for a moment; outside one, there is one row.
    const row = this.db
      .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE account_id = ? AND public_id = ? ORDER BY id DESC LIMIT 1`)
      .get(accountId, publicId) as MessageRow | undefined;
    return row && toMessage(row);
  }

  queryMessages(accountId: string, query: MessageQuery, after: MessagePosition | null, limit: number): MessageRecord[] {
    const where: string[] = ['account_id = ?'];
    const args: unknown[] = [accountId];
    if (after) {
      where.push('(internal_date < ? OR (internal_date = ? AND id < ?))');
      args.push(after.internalDate, after.internalDate, after.id);
    }
    if (query.folderIds?.length === 1) {
      where.push('folder_id = ?');
      args.push(query.folderIds[0]);
    } else if (query.folderIds) {
      where.push('folder_id IN (SELECT value FROM json_each(?))');
      args.push(JSON.stringify(query.folderIds));
    }
    if (query.threadId !== undefined) {
      where.push('thread_id = ?');
      args.push(query.threadId);
    }
    if (query.subject !== undefined) {
      // instr on lower(): a substring match without LIKE's wildcards.
      where.push('instr(lower(COALESCE(subject, \'\')), lower(?)) > 0');
      args.push(query.subject);
    }
    const addressIn = (fields: string[], addresses: string[]) => {
      const lists = fields.map((f) => `SELECT value FROM json_each(summary, '$.${f}')`).join(' UNION ALL ');
      where.push(
        `EXISTS (SELECT 1 FROM (${lists}) WHERE lower(json_extract(value, '$.address')) IN (SELECT value FROM json_each(?)))`,
      );
      args.push(JSON.stringify(addresses.map((a) => a.toLowerCase())));
    };
    if (query.from) addressIn(['from'], query.from);
    if (query.to) addressIn(['to'], query.to);
    if (query.cc) addressIn(['cc'], query.cc);
    if (query.anyEmail) addressIn(['from', 'to', 'cc'], query.anyEmail);
    if (query.unread !== undefined) where.push(query.unread ? 'seen = 0' : 'seen = 1');
    if (query.starred !== undefined) where.push(query.starred ? 'flagged = 1' : 'flagged = 0');
    if (query.before !== undefined) {
      where.push('internal_date < ?');
      args.push(query.before);
    }
    if (query.notBefore !== undefined) {
      where.push('internal_date >= ?');
      args.push(query.notBefore);
    }
    const rows = this.db
      .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE ${where.join(' AND ')} ORDER BY internal_date DESC, id DESC LIMIT ?`)
      .all(...args, limit) as MessageRow[];
    return rows.map(toMessage);
  }

  // ---- helpers (inside a write) ----

  private removeRows(accountId: string, folderId: number, rows: RemovedRow[], emit: Emit, movedTo?: number): number[] {
    if (rows.length === 0) return [];
    const modseq = this.bumpModseq(folderId);
    const remove = this.db.prepare('DELETE FROM messages WHERE id = ?');
    // RFC 7162 §3.2.10: remembered for VANISHED (EARLIER) answers.
    const remember = this.db.prepare('INSERT OR REPLACE INTO expunged (folder_id, uid, modseq) VALUES (?, ?, ?)');
    const applicationId = this.applicationOf(accountId);
    for (const row of rows) {
      remove.run(row.id);
      remember.run(folderId, row.uid, modseq);
      emit(
        { type: 'message.deleted', applicationId, accountId, folderId, uid: row.uid, messageId: row.id, modseq },
        messageSnapshot(
          { id: row.id, publicId: row.public_id ?? String(row.id), threadId: row.thread_id ?? '', accountId, folderId, uid: row.uid },
          movedTo !== undefined ? { moved_to_folder_id: String(movedTo) } : {},
        ),
      );
    }
    releaseBodies(this.db, rows.map((r) => r.body_id));
    return rows.map((r) => r.uid).sort((a, b) => a - b);
  }

  private bumpModseq(folderId: number): number {
    return (this.db.prepare('UPDATE folders SET highest_modseq = highest_modseq + 1 WHERE id = ? RETURNING highest_modseq').get(folderId) as {
      highest_modseq: number;
    }).highest_modseq;
  }

  /** System flags in canonical case and order, then keywords. */
  private canonical(flags: readonly string[]): string[] {
    const lower = flags.map((f) => f.toLowerCase());
    return [
      ...SYSTEM_FLAGS.filter((c) => lower.includes(`\\${c}`)).map((c) => `\\${c.charAt(0).toUpperCase()}${c.slice(1)}`),
      ...flags.filter((f) => !f.startsWith('\\')),
    ];
  }

  private bodiesOf(folderId: number): number[] {
    return (this.db.prepare('SELECT DISTINCT body_id AS id FROM messages WHERE folder_id = ?').all(folderId) as { id: number }[]).map((r) => r.id);
  }

  private applicationOf(accountId: string): string {
    return (this.db.prepare('SELECT application_id AS id FROM accounts WHERE id = ?').get(accountId) as { id: string }).id;
  }

  private requireFolder(accountId: string, folderId: number): FolderRow {
    const folder = this.db.prepare(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE id = ? AND account_id = ?`).get(folderId, accountId) as FolderRow | undefined;
    if (!folder) throw new NotFoundError(`folder ${folderId} not found`);
    return folder;
  }

  private folderRow(accountId: string, name: string): FolderRow | undefined {
    return this.db.prepare(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE account_id = ? AND name = ?`).get(accountId, name) as FolderRow | undefined;
  }
}
