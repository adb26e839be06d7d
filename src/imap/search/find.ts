// Which messages of the selected mailbox match a SEARCH (RFC 3501 §6.4.4). When every key can
// be judged from the store's index (flags, UIDs, sizes, dates, MODSEQ, the header text kept per
// message) the store answers in SQL and no message is read; otherwise the evaluator reads the
// messages — only those that the part of an AND the index can judge lets through.
import type { Store } from '../../store/store.js';
import { searchableMessages } from '../searchable.js';
import type { Resolved, SelectedMailbox } from '../selected.js';
import { searchMessages } from './evaluate.js';
import { indexFilter, indexPrefilter } from './index-filter.js';
import type { SearchKey } from './types.js';

/** What matched: sequence numbers and UIDs side by side, ascending. */
export interface Matches {
  seqs: number[];
  uids: number[];
  /** The highest MODSEQ among them, when asked. */
  highestModseq: number;
}

const columns = (found: Resolved[], highestModseq: number): Matches => ({ seqs: found.map((m) => m.seq), uids: found.map((m) => m.uid), highestModseq });

/** The matching messages of the view, ascending, and the highest MODSEQ among them when asked. */
export function findMatches(store: Store, mailbox: SelectedMailbox, key: SearchKey, wantModseq: boolean): Matches {
  const context = { maxSeq: mailbox.exists, maxUid: mailbox.maxUid };
  const evaluate = (candidates: Resolved[]) => {
    const messages = searchableMessages(store, mailbox, candidates);
    const seqs = new Set(searchMessages(key, messages, context));
    const hits = messages.filter((m) => seqs.has(m.seq));
    return { found: hits.map((m) => ({ seq: m.seq, uid: m.uid })), highestModseq: hits.reduce((max, m) => Math.max(max, m.modseq), 0) };
  };
  if (mailbox.exists === 0) return { seqs: [], uids: [], highestModseq: 0 };
  const filter = indexFilter(key, mailbox);
  if (filter) {
    const result = store.mail.searchFolder(mailbox.folderId, filter, mailbox.maxUid, wantModseq);
    if (result.unjudged.length === 0) {
      // The common case, and the one of large answers: no object per message.
      return { ...mailbox.locateUids(result.uids), highestModseq: result.highestModseq };
    }
    // Stored before their header text was kept: judged the slow way, once.
    const late = evaluate(mailbox.resolveUids(result.unjudged));
    const found = [...mailbox.resolveUids(result.uids), ...late.found].sort((a, b) => a.seq - b.seq);
    return columns(found, Math.max(result.highestModseq, late.highestModseq));
  }
  const prefilter = indexPrefilter(key, mailbox);
  if (!prefilter) {
    const all = evaluate(mailbox.all());
    return columns(all.found, all.highestModseq);
  }
  const narrowed = store.mail.searchFolder(mailbox.folderId, prefilter, mailbox.maxUid, false);
  const candidates = narrowed.unjudged.length > 0 ? [...new Set([...narrowed.uids, ...narrowed.unjudged])].sort((a, b) => a - b) : narrowed.uids;
  const result = evaluate(mailbox.resolveUids(candidates));
  return columns(result.found, result.highestModseq);
}
