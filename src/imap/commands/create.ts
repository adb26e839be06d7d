// CREATE — RFC 3501 §6.3.3: parents are created as needed; a trailing "/" only declares that
// the name will have children, and is dropped. CREATE-SPECIAL-USE (RFC 6154 §3):
// `CREATE name (USE (\Archive))` gives the new mailbox a special use, if no mailbox has it yet.
import type { SpecialUse } from '../../store/types.js';
import { authenticated } from '../command.js';
import { Bad, No } from '../errors.js';
import { astring, mailboxName } from '../protocol/grammar.js';
import type { Token } from '../protocol/types.js';

const USES: readonly SpecialUse[] = ['\\Sent', '\\Drafts', '\\Trash', '\\Junk', '\\Archive'];

function parseUse(token: Token | undefined): SpecialUse | null {
  if (!token) return null;
  const items = token.kind === 'list' ? token.items : [];
  const [keyword, uses] = items;
  if (items.length !== 2 || keyword?.kind !== 'atom' || keyword.value.toUpperCase() !== 'USE' || uses?.kind !== 'list') {
    throw new Bad('expected CREATE mailbox [(USE (\\special-use))]');
  }
  if (uses.items.length !== 1 || uses.items[0]!.kind !== 'atom') throw new No('USEATTR', 'give exactly one special-use attribute');
  const wanted = uses.items[0]!.value.toLowerCase();
  const use = USES.find((u) => u.toLowerCase() === wanted);
  if (!use) throw new No('USEATTR', `${uses.items[0]!.value.slice(0, 20)} is not a special use this server supports`);
  return use;
}

export const create = authenticated({
  name: 'CREATE',
  parse(args, env) {
    if (args.length < 1 || args.length > 2) throw new Bad('expected CREATE mailbox [(USE (\\special-use))]');
    const raw = astring(args[0]!);
    const token: Token =
      raw.length > 1 && raw.endsWith('/') ? { kind: 'string', value: Buffer.from(raw.slice(0, -1), 'utf8'), literal: false } : args[0]!;
    return { name: mailboxName(token, env.utf8), use: parseUse(args[1]) };
  },
  async run(ctx, { name, use }) {
    if (use && ctx.services.mailboxes.list(ctx.account.id).some((f) => f.specialUse === use)) {
      throw new No('USEATTR', `a mailbox with ${use} already exists`);
    }
    ctx.services.mailboxes.create(ctx.account.id, name, use);
  },
});
