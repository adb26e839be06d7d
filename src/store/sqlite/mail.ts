// MailStore on SQLite: appending and delivering messages. The IMAP issues add flag changes,
// copy, move and expunge on the same tables.
import { createHash } from 'node:crypto';
import { NotFoundError } from '../../errors.js';
import type { MailStore } from '../store.js';
import type { DeliveryReceipt, Folder, MessageRecord, MessageSummary, NewDelivery, NewMessage } from '../types.js';
import type { Db } from './database.js';
import { insertQueueEntry } from './queue.js';
import { type FolderRow, type MessageRow, MESSAGE_COLUMNS, toFolder, toMessage } from './rows.js';
import { type Emit, type Write, nowSeconds } from './writer.js';

const SYSTEM_FLAG_COLUMNS: Record<string, string> = {
  '\\seen': 'seen',
  '\\answered': 'answered',
  '\\flagged': 'flagged',
  '\\deleted': 'deleted',
  '\\draft': 'draft',
};

/** Splits flags into system-flag columns and keywords (keywords kept once, case preserved). */
function splitFlags(flags: readonly string[]): { columns: Set<string>; keywords: string[] } {
  const columns = new Set<string>();
  const keywords: string[] = [];
  for (const flag of flags) {
    const column = SYSTEM_FLAG_COLUMNS[flag.toLowerCase()];
    if (column) columns.add(column);
    else if (!flag.startsWith('\\') && !keywords.some((k) => k.toLowerCase() === flag.toLowerCase())) keywords.push(flag);
  }
  return { columns, keywords };
}

/** Stores bytes once; returns the body id. */
export function insertBody(db: Db, raw: Buffer): number {
  const sha256 = createHash('sha256').update(raw).digest('hex');
  return Number(db.prepare('INSERT INTO bodies (size, sha256, content) VALUES (?, ?, ?)').run(raw.length, sha256, raw).lastInsertRowid);
}

/** Deletes the given bodies when no message or unfinished queue entry refers to them any more. */
export function releaseBodies(db: Db, bodyIds: readonly number[]): void {
  if (bodyIds.length === 0) return;
  db.prepare(
    `DELETE FROM bodies WHERE id IN (SELECT value FROM json_each(?))
       AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.body_id = bodies.id)
       AND NOT EXISTS (SELECT 1 FROM outbound_queue q WHERE q.body_id = bodies.id)`,
  ).run(JSON.stringify(bodyIds));
}

interface MessageInsert {
  accountId: string;
  folder: FolderRow;
  bodyId: number;
  size: number;
  flags: readonly string[];
  internalDate: Date;
  summary: MessageSummary | undefined;
}

/**
 * Adds one message to a folder inside the caller's transaction: the folder's next UID
 * (RFC 3501 §2.3.1.1: strictly ascending) and its next MODSEQ (RFC 7162 §3.1.1).
 */
function insertMessage(db: Db, m: MessageInsert, emit: Emit): MessageRecord {
  const application = db.prepare('SELECT application_id AS id FROM accounts WHERE id = ?').get(m.accountId) as { id: string };
  // Re-read the folder: an earlier insert in this transaction may have advanced it.
  const folder = db.prepare('SELECT uid_next, highest_modseq, name FROM folders WHERE id = ?').get(m.folder.id) as FolderRow;
  const uid = folder.uid_next;
  const modseq = folder.highest_modseq + 1;
  const { columns, keywords } = splitFlags(m.flags);
  const id = Number(
    db
      .prepare(
        `INSERT INTO messages (account_id, folder_id, uid, modseq, body_id, internal_date, size,
           seen, answered, flagged, deleted, draft, keywords, subject, summary, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        m.accountId,
        m.folder.id,
        uid,
        modseq,
        m.bodyId,
        m.internalDate.getTime(),
        m.size,
        columns.has('seen') ? 1 : 0,
        columns.has('answered') ? 1 : 0,
        columns.has('flagged') ? 1 : 0,
        columns.has('deleted') ? 1 : 0,
        columns.has('draft') ? 1 : 0,
        JSON.stringify(keywords),
        m.summary?.subject ?? null,
        m.summary ? JSON.stringify(m.summary) : null,
        nowSeconds(),
      ).lastInsertRowid,
  );
  db.prepare('UPDATE folders SET uid_next = ?, highest_modseq = ? WHERE id = ?').run(uid + 1, modseq, m.folder.id);
  const record = toMessage(db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`).get(id) as MessageRow);
  emit(
    { type: 'message.created', applicationId: application.id, accountId: m.accountId, folderId: m.folder.id, uid, messageId: id },
    { id, folder: folder.name, uid, size: record.size, subject: record.subject },
  );
  return record;
}

export class SqliteMail implements MailStore {
  constructor(
    private readonly db: Db,
    private readonly write: Write,
  ) {}

  listMailboxes(accountId: string): Folder[] {
    const rows = this.db.prepare('SELECT * FROM folders WHERE account_id = ? ORDER BY name').all(accountId) as FolderRow[];
    return rows.map(toFolder);
  }

  getMailbox(accountId: string, name: string): Folder | undefined {
    const row = this.folderRow(accountId, name);
    return row && toFolder(row);
  }

  appendMessage(accountId: string, folderId: number, message: NewMessage): MessageRecord {
    return this.write((emit) => {
      const folder = this.db.prepare('SELECT * FROM folders WHERE id = ? AND account_id = ?').get(folderId, accountId) as
        | FolderRow
        | undefined;
      if (!folder) throw new NotFoundError(`folder ${folderId} not found`);
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
        },
        emit,
      );
    });
  }

  deliver(delivery: NewDelivery): DeliveryReceipt {
    return this.write((emit) => {
      // Only bodies something refers to are stored.
      const used = new Set([...delivery.copies.map((c) => c.body), ...delivery.outbound.map((o) => o.body)]);
      const bodyIds = delivery.bodies.map((raw, i) => (used.has(i) ? insertBody(this.db, raw) : -1));
      const messages = delivery.copies.map((copy) => {
        const folder = this.folderRow(copy.accountId, copy.folder);
        if (!folder) throw new NotFoundError(`folder ${copy.folder} of account ${copy.accountId} not found`);
        return insertMessage(
          this.db,
          {
            accountId: copy.accountId,
            folder,
            bodyId: bodyIds[copy.body]!,
            size: delivery.bodies[copy.body]!.length,
            flags: copy.flags,
            internalDate: delivery.internalDate,
            summary: copy.summary,
          },
          emit,
        );
      });
      const queued = delivery.outbound.map((entry) =>
        insertQueueEntry(this.db, entry, bodyIds[entry.body]!, delivery.bodies[entry.body]!.length),
      );
      return { messages, queued };
    });
  }

  listMessages(folderId: number): MessageRecord[] {
    const rows = this.db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE folder_id = ? ORDER BY uid`).all(folderId) as MessageRow[];
    return rows.map(toMessage);
  }

  readMessage(messageId: number): Buffer | undefined {
    const row = this.db
      .prepare('SELECT b.content FROM messages m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?')
      .get(messageId) as { content: Buffer } | undefined;
    return row?.content;
  }

  private folderRow(accountId: string, name: string): FolderRow | undefined {
    return this.db.prepare('SELECT * FROM folders WHERE account_id = ? AND name = ?').get(accountId, name) as FolderRow | undefined;
  }
}
