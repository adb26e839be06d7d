// LSUB — RFC 3501 §6.3.9: subscribed mailboxes matching the pattern. When "%" stops at a level
// whose name is not subscribed but has subscribed children, that level is listed \Noselect.
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

export const lsub = authenticated({
  name: 'LSUB',
  parse(args, env) {
    expectArgs(args, 2, 'LSUB reference mailbox-pattern');
    return { reference: pattern(args[0]!, env.utf8), pattern: pattern(args[1]!, env.utf8) };
  },
  async run(ctx, { reference, pattern }) {
    const matches = listPattern(reference, pattern);
    // RFC 3501 §6.3.6: a subscription outlives the mailbox's deletion, so the list is of names;
    // a name kept only for its children is \Noselect.
    const placeholders = new Set(ctx.services.mailboxes.list(ctx.account.id).filter((f) => f.noselect).map((f) => f.name));
    const listed = new Map<string, string[]>();
    for (const name of ctx.services.mailboxes.subscriptions(ctx.account.id)) {
      if (matches(name)) {
        listed.set(name, placeholders.has(name) ? ['\\Noselect'] : []);
        continue;
      }
      const levels = name.split(DELIMITER);
      for (let i = levels.length - 1; i >= 1; i--) {
        const parent = levels.slice(0, i).join(DELIMITER);
        if (matches(parent) && !listed.has(parent)) listed.set(parent, ['\\Noselect']);
      }
    }
    for (const [name, attributes] of listed) {
      ctx.untagged(`LSUB (${attributes.join(' ')})`, `"${DELIMITER}"`, encodeMailboxName(name, ctx.utf8));
    }
  },
});
