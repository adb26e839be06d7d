// Compact sequence sets for responses (COPYUID, ESEARCH ALL): "1:3,7,9:10". RFC 4315 §3 keeps
// the order of the source and destination sets in step, so they are written in the order given.
import type { SequenceSet } from './protocol/types.js';

export function formatNumberSet(numbers: readonly number[]): string {
  const parts: string[] = [];
  let start: number | undefined;
  let prev: number | undefined;
  for (const n of numbers) {
    if (prev !== undefined && n === prev + 1) {
      prev = n;
      continue;
    }
    if (start !== undefined) parts.push(start === prev ? String(start) : `${start}:${prev}`);
    start = n;
    prev = n;
  }
  if (start !== undefined) parts.push(start === prev ? String(start) : `${start}:${prev}`);
  return parts.join(',');
}

/** Whether a UID is in a set, `*` reaching past the largest UID present (expunged UIDs may be higher). */
export function inUidSet(uid: number, set: SequenceSet): boolean {
  return set.some((range) => {
    const a = range.from === '*' ? Number.MAX_SAFE_INTEGER : range.from;
    const b = range.to === '*' ? Number.MAX_SAFE_INTEGER : range.to;
    return uid >= Math.min(a, b) && uid <= Math.max(a, b);
  });
}
