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

/** The set as sorted, merged, inclusive ranges (a range means every number between its ends, in either order). */
function mergedRanges(set: SequenceSet, max: number): [number, number][] {
  const ranges = set
    .map((r): [number, number] => {
      const a = bound(r.from, max);
      const b = bound(r.to, max);
      return a <= b ? [a, b] : [b, a];
    })
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  return merged;
}

export class SelectedMailbox {
  readonly folderId: number;
  readonly name: string;
  readonly uidValidity: number;
  /**
   * The UID of each message, by sequence number − 1; strictly ascending. At first the store's
   * own array (opening a 100,000-message folder copies nothing); copied before the first change.
   */
  private uids: readonly number[];
  private owned = false;
  /** Messages this session reports \Recent (IMAP4rev1). */
  readonly recent = new Set<number>();
  private readonly pendingNew: number[] = [];
  private readonly pendingExpunged = new Set<number>();
  private readonly pendingFlags = new Map<number, { flags: string[]; modseq: number }>();
  /**
   * Flag changes this session made and reported itself, by UID, at their MODSEQ. The store
   * publishes a change after its batch commits, which may be after the command answered: the
   * echo must not come back to the client as somebody else's change.
   */
  private readonly ownChanges = new Map<number, number>();
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
    this.uids = uids;
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
    const max = this.checkSequence(set);
    const out: Resolved[] = [];
    for (const [low, high] of mergedRanges(set, max)) {
      for (let seq = low; seq <= high; seq++) out.push({ seq, uid: this.uids[seq - 1]! });
    }
    return out;
  }

  /**
   * RFC 9051 §2.3.1.2: a sequence number greater than the number of messages is an error (BAD),
   * except through `*`. Returns the number of messages.
   */
  private checkSequence(set: SequenceSet): number {
    const max = this.uids.length;
    for (const range of set) {
      for (const value of [range.from, range.to]) {
        if (value !== '*' && value > max) throw new Bad(`message ${value} does not exist (the mailbox has ${max})`);
      }
      if (max === 0) throw new Bad('the mailbox is empty');
    }
    return max;
  }

  /**
   * The set as sorted inclusive UID ranges, for walking a folder's index without a record per
   * message: a range of sequence numbers covers exactly the UIDs between its ends' UIDs (no UID
   * between two of the view's is missing from it). Same errors as bySequence.
   */
  uidRanges(set: SequenceSet, byUid: boolean): [number, number][] {
    if (byUid) return this.maxUid === 0 ? [] : mergedRanges(set, this.maxUid);
    const max = this.checkSequence(set);
    return mergedRanges(set, max).map(([a, b]) => [this.uids[a - 1]!, this.uids[b - 1]!]);
  }

  /** The UID of each message, by sequence number − 1 (read only). */
  get uidList(): readonly number[] {
    return this.uids;
  }

  /** Whether other sessions' flag changes wait to be reported. */
  get flagsPending(): boolean {
    return this.pendingFlags.size > 0;
  }

  /** Messages named by UIDs; UIDs not in the mailbox are ignored (RFC 3501 §6.4.8). */
  byUid(set: SequenceSet): Resolved[] {
    const max = this.maxUid;
    const out: Resolved[] = [];
    if (max === 0) return out;
    // RFC 3501 §6.4.8: "n:*" with n above the largest UID still names the largest.
    for (const [low, high] of mergedRanges(set, max)) {
      // The first message at or above `low`, then every one up to `high`.
      for (let i = this.lowerBound(low); i < this.uids.length && this.uids[i]! <= high; i++) out.push({ seq: i + 1, uid: this.uids[i]! });
    }
    return out;
  }

  all(): Resolved[] {
    const out: Resolved[] = new Array(this.uids.length);
    for (let i = 0; i < this.uids.length; i++) out[i] = { seq: i + 1, uid: this.uids[i]! };
    return out;
  }

  /** The view's messages among these UIDs (ascending); UIDs it does not hold are skipped. */
  resolveUids(uids: readonly number[]): Resolved[] {
    const out: Resolved[] = [];
    if (uids.length * 8 < this.uids.length) {
      for (const uid of uids) {
        const seq = this.seqOf(uid);
        if (seq !== undefined) out.push({ seq, uid });
      }
      return out;
    }
    // Many: walk both ascending lists together.
    let i = 0;
    for (const uid of uids) {
      while (i < this.uids.length && this.uids[i]! < uid) i++;
      if (i === this.uids.length) break;
      if (this.uids[i] === uid) out.push({ seq: i + 1, uid });
    }
    return out;
  }

  /**
   * resolveUids as two parallel arrays, without an object per message: the answer of a search
   * that matches a third of a 100,000-message folder.
   */
  locateUids(uids: readonly number[]): { seqs: number[]; uids: number[] } {
    const seqs: number[] = [];
    const found: number[] = [];
    if (uids.length * 8 < this.uids.length) {
      for (const uid of uids) {
        const seq = this.seqOf(uid);
        if (seq !== undefined) {
          seqs.push(seq);
          found.push(uid);
        }
      }
      return { seqs, uids: found };
    }
    let i = 0;
    for (const uid of uids) {
      while (i < this.uids.length && this.uids[i]! < uid) i++;
      if (i === this.uids.length) break;
      if (this.uids[i] === uid) {
        seqs.push(i + 1);
        found.push(uid);
      }
    }
    return { seqs, uids: found };
  }

  /** The UIDs this session reports \Recent, ascending. */
  recentUids(): number[] {
    return [...this.recent].sort((a, b) => a - b);
  }

  /** The UID list, made this session's own before it changes. */
  private own(): number[] {
    if (!this.owned) {
      this.uids = this.uids.slice();
      this.owned = true;
    }
    return this.uids as number[];
  }

  /** Index of the first UID at or above `uid`. */
  private lowerBound(uid: number): number {
    let lo = 0;
    let hi = this.uids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.uids[mid]! < uid) lo = mid + 1;
      else hi = mid;
    }
    return lo;
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
    const own = this.ownChanges.get(uid);
    if (own !== undefined && modseq <= own) {
      if (modseq === own) this.ownChanges.delete(uid);
      return;
    }
    if (this.seqOf(uid) === undefined || modseq <= this.highestModseq) return;
    this.pendingFlags.set(uid, { flags, modseq });
  }

  /** Whether another session changed this message's flags and this one has not been told. */
  hasPendingFlags(uid: number): boolean {
    return this.pendingFlags.has(uid);
  }

  /** The session changed these flags itself (STORE, a FETCH that set \\Seen) and reported them. */
  ownFlagChanges(updates: readonly { uid: number; modseq: number }[]): void {
    for (const u of updates) this.ownChanges.set(u.uid, Math.max(u.modseq, this.ownChanges.get(u.uid) ?? 0));
    this.acknowledgeFlags(updates);
  }

  /** The session reported these flags itself (STORE, FETCH FLAGS): nothing more is owed. */
  acknowledgeFlags(updates: readonly { uid: number; modseq: number }[]): void {
    if (this.pendingFlags.size === 0) return;
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
        this.own().splice(seq - 1, 1);
        if (!opts.qresync) lines.push(`${seq} EXPUNGE`);
      }
      if (opts.qresync && gone.length > 0) lines.push(`VANISHED ${formatNumberSet(gone.sort((a, b) => a - b))}`);
      this.pendingExpunged.clear();
    }
    if (this.pendingNew.length > 0) {
      const fresh = this.pendingNew.splice(0).sort((a, b) => a - b);
      const uids = this.own();
      for (const uid of fresh) uids.push(uid);
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
