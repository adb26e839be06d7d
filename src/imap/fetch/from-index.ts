// FETCH of index items only — UID, FLAGS, MODSEQ, INTERNALDATE, RFC822.SIZE — over many
// messages: what a client runs to resync a folder (`UID FETCH 1:* (UID FLAGS)`, RFC 7162's
// `FETCH 1:* (FLAGS) (CHANGEDSINCE m)`). The store hands the folder's index over column by
// column, and the responses are written as text in large pieces, so 100,000 messages cost a
// few tens of milliseconds, not a record and a write each. The lines are exactly what
// fetchResponse writes for the same items (RFC 3501 §7.4.2), in the order the items were asked.
import type { FlagIndex } from '../../store/types.js';
import { FLAG_BITS } from '../../store/types.js';
import { formatDateTime } from '../protocol/grammar.js';
import type { FetchItem } from './items.js';

const INDEX_ITEMS = new Set<FetchItem['kind']>(['UID', 'FLAGS', 'MODSEQ', 'INTERNALDATE', 'RFC822.SIZE']);

/** Whether every item comes from the index alone. */
export function fromIndexOnly(items: readonly FetchItem[]): boolean {
  return items.every((item) => INDEX_ITEMS.has(item.kind));
}

/** The system flags of each combination of bits, in the order records list them. */
const SYSTEM_FLAGS = Object.entries(FLAG_BITS) as [string, number][];
const FLAG_TEXT: string[] = Array.from({ length: 32 }, (_, bits) =>
  SYSTEM_FLAGS.filter(([, bit]) => (bits & bit) !== 0)
    .map(([flag]) => flag)
    .join(' '),
);

export interface IndexFetchOptions {
  items: readonly FetchItem[];
  byUid: boolean;
  /** Whether the session reports the message \Recent. */
  recent(uid: number): boolean;
  /** Writes response lines, each "* …\r\n"; resolves when the socket can take more. */
  write(text: string): Promise<void>;
}

/** The session's view: the UID of each message by sequence number − 1 (ascending). */
export type ViewUids = readonly number[];

/** Bytes of response text gathered before a write. */
const CHUNK = 64 * 1024;

/** Index of the first element ≥ value in an ascending array. */
function lowerBound(values: readonly number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Writes a FETCH response for each message of the index that is in the session's view and in
 * `ranges` (sorted inclusive UID ranges), in UID order. Messages the view does not hold yet
 * (delivered since the client last heard) and messages the index lacks (unchanged since
 * CHANGEDSINCE, or expunged meanwhile) get none. No object per message: the index, the view and
 * the ranges are walked side by side.
 */
export async function writeFromIndex(view: ViewUids, ranges: readonly [number, number][], index: FlagIndex, opts: IndexFetchOptions): Promise<void> {
  // RFC 3501 §6.4.8: UID FETCH always returns the UID.
  const kinds = opts.byUid && !opts.items.some((i) => i.kind === 'UID') ? ['UID', ...opts.items.map((i) => i.kind)] : opts.items.map((i) => i.kind);
  const { uids, bits, modseqs, keywords, internalDates, sizes } = index;
  const line = (seq: number, uid: number, r: number): string => {
    let out = `* ${seq} FETCH (`;
    for (let k = 0; k < kinds.length; k++) {
      if (k > 0) out += ' ';
      switch (kinds[k]) {
        case 'UID':
          out += `UID ${uid}`;
          break;
        case 'FLAGS': {
          let flags = FLAG_TEXT[bits[r]!]!;
          const words = keywords.get(uid);
          if (words) flags = flags ? `${flags} ${words.join(' ')}` : words.join(' ');
          if (opts.recent(uid)) flags = flags ? `${flags} \\Recent` : '\\Recent';
          out += `FLAGS (${flags})`;
          break;
        }
        case 'MODSEQ':
          out += `MODSEQ (${modseqs[r]})`;
          break;
        case 'INTERNALDATE':
          out += `INTERNALDATE "${formatDateTime(internalDates![r]!)}"`;
          break;
        case 'RFC822.SIZE':
          out += `RFC822.SIZE ${sizes![r]}`;
          break;
      }
    }
    return `${out})\r\n`;
  };
  // Few rows (CHANGEDSINCE) are looked up in the view; many are walked along it.
  const sparse = uids.length * 8 < view.length;
  let text = '';
  let v = 0;
  let g = 0;
  for (let r = 0; r < uids.length; r++) {
    const uid = uids[r]!;
    while (g < ranges.length && ranges[g]![1] < uid) g++;
    if (g === ranges.length) break;
    if (uid < ranges[g]![0]) continue;
    if (sparse) v = lowerBound(view, uid);
    else while (v < view.length && view[v]! < uid) v++;
    if (v === view.length) break;
    if (view[v] !== uid) continue;
    text += line(v + 1, uid, r);
    if (text.length >= CHUNK) {
      await opts.write(text);
      text = '';
    }
  }
  if (text) await opts.write(text);
}
