// SEARCH and UID SEARCH — RFC 3501 §6.4.4, §6.4.8. Criteria are parsed and evaluated by
// imap/search; a message's header and text are read only when a key needs them.
import { type SelectedContext, selected } from '../command.js';
import { Bad, No } from '../errors.js';
import { SearchCharsetError, SearchSyntaxError, parseSearch } from '../search/parse.js';
import { searchMessages } from '../search/evaluate.js';
import { searchableMessages } from '../searchable.js';
import type { Token } from '../protocol/types.js';

function parse(args: Token[], env: { utf8: boolean }) {
  try {
    return parseSearch(args, env);
  } catch (err) {
    if (err instanceof SearchCharsetError) throw new No('BADCHARSET (UTF-8 US-ASCII)', err.message);
    if (err instanceof SearchSyntaxError) throw new Bad(err.message);
    throw err;
  }
}

async function run(ctx: SelectedContext, parsed: ReturnType<typeof parseSearch>, byUid: boolean) {
  const { mailbox } = ctx;
  const all = mailbox.all();
  const messages = searchableMessages(ctx.services.store, mailbox, all);
  const seqs = searchMessages(parsed.key, messages, { maxSeq: mailbox.exists, maxUid: mailbox.maxUid });
  const numbers = byUid ? seqs.map((s) => mailbox.uidAt(s)!) : seqs;
  ctx.untagged(['SEARCH', ...numbers].join(' '));
}

export const search = selected({ name: 'SEARCH', parse, run: (ctx, args) => run(ctx, args, false), expungeSafe: false });
export const uidSearch = selected({ name: 'UID SEARCH', parse, run: (ctx, args) => run(ctx, args, true) });
