// The index of the folders in use, kept in memory: UIDs, MODSEQs and flags, column by column.
// A client opening a 100,000-message folder and resyncing its flags (SELECT, then
// `UID FETCH 1:* (FLAGS)`) then costs a copy of arrays instead of 100,000 rows read and parsed.
//
// It needs no notice of changes. Every change to a folder's messages — a new message, a flag
// changed, an expunge — raises the folder's HIGHESTMODSEQ (RFC 7162 §3.1.1; the store keeps that
// rule for every writer, the CLI in another process included), and an expunge is remembered with
// its MODSEQ for QRESYNC. So each use compares the folder's UIDVALIDITY and HIGHESTMODSEQ with
// the cached ones: equal, the cache is the folder; higher, it catches up on what changed since,
// as a QRESYNC client does (changed rows by the MODSEQ index, expunged UIDs by theirs); anything
// else (a folder deleted and made again), it is read afresh. \Recent is not kept here: it changes
// without a MODSEQ, and sessions keep their own.
import type { Db } from './database.js';
import { BITS_SQL } from './folder-index.js';

export interface CachedFolder {
  uidValidity: number;
  /** The folder's HIGHESTMODSEQ this reflects. */
  modseq: number;
  /**
   * Ascending. Never changed in place once handed out: sessions keep it as their view of the
   * folder (SELECT costs no copy); catching up builds a new array.
   */
  uids: readonly number[];
  /** Parallel to uids; like it, replaced rather than changed once handed out (flagIndex). */
  modseqs: readonly number[];
  /** System flag bits (FLAG_BITS), parallel to uids; replaced rather than changed. */
  bits: readonly number[];
  /** Keywords of the messages that have any. */
  keywords: Map<number, string[]>;
  lastUsed: number;
}


/** Index of the first element ≥ value in an ascending array. */
export function lowerBound(values: readonly number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class FolderCache {
  private readonly folders = new Map<number, CachedFolder>();
  private use = 0;

  /** At most this many messages are kept, over all folders (the least recently used go first). */
  constructor(
    private readonly db: Db,
    private readonly maxMessages = 2_000_000,
  ) {}

  /** The folder's index as of now, or undefined when the folder does not exist. */
  get(folderId: number): CachedFolder | undefined {
    const folder = this.db.prepare('SELECT uid_validity, highest_modseq FROM folders WHERE id = ?').raw().get(folderId) as [number, number] | undefined;
    if (!folder) {
      this.folders.delete(folderId);
      return undefined;
    }
    const [uidValidity, modseq] = folder;
    let entry = this.folders.get(folderId);
    if (entry && entry.uidValidity === uidValidity && entry.modseq < modseq) {
      if (!this.catchUp(folderId, entry, modseq)) entry = undefined;
    } else if (entry && (entry.uidValidity !== uidValidity || entry.modseq !== modseq)) {
      entry = undefined;
    }
    if (!entry) {
      entry = this.read(folderId, uidValidity, modseq);
      this.folders.set(folderId, entry);
      this.evict(folderId);
    }
    entry.lastUsed = ++this.use;
    return entry;
  }

  /** The whole folder, in a few bulk reads (see folder-index.ts for why not row by row). */
  private read(folderId: number, uidValidity: number, modseq: number): CachedFolder {
    const json = this.db
      .prepare(`SELECT '[' || coalesce(group_concat(uid || ',' || modseq || ',' || ${BITS_SQL}), '') || ']' FROM messages WHERE folder_id = ?`)
      .pluck()
      .get(folderId) as string;
    const flat = JSON.parse(json) as number[];
    const count = flat.length / 3;
    const uids: number[] = new Array(count);
    const modseqs: number[] = new Array(count);
    const bits: number[] = new Array(count);
    const entry: CachedFolder = { uidValidity, modseq, uids, modseqs, bits, keywords: new Map(), lastUsed: 0 };
    const rows: [number, number, number][] = [];
    let ordered = true;
    for (let i = 0, j = 0; i < count; i++, j += 3) {
      if (i > 0 && flat[j]! <= flat[j - 3]!) ordered = false;
      uids[i] = flat[j]!;
      modseqs[i] = flat[j + 1]!;
      bits[i] = flat[j + 2]!;
    }
    if (!ordered) {
      // The scan follows the UID index; SQL promises no order, so put it right if it ever differs.
      for (let i = 0; i < count; i++) rows.push([uids[i]!, modseqs[i]!, bits[i]!]);
      rows.sort((a, b) => a[0] - b[0]);
      rows.forEach(([uid, m, b], i) => {
        uids[i] = uid;
        modseqs[i] = m;
        bits[i] = b;
      });
    }
    const keywords = this.db.prepare("SELECT uid, keywords FROM messages WHERE folder_id = ? AND keywords <> '[]'").raw().all(folderId) as [number, string][];
    for (const [uid, list] of keywords) entry.keywords.set(uid, JSON.parse(list) as string[]);
    return entry;
  }

  /**
   * Applies what changed after `entry.modseq`: rows with a greater MODSEQ (new or re-flagged)
   * and UIDs expunged after it. False when a fresh read is cheaper (much has changed).
   */
  private catchUp(folderId: number, entry: CachedFolder, modseq: number): boolean {
    const changed = this.db
      .prepare(
        `SELECT uid, modseq, ${BITS_SQL}, keywords FROM messages INDEXED BY messages_folder_modseq
         WHERE folder_id = ? AND modseq > ? ORDER BY uid`,
      )
      .raw()
      .all(folderId, entry.modseq) as [number, number, number, string][];
    const gone = this.db
      .prepare('SELECT uid FROM expunged INDEXED BY expunged_modseq WHERE folder_id = ? AND modseq > ?')
      .pluck()
      .all(folderId, entry.modseq) as number[];
    // Past a quarter of a large folder, one fresh read costs less than the splicing.
    if (changed.length + gone.length > Math.max(1000, entry.uids.length / 4)) return false;
    if (gone.length > 0) {
      const removed = new Set(gone);
      const keep = (_: number, i: number) => !removed.has(entry.uids[i]!);
      entry.modseqs = entry.modseqs.filter(keep);
      entry.bits = entry.bits.filter(keep);
      entry.uids = entry.uids.filter((uid) => !removed.has(uid));
      for (const uid of gone) entry.keywords.delete(uid);
    }
    if (changed.length === 0) {
      entry.modseq = modseq;
      return true;
    }
    // Copies, changed and then put in place: arrays handed out (a FETCH still writing, a
    // session's view) never change under their holder.
    const modseqs = entry.modseqs.slice();
    const flagBits = entry.bits.slice();
    const added: [number, number, number][] = [];
    for (const [uid, m, bits, keywords] of changed) {
      if (keywords !== '[]') entry.keywords.set(uid, JSON.parse(keywords) as string[]);
      else entry.keywords.delete(uid);
      const i = lowerBound(entry.uids, uid);
      if (entry.uids[i] === uid) {
        modseqs[i] = m;
        flagBits[i] = bits;
      } else added.push([uid, m, bits]);
    }
    if (added.length > 0) {
      const uids = entry.uids.slice();
      for (const [uid, m, bits] of added) {
        // New mail has the highest UIDs: appended. (A lower one is put in its place.)
        const last = uids[uids.length - 1];
        const i = last === undefined || uid > last ? uids.length : lowerBound(uids, uid);
        uids.splice(i, 0, uid);
        modseqs.splice(i, 0, m);
        flagBits.splice(i, 0, bits);
      }
      entry.uids = uids;
    }
    entry.modseqs = modseqs;
    entry.bits = flagBits;
    entry.modseq = modseq;
    return true;
  }

  private evict(keep: number): void {
    let total = 0;
    for (const entry of this.folders.values()) total += entry.uids.length;
    if (total <= this.maxMessages) return;
    const byAge = [...this.folders.entries()].filter(([id]) => id !== keep).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [id, entry] of byAge) {
      if (total <= this.maxMessages) break;
      this.folders.delete(id);
      total -= entry.uids.length;
    }
  }
}
