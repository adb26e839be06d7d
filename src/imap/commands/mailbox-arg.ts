// The one-mailbox-name argument several commands share.
import { mailboxName } from '../protocol/grammar.js';
import type { Token } from '../protocol/types.js';
import { expectArgs } from './args.js';

export function oneMailbox(args: Token[], env: { utf8: boolean }): { name: string } {
  expectArgs(args, 1, 'a mailbox name');
  return { name: mailboxName(args[0]!, env.utf8) };
}
