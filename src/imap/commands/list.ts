// LIST — RFC 3501 §6.3.8: mailboxes matching reference + pattern, with their attributes:
// \Noselect (a name kept only for its children), \HasChildren/\HasNoChildren (RFC 3348, as
// clients rely on them to draw trees), and the special-use attribute of system folders
// (RFC 6154 §2) so clients find Sent, Drafts, Trash, Junk and Archive instead of inventing
// their own.
import { DELIMITER } from '../../accounts/mailboxes.js';
import { authenticated } from '../command.js';
import { mailboxName } from '../protocol/grammar.js';
import type { Token } from '../protocol/types.js';
import { encodeMailboxName } from '../protocol/encoder.js';
import { expectArgs } from './args.js';
import { listPattern } from './list-match.js';

/** A reference or pattern: empty stays empty; otherwise a mailbox name that may hold * and %. */
const pattern = (token: Token, utf8: boolean): string =>
  token.kind === 'string' && token.value.length === 0 ? '' : mailboxName(token, utf8, true);

export const list = authenticated({
  name: 'LIST',
  parse(args, env) {
    expectArgs(args, 2, 'LIST reference mailbox-pattern');
    // Names may arrive in modified UTF-7; wildcards pass through decoding untouched.
    return { reference: pattern(args[0]!, env.utf8), pattern: pattern(args[1]!, env.utf8) };
  },
  async run(ctx, { reference, pattern }) {
    const quotedDelimiter = `"${DELIMITER}"`;
    if (pattern === '') {
      // RFC 3501 §6.3.8: an empty pattern asks for the delimiter and the root of the reference.
      ctx.untagged('LIST (\\Noselect)', quotedDelimiter, '""');
      return;
    }
    const folders = ctx.services.mailboxes.list(ctx.account.id);
    const names = new Set(folders.map((f) => f.name));
    const matches = listPattern(reference, pattern);
    for (const folder of folders) {
      if (!matches(folder.name)) continue;
      const children = [...names].some((n) => n.startsWith(`${folder.name}${DELIMITER}`));
      const attributes = [
        ...(folder.noselect ? ['\\Noselect'] : []),
        children ? '\\HasChildren' : '\\HasNoChildren',
        ...(folder.specialUse ? [folder.specialUse] : []),
      ];
      ctx.untagged(`LIST (${attributes.join(' ')})`, quotedDelimiter, encodeMailboxName(folder.name, ctx.utf8));
    }
  },
});
