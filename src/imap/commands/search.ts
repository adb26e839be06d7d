// SEARCH and UID SEARCH — RFC 3501 §6.4.4, §6.4.8. Criteria are parsed and evaluated by
// imap/search; a message's header and text are read only when a key needs them.
// ESEARCH (RFC 4731): with RETURN (MIN MAX COUNT ALL) the answer is one `* ESEARCH` line.
// CONDSTORE (RFC 7162 §3.1.5): a search with MODSEQ reports the highest MODSEQ it matched.
import { type SelectedContext, selected } from '../command.js';
import { Bad, No } from '../errors.js';
import type { Token } from '../protocol/types.js';
import { SearchCharsetError, SearchSyntaxError, parseSearch } from '../search/parse.js';
import type { SearchKey } from '../search/types.js';
import { findMatches } from '../search/find.js';
import { encodeNumberList } from '../protocol/encoder.js';
import { formatNumberSet } from '../uid-set.js';

function parse(args: Token[], env: { utf8: boolean }) {
  try {
    return parseSearch(args, env);
  } catch (err) {
    if (err instanceof SearchCharsetError) throw new No('BADCHARSET (UTF-8 US-ASCII)', err.message);
    if (err instanceof SearchSyntaxError) throw new Bad(err.message);
    throw err;
  }
}

const usesModseq = (key: SearchKey): boolean =>
  key.op === 'modseq' ||
  (key.op === 'and' && key.keys.some(usesModseq)) ||
  (key.op === 'or' && (usesModseq(key.left) || usesModseq(key.right))) ||
  (key.op === 'not' && usesModseq(key.key));

async function run(ctx: SelectedContext, parsed: ReturnType<typeof parseSearch>, byUid: boolean) {
  const modseqUsed = usesModseq(parsed.key);
  const matches = findMatches(ctx.services.store, ctx.mailbox, parsed.key, modseqUsed);
  const numbers = byUid ? matches.uids : matches.seqs;
  const highest = modseqUsed && numbers.length > 0 ? matches.highestModseq : null;
  if (modseqUsed) {
    // RFC 7162 §3.1: using MODSEQ turns CONDSTORE on for the session.
    if (!ctx.isEnabled('CONDSTORE')) ctx.enable('CONDSTORE');
  }
  if (parsed.returnOptions) {
    const options = parsed.returnOptions;
    const parts = [`ESEARCH (TAG "${ctx.tag}")`, ...(byUid ? ['UID'] : [])];
    // Sequence numbers and UIDs both come out ascending, so MIN and MAX are the ends.
    if (options.includes('MIN') && numbers.length) parts.push(`MIN ${numbers[0]}`);
    if (options.includes('MAX') && numbers.length) parts.push(`MAX ${numbers[numbers.length - 1]}`);
    if (options.includes('ALL') && numbers.length) parts.push(`ALL ${formatNumberSet(numbers)}`);
    if (options.includes('COUNT')) parts.push(`COUNT ${numbers.length}`);
    if (highest !== null) parts.push(`MODSEQ ${highest}`);
    ctx.untagged(parts.join(' '));
    return;
  }
  // RFC 3501 §7.2.5 / RFC 7162 §3.1.5: `* SEARCH 2 4 7 (MODSEQ 917162500)`; bare `* SEARCH` when none.
  ctx.untagged('SEARCH', ...(numbers.length > 0 ? [encodeNumberList(numbers)] : []), ...(highest !== null ? [`(MODSEQ ${highest})`] : []));
}

export const search = selected({ name: 'SEARCH', parse, run: (ctx, args) => run(ctx, args, false), expungeSafe: false, read: true });
export const uidSearch = selected({ name: 'UID SEARCH', parse, run: (ctx, args) => run(ctx, args, true), read: true });
