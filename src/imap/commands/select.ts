// SELECT and EXAMINE — RFC 3501 §6.3.1/§6.3.2, RFC 9051 §6.3.2: open a mailbox, read-write or
// read-only. The untagged data tells the client everything it needs to sync: FLAGS,
// PERMANENTFLAGS (with \* so keywords such as Apple's $NotJunk persist), EXISTS, RECENT,
// UNSEEN, UIDVALIDITY, UIDNEXT.
import { type AuthenticatedContext, type Done, authenticated } from '../command.js';
import { No } from '../errors.js';
import { SelectedMailbox } from '../selected.js';
import { oneMailbox } from './mailbox-arg.js';

const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

async function open(ctx: AuthenticatedContext, name: string, readOnly: boolean): Promise<Done> {
  // RFC 3501 §6.3.1: a failed SELECT still leaves no mailbox selected.
  ctx.unselect();
  const folder = ctx.services.mailboxes.find(ctx.account.id, name);
  if (!folder) throw new No('NONEXISTENT', `mailbox ${name} does not exist`);
  const { store } = ctx.services;
  const messages = store.mail.listMessages(folder.id);
  const mailbox = new SelectedMailbox(folder, messages, readOnly);
  // IMAP4rev1 \Recent: the first session to see new messages takes it; EXAMINE only looks
  // (RFC 3501 §6.3.2: the read-only session does not take \Recent away).
  const recent = readOnly ? messages.filter((m) => m.recent).map((m) => m.uid) : store.mail.claimRecent(folder.id);
  for (const uid of recent) mailbox.recent.add(uid);

  const keywords = [...new Set(messages.flatMap((m) => m.flags.filter((f) => !f.startsWith('\\'))))];
  ctx.untagged(`FLAGS (${[...SYSTEM_FLAGS, ...keywords].join(' ')})`);
  ctx.untagged(
    readOnly ? 'OK [PERMANENTFLAGS ()] read-only mailbox' : `OK [PERMANENTFLAGS (${[...SYSTEM_FLAGS, ...keywords, '\\*'].join(' ')})] flags permitted`,
  );
  ctx.untagged(`${messages.length} EXISTS`);
  ctx.untagged(`${mailbox.recent.size} RECENT`);
  const firstUnseen = messages.findIndex((m) => !m.flags.includes('\\Seen'));
  if (firstUnseen >= 0) ctx.untagged(`OK [UNSEEN ${firstUnseen + 1}] first unseen message`);
  ctx.untagged(`OK [UIDVALIDITY ${folder.uidValidity}] UIDs valid`);
  ctx.untagged(`OK [UIDNEXT ${folder.uidNext}] predicted next UID`);
  ctx.select(mailbox);
  return { code: readOnly ? 'READ-ONLY' : 'READ-WRITE', text: `${readOnly ? 'EXAMINE' : 'SELECT'} completed` };
}

export const select = authenticated({
  name: 'SELECT',
  parse: oneMailbox,
  run: (ctx, { name }) => open(ctx, name, false),
});

export const examine = authenticated({
  name: 'EXAMINE',
  parse: oneMailbox,
  run: (ctx, { name }) => open(ctx, name, true),
});
