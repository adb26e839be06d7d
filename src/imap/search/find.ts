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

/** The matching messages of the view, ascending, and the highest MODSEQ among them when asked. */
export function findMatches(store: Store, mailbox: SelectedMailbox, key: SearchKey, wantModseq: boolean): { found: Resolved[]; highestModseq: number } {
  const context = { maxSeq: mailbox.exists, maxUid: mailbox.maxUid };
  const evaluate = (candidates: Resolved[]) => {
    const messages = searchableMessages(store, mailbox, candidates);
    const seqs = new Set(searchMessages(key, messages, context));
    const hits = messages.filter((m) => seqs.has(m.seq));
    return { found: hits.map((m) => ({ seq: m.seq, uid: m.uid })), highestModseq: hits.reduce((max, m) => Math.max(max, m.modseq), 0) };
  };
  if (mailbox.exists === 0) return { found: [], highestModseq: 0 };
  const filter = indexFilter(key, mailbox);
  if (filter) {
    const result = store.mail.searchFolder(mailbox.folderId, filter, mailbox.maxUid, wantModseq);
    let found = mailbox.resolveUids(result.uids);
    let highestModseq = result.highestModseq;
    if (result.unjudged.length > 0) {
      // Stored before their header text was kept: judged the slow way, once.
      const late = evaluate(mailbox.resolveUids(result.unjudged));
      found = [...found, ...late.found].sort((a, b) => a.seq - b.seq);
      highestModseq = Math.max(highestModseq, late.highestModseq);
    }
    return { found, highestModseq };
  }
  const prefilter = indexPrefilter(key, mailbox);
  if (!prefilter) return evaluate(mailbox.all());
  const narrowed = store.mail.searchFolder(mailbox.folderId, prefilter, mailbox.maxUid, false);
  const candidates = narrowed.unjudged.length > 0 ? [...new Set([...narrowed.uids, ...narrowed.unjudged])].sort((a, b) => a - b) : narrowed.uids;
  return evaluate(mailbox.resolveUids(candidates));
}

