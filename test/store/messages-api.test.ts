// The store calls behind the REST API's messages: API ids that survive MOVE, threads, and the
// newest-first query with page positions (ties on the internal date broken by row id).
import { describe, expect, it } from 'vitest';
import type { MessagePosition } from '../../src/store/types.js';
import { GOOD_PASSWORD, openWorld } from '../helpers/services.js';

async function withAccount() {
  const w = openWorld();
  await w.services.domains.add('agents.example.com');
  const account = await w.services.accounts.create(w.appId, { email: 'sales@agents.example.com', appPassword: GOOD_PASSWORD });
  const inbox = w.store.mail.getMailbox(account.id, 'INBOX')!;
  const archive = w.store.mail.getMailbox(account.id, 'Archive')!;
  const summary = (messageId: string | null, extra: { inReplyTo?: string[]; references?: string[] } = {}) => ({
    subject: 's',
    from: [],
    to: [],
    cc: [],
    messageId,
    date: null,
    ...extra,
  });
  return { ...w, account, inbox, archive, summary };
}

describe('message API ids and threads', () => {
  it('MOVE keeps the API id (and thread); COPY gets a new API id in the same thread', async () => {
    const { store, account, inbox, archive } = await withAccount();
    const original = store.mail.appendMessage(account.id, inbox.id, { raw: Buffer.from('Subject: a\r\n\r\nx') });
    expect(original.publicId).toMatch(/^[0-9a-f]{16}$/);
    const [copied] = store.mail.copyMessages(account.id, inbox.id, [original.uid], archive.id);
    const copy = store.mail.getMessages(archive.id, [copied!.to])[0]!;
    expect(copy.publicId).not.toBe(original.publicId);
    expect(copy.threadId).toBe(original.threadId);
    const [moved] = store.mail.moveMessages(account.id, inbox.id, [original.uid], archive.id);
    const after = store.mail.getMessageByPublicId(account.id, original.publicId)!;
    expect([after.folderId, after.uid, after.threadId]).toEqual([archive.id, moved!.to, original.threadId]);
    expect(after.id).not.toBe(original.id);
    expect(store.mail.getMessage(account.id, original.id)).toBeUndefined();
    expect(store.mail.getMessage(account.id, after.id)!.publicId).toBe(original.publicId);
  });

  it('a message joins the thread of a stored one it names (In-Reply-To, References) or shares a Message-ID with', async () => {
    const { store, account, inbox, summary } = await withAccount();
    const add = (s: ReturnType<typeof summary>) => store.mail.appendMessage(account.id, inbox.id, { raw: Buffer.from('x'), summary: s });
    const root = add(summary('<root@x>'));
    const other = add(summary('<other@x>'));
    const reply = add(summary('<reply@x>', { inReplyTo: ['<root@x>'] }));
    const deep = add(summary('<deep@x>', { references: ['<unknown@x>', '<reply@x>'] }));
    const duplicate = add(summary('<root@x>'));
    const none = add(summary(null));
    expect(reply.threadId).toBe(root.threadId);
    expect(deep.threadId).toBe(root.threadId);
    expect(duplicate.threadId).toBe(root.threadId);
    expect(new Set([root.threadId, other.threadId, none.threadId]).size).toBe(3);
  });

  it('threads are per account: a Message-ID stored for another account does not join', async () => {
    const { store, services, appId, account, inbox, summary } = await withAccount();
    const bob = await services.accounts.create(appId, { email: 'bob@agents.example.com' });
    const bobInbox = store.mail.getMailbox(bob.id, 'INBOX')!;
    const mine = store.mail.appendMessage(account.id, inbox.id, { raw: Buffer.from('x'), summary: summary('<m@x>') });
    const theirs = store.mail.appendMessage(bob.id, bobInbox.id, { raw: Buffer.from('x'), summary: summary('<r@x>', { inReplyTo: ['<m@x>'] }) });
    expect(theirs.threadId).not.toBe(mine.threadId);
    expect(store.mail.getMessageByPublicId(bob.id, mine.publicId)).toBeUndefined();
  });
});

describe('queryMessages', () => {
  it('orders newest first, ties by row id, and pages by position without repeats or gaps', async () => {
    const { store, account, inbox } = await withAccount();
    const same = new Date('2026-05-01T00:00:00Z');
    const ids = [
      store.mail.appendMessage(account.id, inbox.id, { raw: Buffer.from('a'), internalDate: new Date('2026-04-01T00:00:00Z') }).id,
      ...Array.from({ length: 5 }, () => store.mail.appendMessage(account.id, inbox.id, { raw: Buffer.from('b'), internalDate: same }).id),
      store.mail.appendMessage(account.id, inbox.id, { raw: Buffer.from('c'), internalDate: new Date('2026-06-01T00:00:00Z') }).id,
    ];
    const expected = [ids[6], ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]];
    expect(store.mail.queryMessages(account.id, {}, null, 100).map((m) => m.id)).toEqual(expected);
    const seen: number[] = [];
    let after: MessagePosition | null = null;
    for (;;) {
      const page = store.mail.queryMessages(account.id, {}, after, 2);
      seen.push(...page.map((m) => m.id));
      if (page.length < 2) break;
      after = { internalDate: page[1]!.internalDate, id: page[1]!.id };
    }
    expect(seen).toEqual(expected);
    expect(store.mail.queryMessages(account.id, { folderIds: [inbox.id], before: same.getTime() }, null, 100).map((m) => m.id)).toEqual([ids[0]]);
    expect(store.mail.queryMessages(account.id, { notBefore: same.getTime() + 1 }, null, 100).map((m) => m.id)).toEqual([ids[6]]);
  });
});
