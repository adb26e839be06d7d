// SELECT and EXAMINE — RFC 3501 §6.3.1/§6.3.2, RFC 9051 §6.3.2: open a mailbox, read-write or
// read-only. The untagged data tells the client everything it needs to sync: FLAGS,
// PERMANENTFLAGS (with \* so keywords such as Apple's $NotJunk persist), EXISTS, RECENT,
// UNSEEN, UIDVALIDITY, UIDNEXT, and HIGHESTMODSEQ under CONDSTORE (RFC 7162 §3.1.2.1).
// QRESYNC (RFC 7162 §3.2.5): `SELECT box (QRESYNC (uidvalidity modseq [known-uids]))` also
// sends what was expunged (VANISHED (EARLIER)) and changed since that MODSEQ.
import { type AuthenticatedContext, type Done, authenticated } from '../command.js';
import { Bad, No } from '../errors.js';
import { mailboxName, number64, nzNumber, sequenceSet } from '../protocol/grammar.js';
import type { SequenceSet, Token } from '../protocol/types.js';
import { claimRecent } from '../recent.js';
import { SelectedMailbox } from '../selected.js';
import { formatNumberSet, inUidSet } from '../uid-set.js';

const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

interface Qresync {
  uidValidity: number;
  modseq: number;
  knownUids: SequenceSet | null;
}

interface SelectArgs {
  name: string;
  condstore: boolean;
  qresync: Qresync | null;
}

function parse(args: Token[], env: { utf8: boolean }): SelectArgs {
  if (args.length < 1 || args.length > 2) throw new Bad('expected a mailbox name and optional (CONDSTORE) or (QRESYNC (…))');
  const result: SelectArgs = { name: mailboxName(args[0]!, env.utf8), condstore: false, qresync: null };
  const params = args[1];
  if (!params) return result;
  if (params.kind !== 'list') throw new Bad('SELECT parameters are a parenthesized list');
  for (let i = 0; i < params.items.length; i++) {
    const item = params.items[i]!;
    const name = item.kind === 'atom' ? item.value.toUpperCase() : '';
    if (name === 'CONDSTORE') result.condstore = true;
    else if (name === 'QRESYNC') {
      const value = params.items[++i];
      if (value?.kind !== 'list' || value.items.length < 2) throw new Bad('QRESYNC needs (uidvalidity modseq [known-uids])');
      const [validity, modseq, known] = value.items;
      result.qresync = {
        uidValidity: nzNumber(validity, 'QRESYNC uidvalidity'),
        modseq: number64(modseq, 'QRESYNC modseq'),
        knownUids: known && known.kind === 'atom' ? sequenceSet(known, 'QRESYNC known-uids') : null,
      };
    } else throw new Bad(`unknown SELECT parameter ${name.slice(0, 30) || '(not an atom)'}`);
  }
  return result;
}

async function open(ctx: AuthenticatedContext, args: SelectArgs, readOnly: boolean): Promise<Done> {
  // RFC 7162 §3.2.5: QRESYNC needs ENABLE QRESYNC first.
  if (args.qresync && !ctx.isEnabled('QRESYNC')) throw new Bad('ENABLE QRESYNC before SELECT … (QRESYNC …)');
  if (args.condstore) ctx.enable('CONDSTORE');
  // RFC 7162 §3.2.11: a server advertising QRESYNC announces that the previous mailbox closed.
  if (ctx.selected) ctx.untagged('OK [CLOSED] previous mailbox closed');
  // RFC 3501 §6.3.1: a failed SELECT still leaves no mailbox selected.
  ctx.unselect();
  const folder = ctx.services.mailboxes.find(ctx.account.id, args.name);
  if (!folder) throw new No('NONEXISTENT', `mailbox ${args.name} does not exist`);
  const { store } = ctx.services;
  // From the index alone: opening a 100,000-message folder builds no message records.
  const index = store.mail.mailboxIndex(folder.id);
  const mailbox = new SelectedMailbox(folder, index.uids, readOnly);
  // IMAP4rev1 \Recent: the first session to see new messages takes it; EXAMINE only looks
  // (RFC 3501 §6.3.2: the read-only session does not take \Recent away).
  const recent = readOnly ? index.recent : claimRecent(store.mail, folder.id);
  for (const uid of recent) mailbox.recent.add(uid);

  const { keywords } = index;
  ctx.untagged(`FLAGS (${[...SYSTEM_FLAGS, ...keywords].join(' ')})`);
  ctx.untagged(
    readOnly ? 'OK [PERMANENTFLAGS ()] read-only mailbox' : `OK [PERMANENTFLAGS (${[...SYSTEM_FLAGS, ...keywords, '\\*'].join(' ')})] flags permitted`,
  );
  ctx.untagged(`${mailbox.exists} EXISTS`);
  ctx.untagged(`${mailbox.recent.size} RECENT`);
  if (index.firstUnseen !== null) ctx.untagged(`OK [UNSEEN ${mailbox.seqOf(index.firstUnseen)}] first unseen message`);
  ctx.untagged(`OK [UIDVALIDITY ${folder.uidValidity}] UIDs valid`);
  ctx.untagged(`OK [UIDNEXT ${folder.uidNext}] predicted next UID`);
  if (ctx.isEnabled('CONDSTORE')) ctx.untagged(`OK [HIGHESTMODSEQ ${folder.highestModseq}] highest MODSEQ`);

  const q = args.qresync;
  // RFC 7162 §3.2.5.2: only when the client's UIDVALIDITY is still right.
  if (q && q.uidValidity === folder.uidValidity) {
    const known = q.knownUids;
    const inKnown = (uid: number) => !known || inUidSet(uid, known);
    const vanished = store.mail.expungedSince(folder.id, q.modseq).filter(inKnown);
    if (vanished.length > 0) ctx.untagged(`VANISHED (EARLIER) ${formatNumberSet(vanished)}`);
    for (const m of store.mail.changedSince(folder.id, q.modseq)) {
      ctx.untagged(`${mailbox.seqOf(m.uid)} FETCH (UID ${m.uid} FLAGS (${mailbox.withRecent(m.uid, m.flags).join(' ')}) MODSEQ (${m.modseq}))`);
    }
  }
  ctx.select(mailbox);
  return { code: readOnly ? 'READ-ONLY' : 'READ-WRITE', text: `${readOnly ? 'EXAMINE' : 'SELECT'} completed` };
}

export const select = authenticated({ name: 'SELECT', parse, run: (ctx, args) => open(ctx, args, false), read: true });
export const examine = authenticated({ name: 'EXAMINE', parse, run: (ctx, args) => open(ctx, args, true), read: true });
