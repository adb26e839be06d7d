// MailStore on SQLite. This issue needs appending and reading; the IMAP issues add flag
// changes, copy, move and expunge on the same tables.
import { createHash } from 'node:crypto';
import { NotFoundError } from '../../errors.js';
import type { MailStore } from '../store.js';
import type { Folder, MessageRecord, NewMessage } from '../types.js';
import type { Db } from './database.js';
import { type FolderRow, type MessageRow, MESSAGE_COLUMNS, toFolder, toMessage } from './rows.js';
import { type Write, nowSeconds } from './writer.js';

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
    const row = this.db.prepare('SELECT * FROM folders WHERE account_id = ? AND name = ?').get(accountId, name) as
      | FolderRow
      | undefined;
    return row && toFolder(row);
  }

  appendMessage(accountId: string, folderId: number, message: NewMessage): MessageRecord {
    return this.write((emit) => {
      const folder = this.db.prepare('SELECT * FROM folders WHERE id = ? AND account_id = ?').get(folderId, accountId) as
        | FolderRow
        | undefined;
      if (!folder) throw new NotFoundError(`folder ${folderId} not found`);
      const application = this.db.prepare('SELECT application_id AS id FROM accounts WHERE id = ?').get(accountId) as { id: string };
      const now = nowSeconds();
      const sha256 = createHash('sha256').update(message.raw).digest('hex');
      const bodyId = Number(
        this.db.prepare('INSERT INTO bodies (size, sha256, content) VALUES (?, ?, ?)').run(message.raw.length, sha256, message.raw)
          .lastInsertRowid,
      );
      const uid = folder.uid_next;
      const modseq = folder.highest_modseq + 1;
      const { columns, keywords } = splitFlags(message.flags ?? []);
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO messages (account_id, folder_id, uid, modseq, body_id, internal_date, size,
               seen, answered, flagged, deleted, draft, keywords, subject, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            accountId,
            folderId,
            uid,
            modseq,
            bodyId,
            (message.internalDate ?? new Date()).getTime(),
            message.raw.length,
            columns.has('seen') ? 1 : 0,
            columns.has('answered') ? 1 : 0,
            columns.has('flagged') ? 1 : 0,
            columns.has('deleted') ? 1 : 0,
            columns.has('draft') ? 1 : 0,
            JSON.stringify(keywords),
            message.subject ?? null,
            now,
          ).lastInsertRowid,
      );
      this.db.prepare('UPDATE folders SET uid_next = ?, highest_modseq = ? WHERE id = ?').run(uid + 1, modseq, folderId);
      const record = toMessage(this.db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`).get(id) as MessageRow);
      emit(
        { type: 'message.created', applicationId: application.id, accountId, folderId, uid, messageId: id },
        { id, folder: folder.name, uid, size: record.size, subject: record.subject },
      );
      return record;
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
}
