// LIST — RFC 3501 §6.3.8 with LIST-EXTENDED (RFC 5258), SPECIAL-USE (RFC 6154) and
// LIST-STATUS (RFC 5819):
//   LIST [(selection options)] reference (pattern | (patterns)) [RETURN (return options)]
// Attributes: \Noselect for a name kept only for its children, \HasChildren/\HasNoChildren
// (RFC 3348; clients draw trees from them), the special-use attribute of system folders (sent
// always, so clients find Sent, Drafts, Trash, Junk and Archive), \Subscribed on request, and
// \NonExistent for a subscribed name whose mailbox was deleted (LIST (SUBSCRIBED) only).
import { DELIMITER } from '../../accounts/mailboxes.js';
import type { Folder } from '../../store/types.js';
import { authenticated } from '../command.js';
import { Bad } from '../errors.js';
import { encodeMailboxName } from '../protocol/encoder.js';
import { mailboxName } from '../protocol/grammar.js';
import type { Token } from '../protocol/types.js';
import { listPattern } from './list-match.js';
import { type StatusItem, parseStatusItems, sendStatus } from './status-items.js';

/** A reference or pattern: empty stays empty; otherwise a mailbox name that may hold * and %. */
const pattern = (token: Token, utf8: boolean): string =>
  token.kind === 'string' && token.value.length === 0 ? '' : mailboxName(token, utf8, true);

interface ListArgs {
  reference: string;
  patterns: string[];
  select: { subscribed: boolean; specialUse: boolean; recursive: boolean };
  give: { subscribed: boolean; children: boolean; specialUse: boolean; status: StatusItem[] | null };
}

function atoms(token: Token, what: string): string[] {
  if (token.kind !== 'list') throw new Bad(`expected a list of ${what}`);
  return token.items.map((t) => {
    if (t.kind !== 'atom') throw new Bad(`${what} are atoms`);
    return t.value.toUpperCase();
  });
}

function parse(args: Token[], env: { utf8: boolean }): ListArgs {
  const rest = [...args];
  const select = { subscribed: false, specialUse: false, recursive: false };
  if (rest[0]?.kind === 'list') {
    for (const option of atoms(rest.shift()!, 'selection options')) {
      if (option === 'SUBSCRIBED') select.subscribed = true;
      else if (option === 'SPECIAL-USE') select.specialUse = true;
      else if (option === 'RECURSIVEMATCH') select.recursive = true;
      else if (option !== 'REMOTE') throw new Bad(`unknown LIST selection option ${option.slice(0, 30)}`);
    }
    // RFC 5258 §3: RECURSIVEMATCH needs another selection option.
    if (select.recursive && !select.subscribed && !select.specialUse) throw new Bad('RECURSIVEMATCH needs SUBSCRIBED or SPECIAL-USE');
  }
  if (rest.length < 2) throw new Bad('expected LIST reference mailbox-pattern');
  const reference = pattern(rest.shift()!, env.utf8);
  const patternToken = rest.shift()!;
  const patterns = patternToken.kind === 'list' ? patternToken.items.map((t) => pattern(t, env.utf8)) : [pattern(patternToken, env.utf8)];
  const give = { subscribed: false, children: true, specialUse: true, status: null as StatusItem[] | null };
  if (rest.length > 0) {
    const keyword = rest.shift()!;
    if (keyword.kind !== 'atom' || keyword.value.toUpperCase() !== 'RETURN' || rest.length !== 1 || rest[0]!.kind !== 'list') {
      throw new Bad('expected RETURN (options) after the patterns');
    }
    const options = rest[0]!.items;
    for (let i = 0; i < options.length; i++) {
      const option = options[i]!;
      const name = option.kind === 'atom' ? option.value.toUpperCase() : '';
      if (name === 'SUBSCRIBED') give.subscribed = true;
      else if (name === 'CHILDREN' || name === 'SPECIAL-USE') continue; // always given
      else if (name === 'STATUS') {
        const items = options[++i];
        if (!items || items.kind !== 'list') throw new Bad('RETURN STATUS needs a list of status items');
        give.status = parseStatusItems(items.items);
      } else throw new Bad(`unknown LIST return option ${name.slice(0, 30) || '(not an atom)'}`);
    }
  }
  return { reference, patterns, select, give };
}

/** A name LIST may return: a mailbox, or (for LIST (SUBSCRIBED)) a subscribed name without one. */
interface Entry {
  name: string;
  folder: Folder | undefined;
  subscribed: boolean;
}

/** Mailboxes and subscribed names merged, in name order. */
function listEntries(folders: Folder[], subscriptions: string[]): Entry[] {
  const entries = new Map<string, Entry>(folders.map((f) => [f.name, { name: f.name, folder: f, subscribed: f.subscribed }]));
  for (const name of subscriptions) if (!entries.has(name)) entries.set(name, { name, folder: undefined, subscribed: true });
  return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export const list = authenticated({
  name: 'LIST',
  read: true,
  parse,
  async run(ctx, { reference, patterns, select, give }) {
    const quotedDelimiter = `"${DELIMITER}"`;
    if (patterns.length === 1 && patterns[0] === '' && !select.subscribed && !select.specialUse) {
      // RFC 3501 §6.3.8: an empty pattern asks for the delimiter and the root of the reference.
      ctx.untagged('LIST (\\Noselect)', quotedDelimiter, '""');
      return;
    }
    const entries = listEntries(ctx.services.mailboxes.list(ctx.account.id), select.subscribed ? ctx.services.mailboxes.subscriptions(ctx.account.id) : []);
    const existing = entries.filter((e) => e.folder).map((e) => e.name);
    const matchers = patterns.map((p) => listPattern(reference, p));
    const matches = (name: string) => matchers.some((m) => m(name));
    const chosen = (e: Entry) => (!select.subscribed || e.subscribed) && (!select.specialUse || e.folder?.specialUse != null);
    for (const entry of entries) {
      if (!matches(entry.name)) continue;
      const childInfo: string[] = [];
      if (!chosen(entry)) {
        // RFC 5258 §3.5: with RECURSIVEMATCH, a parent of a chosen mailbox is listed with CHILDINFO.
        const descendants = entries.filter((e) => e.name.startsWith(`${entry.name}${DELIMITER}`) && chosen(e));
        if (!select.recursive || descendants.length === 0) continue;
        childInfo.push(select.subscribed ? 'SUBSCRIBED' : 'SPECIAL-USE');
      }
      const { folder } = entry;
      const children = existing.some((n) => n.startsWith(`${entry.name}${DELIMITER}`));
      const attributes = [
        // RFC 5258 §3.4: a subscribed name with no mailbox is \NonExistent (which implies \Noselect).
        ...(!folder ? ['\\NonExistent'] : folder.noselect ? ['\\Noselect'] : []),
        ...(give.children ? [children ? '\\HasChildren' : '\\HasNoChildren'] : []),
        ...((give.subscribed || select.subscribed) && entry.subscribed ? ['\\Subscribed'] : []),
        ...(give.specialUse && folder?.specialUse ? [folder.specialUse] : []),
      ];
      const extended = childInfo.length ? ` ("CHILDINFO" (${childInfo.map((c) => `"${c}"`).join(' ')}))` : '';
      ctx.untagged(`LIST (${attributes.join(' ')})`, quotedDelimiter, Buffer.concat([encodeMailboxName(entry.name, ctx.utf8), Buffer.from(extended)]));
      // RFC 5819: STATUS right after the mailbox's LIST line; never for a \Noselect name.
      if (give.status && folder && !folder.noselect && chosen(entry)) sendStatus(ctx, folder, give.status);
    }
  },
});
