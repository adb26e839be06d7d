// LIST/LSUB pattern matching (RFC 3501 §6.3.8): "*" matches anything, "%" anything but the
// hierarchy delimiter. INBOX is case-insensitive (§5.1), so a pattern that starts with it in
// any case is read with "INBOX".
//
// The pattern is the client's: matching runs the pattern as a set of positions advanced one
// character of the name at a time (time linear in pattern × name), never as a backtracking
// regular expression, which `*a*a*a…*b` would keep busy for ever.
import { DELIMITER } from '../../accounts/mailboxes.js';

export function listPattern(reference: string, pattern: string): (name: string) => boolean {
  let full = reference + pattern;
  if (/^inbox($|[/*%])/i.test(full)) full = `INBOX${full.slice(5)}`;
  // A run of wildcards matches what its widest member does: "%*%" is "*", "%%" is "%".
  const tokens: string[] = [];
  for (const c of full) {
    const last = tokens[tokens.length - 1];
    if ((c === '*' || c === '%') && (last === '*' || last === '%')) {
      if (c === '*') tokens[tokens.length - 1] = '*';
      continue;
    }
    tokens.push(c);
  }
  const literals = tokens.filter((t) => t !== '*' && t !== '%').length;
  return (name) => {
    const chars = [...name];
    // Wildcards may match nothing, but every literal character needs one of the name's.
    if (literals > chars.length) return false;
    return matches(tokens, chars);
  };
}

function matches(tokens: string[], name: string[]): boolean {
  const n = tokens.length;
  let active = new Uint8Array(n + 1);
  let next = new Uint8Array(n + 1);
  // A wildcard may match nothing: reaching it also reaches the position after it.
  const close = (set: Uint8Array) => {
    for (let i = 0; i < n; i++) if (set[i] && (tokens[i] === '*' || tokens[i] === '%')) set[i + 1] = 1;
  };
  active[0] = 1;
  close(active);
  for (const c of name) {
    next.fill(0);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      const t = tokens[i];
      if (t === '*' || (t === '%' && c !== DELIMITER)) next[i] = 1;
      else if (t === c) next[i + 1] = 1;
      else continue;
      any = true;
    }
    if (!any) return false;
    close(next);
    [active, next] = [next, active];
  }
  return active[n] === 1;
}
