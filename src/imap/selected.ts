// The selected mailbox as one session sees it: message sequence numbers (RFC 3501 §2.3.1.2)
// mapped to UIDs, and the changes other sessions and deliveries made that this session has not
// been told about yet. They are told at the points RFC 3501 §7 allows — EXPUNGE never while a
// FETCH, STORE or SEARCH (by sequence number) runs (§7.4.1), so numbers never shift under a
// command.
import type { Folder } from '../store/types.js';
import { Bad } from './errors.js';
import type { SequenceSet } from './protocol/types.js';
import { formatNumberSet } from './uid-set.js';

export interface FlushOptions {
  allowExpunge: boolean;
  condstore: boolean;
  qresync: boolean;
  recentOf: (uids: number[]) => number[];
}

export interface Resolved {
  seq: number;
  uid: number;
}

/** Where a range bound points: `*` is the largest value in use. */
const bound = (value: number | '*', max: number): number => (value === '*' ? max : value);

export class SelectedMailbox {
  readonly folderId: number;
  readonly name: string;
  readonly uidValidity: number;
  /** The UID of each message, by sequence number − 1; strictly ascending. */
  private uids: number[];
  /** Messages this session reports \Recent (IMAP4rev1). */
  readonly recent = new Set<number>();
  private readonly pendingNew: number[] = [];
  private readonly pendingExpunged = new Set<number>();
  private readonly pendingFlags = new Map<number, { flags: string[]; modseq: number }>();
  /** UIDs this session knows the flags of as of this MODSEQ (own STORE results). */
  highestModseq: number;

  constructor(
    folder: Folder,
    uids: readonly number[],
    readonly readOnly: boolean,
  ) {
    this.folderId = folder.id;
    this.name = folder.name;
    this.uidValidity = folder.uidValidity;
    this.highestModseq = folder.highestModseq;
    this.uids = [...uids];
  }

  get exists(): number {
    return this.uids.length;
  }

  get maxUid(): number {
    return this.uids[this.uids.length - 1] ?? 0;
  }

  uidAt(seq: number): number | undefined {
    return this.uids[seq - 1];
  }

  /** Binary search: UIDs ascend. */
  seqOf(uid: number): number | undefined {
    let lo = 0;
    let hi = this.uids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.uids[mid]!;
      if (at === uid) return mid + 1;
      if (at < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /**
   * Messages named by sequence numbers. RFC 9051 §2.3.1.2: a number greater than the number
   * of messages is an error (BAD), except through `*`.
   */
  bySequence(set: SequenceSet): Resolved[] {
    const max = this.uids.length;
    const seen = new Set<number>();
    for (const range of set) {
      for (const value of [range.from, range.to]) {
        if (value !== '*' && value > max) throw new Bad(`message ${value} does not exist (the mailbox has ${max})`);
      }
      if (max === 0) throw new Bad('the mailbox is empty');
      const a = bound(range.from, max);
      const b = bound(range.to, max);
      for (let seq = Math.min(a, b); seq <= Math.max(a, b); seq++) seen.add(seq);
    }
    return [...seen].sort((x, y) => x - y).map((seq) => ({ seq, uid: this.uids[seq - 1]! }));
  }

  /** Messages named by UIDs; UIDs not in the mailbox are ignored (RFC 3501 §6.4.8). */
  byUid(set: SequenceSet): Resolved[] {
    const max = this.maxUid;
    const out: Resolved[] = [];
    if (max === 0) return out;
    const ranges = set.map((r) => {
      // RFC 3501 §6.4.8: "n:*" with n above the largest UID still names the largest.
      const a = bound(r.from, max);
      const b = bound(r.to, max);
      return [Math.min(a, b), Math.max(a, b)] as const;
    });
    this.uids.forEach((uid, i) => {
      if (ranges.some(([lo, hi]) => uid >= lo && uid <= hi)) out.push({ seq: i + 1, uid });
    });
    return out;
  }

  all(): Resolved[] {
    return this.uids.map((uid, i) => ({ seq: i + 1, uid }));
  }

  // ---- changes made elsewhere, queued until they may be reported ----

  noteCreated(uid: number): void {
    if (uid > this.maxUid && !this.pendingNew.includes(uid)) this.pendingNew.push(uid);
  }

  noteDeleted(uid: number): void {
    const index = this.pendingNew.indexOf(uid);
    if (index >= 0) this.pendingNew.splice(index, 1);
    else if (this.seqOf(uid) !== undefined) this.pendingExpunged.add(uid);
    this.pendingFlags.delete(uid);
  }

  noteFlags(uid: number, flags: string[], modseq: number): void {
    if (this.seqOf(uid) === undefined || modseq <= this.highestModseq) return;
    this.pendingFlags.set(uid, { flags, modseq });
  }

  /** Whether another session changed this message's flags and this one has not been told. */
  hasPendingFlags(uid: number): boolean {
    return this.pendingFlags.has(uid);
  }

  /** The session reported these flags itself (STORE, FETCH FLAGS): nothing more is owed. */
  acknowledgeFlags(updates: readonly { uid: number; modseq: number }[]): void {
    for (const u of updates) {
      const pending = this.pendingFlags.get(u.uid);
      if (pending && pending.modseq <= u.modseq) this.pendingFlags.delete(u.uid);
    }
  }

  /**
   * The untagged responses owed to the client, in RFC order: EXPUNGE (only when allowed; one
   * VANISHED line instead under QRESYNC, RFC 7162 §3.2.10), then EXISTS and RECENT, then FETCH
   * FLAGS (with MODSEQ under CONDSTORE, RFC 7162 §3.1.4, and UID under QRESYNC). `recentOf` says
   * which new messages this session reports \Recent (read-write takes it, read-only looks).
   */
  flush(opts: FlushOptions): string[] {
    const lines: string[] = [];
    if (opts.allowExpunge && this.pendingExpunged.size > 0) {
      // Highest first, so every reported number is still right when the client applies it.
      const seqs = [...this.pendingExpunged]
        .map((uid) => this.seqOf(uid))
        .filter((s): s is number => s !== undefined)
        .sort((a, b) => b - a);
      const gone: number[] = [];
      for (const seq of seqs) {
        const uid = this.uids[seq - 1]!;
        gone.push(uid);
        this.recent.delete(uid);
        this.uids.splice(seq - 1, 1);
        if (!opts.qresync) lines.push(`${seq} EXPUNGE`);
      }
      if (opts.qresync && gone.length > 0) lines.push(`VANISHED ${formatNumberSet(gone.sort((a, b) => a - b))}`);
      this.pendingExpunged.clear();
    }
    if (this.pendingNew.length > 0) {
      const fresh = this.pendingNew.splice(0).sort((a, b) => a - b);
      this.uids.push(...fresh);
      for (const uid of opts.recentOf(fresh)) this.recent.add(uid);
      lines.push(`${this.uids.length} EXISTS`, `${this.recent.size} RECENT`);
    }
    for (const [uid, change] of this.pendingFlags) {
      const seq = this.seqOf(uid);
      if (seq === undefined || this.pendingExpunged.has(uid)) continue;
      const items = [
        ...(opts.qresync ? [`UID ${uid}`] : []),
        `FLAGS (${this.withRecent(uid, change.flags).join(' ')})`,
        ...(opts.condstore ? [`MODSEQ (${change.modseq})`] : []),
      ];
      lines.push(`${seq} FETCH (${items.join(' ')})`);
      this.highestModseq = Math.max(this.highestModseq, change.modseq);
    }
    this.pendingFlags.clear();
    return lines;
  }

  /** Flags as this session shows them: with \Recent where it holds it. */
  withRecent(uid: number, flags: readonly string[]): string[] {
    return this.recent.has(uid) ? [...flags, '\\Recent'] : [...flags];
  }

  /** Whether messages were expunged elsewhere and not yet reported (for [EXPUNGEISSUED]). */
  get expungePending(): boolean {
    return this.pendingExpunged.size > 0;
  }
}
