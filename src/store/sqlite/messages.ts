// Adding one message to a folder, inside the caller's transaction.
import { randomHex } from '../../random-id.js';
import type { MessageRecord, MessageSearchText, MessageStructure, MessageSummary } from '../types.js';
import type { Db } from './database.js';
import { type FolderRow, toMessage } from './rows.js';
import { type Emit, nowSeconds } from './writer.js';

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

export interface MessageInsert {
  accountId: string;
  folder: FolderRow;
  bodyId: number;
  size: number;
  flags: readonly string[];
  internalDate: Date;
  summary: MessageSummary | undefined;
  structure?: MessageStructure | undefined;
  /** Already serialized structure, when copying a stored message. */
  structureJson?: { envelope: string | null; bodyStructure: string | null };
  /** SEARCH's header text; absent (filled in later) when not known. A copy takes the source's. */
  search?: MessageSearchText | null | undefined;
  /** Kept by a MOVE; a new one otherwise. */
  publicId?: string;
  /** Kept by a COPY or MOVE; otherwise found from the message's ids (threadOf). */
  threadId?: string;
  /** What the events say about a message that arrives by MOVE (the folder it left). */
  movedFrom?: number;
}

/** A new API id for a message, or a thread: 16 hex digits. */
export const newPublicId = (): string => randomHex(8);

/**
 * The thread of a new message of the account: that of a stored message whose Message-ID is the
 * new one's own, or one it names in In-Reply-To or References (the nearest first); else a new one.
 */
export function threadOf(db: Db, accountId: string, summary: MessageSummary | undefined): string {
  const ids = [
    ...(summary?.messageId ? [summary.messageId] : []),
    ...(summary?.inReplyTo ?? []),
    ...[...(summary?.references ?? [])].reverse(),
  ];
  // One equality lookup per id, nearest first: a new message (its own Message-ID is the first
  // and usually the only id) costs one index probe. (An IN over json_each cost ten times that,
  // and took the newest match, not the nearest.)
  const lookup = db.prepare(
    // Named: without statistics the planner would walk every message of the account instead.
    `SELECT thread_id FROM messages INDEXED BY messages_message_id
     WHERE account_id = ? AND message_id = ? AND thread_id IS NOT NULL ORDER BY id DESC LIMIT 1`,
  );
  for (const id of ids.slice(0, 100)) {
    const row = lookup.get(accountId, id) as { thread_id: string } | undefined;
    if (row) return row.thread_id;
  }
  return newPublicId();
}

/** What a message event records: the API's ids, so a webhook can describe a message that is gone. */
export function messageSnapshot(
  m: Pick<MessageRecord, 'id' | 'publicId' | 'threadId' | 'accountId' | 'folderId' | 'uid'>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: m.publicId,
    grant_id: m.accountId,
    folder_id: String(m.folderId),
    thread_id: m.threadId,
    row_id: m.id,
    uid: m.uid,
    ...extra,
  };
}

/**
 * Adds a message with the folder's next UID (RFC 3501 §2.3.1.1: strictly ascending) and next
 * MODSEQ (RFC 7162 §3.1.1), and reports it.
 */
export function insertMessage(db: Db, m: MessageInsert, emit: Emit): MessageRecord {
  const application = db.prepare('SELECT application_id AS id FROM accounts WHERE id = ?').get(m.accountId) as { id: string };
  // Re-read the folder: an earlier insert in this transaction may have advanced it.
  const folder = db
    .prepare('UPDATE folders SET uid_next = uid_next + 1, highest_modseq = highest_modseq + 1 WHERE id = ? RETURNING uid_next, highest_modseq, name')
    .get(m.folder.id) as { uid_next: number; highest_modseq: number; name: string };
  const uid = folder.uid_next - 1;
  const modseq = folder.highest_modseq;
  const { columns, keywords } = splitFlags(m.flags);
  const envelope = m.structure ? JSON.stringify(m.structure.envelope) : (m.structureJson?.envelope ?? null);
  const bodyStructure = m.structure
    ? JSON.stringify({ body: m.structure.body, bodyStructure: m.structure.bodyStructure })
    : (m.structureJson?.bodyStructure ?? null);
  const threadId = m.threadId ?? threadOf(db, m.accountId, m.summary);
  const publicId = m.publicId ?? newPublicId();
  const createdAt = nowSeconds();
  const keywordsJson = JSON.stringify(keywords);
  const id = Number(
    db
      .prepare(
        `INSERT INTO messages (public_id, thread_id, message_id, account_id, folder_id, uid, modseq, body_id, internal_date, size,
           seen, answered, flagged, deleted, draft, keywords, subject, envelope, body_structure, summary, created_at,
           search_from, search_to, search_cc, search_bcc, search_subject, sent_day)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        publicId,
        threadId,
        m.summary?.messageId ?? null,
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
        keywordsJson,
        m.summary?.subject ?? null,
        envelope,
        bodyStructure,
        m.summary ? JSON.stringify(m.summary) : null,
        createdAt,
        m.search?.from ?? null,
        m.search?.to ?? null,
        m.search?.cc ?? null,
        m.search?.bcc ?? null,
        m.search?.subject ?? null,
        m.search?.sentDay ?? null,
      ).lastInsertRowid,
  );
  // The row as inserted (a new message is \Recent until a session claims it).
  const record = toMessage({
    id,
    public_id: publicId,
    thread_id: threadId,
    account_id: m.accountId,
    folder_id: m.folder.id,
    uid,
    modseq,
    internal_date: m.internalDate.getTime(),
    size: m.size,
    seen: columns.has('seen') ? 1 : 0,
    answered: columns.has('answered') ? 1 : 0,
    flagged: columns.has('flagged') ? 1 : 0,
    deleted: columns.has('deleted') ? 1 : 0,
    draft: columns.has('draft') ? 1 : 0,
    recent: 1,
    keywords: keywordsJson,
    subject: m.summary?.subject ?? null,
    created_at: createdAt,
  });
  emit(
    { type: 'message.created', applicationId: application.id, accountId: m.accountId, folderId: m.folder.id, uid, messageId: id, modseq },
    messageSnapshot(record, {
      folder: folder.name,
      size: record.size,
      subject: record.subject,
      ...(m.movedFrom !== undefined ? { moved_from_folder_id: String(m.movedFrom) } : {}),
    }),
  );
  return record;
}
