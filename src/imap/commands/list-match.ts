// LIST/LSUB pattern matching (RFC 3501 §6.3.8): "*" matches anything, "%" anything but the
// hierarchy delimiter. INBOX is case-insensitive (§5.1), so a pattern that starts with it in
// any case is read with "INBOX".
import { DELIMITER } from '../../accounts/mailboxes.js';

export function listPattern(reference: string, pattern: string): (name: string) => boolean {
  let full = reference + pattern;
  if (/^inbox($|[/*%])/i.test(full)) full = `INBOX${full.slice(5)}`;
  const source = [...full]
    .map((c) => (c === '*' ? '.*' : c === '%' ? `[^${DELIMITER}]*` : c.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`, 'u');
  return (name) => regex.test(name);
}
