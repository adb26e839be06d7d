// Messages stored before SEARCH's header text was kept get it in the background, and SEARCH
// then judges them from the index like the rest.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { searchFields } from '../../src/mail/search-fields.js';
import { backfillSearchText } from '../../src/maintenance/search-text.js';
import { GOOD_PASSWORD, openWorld } from '../helpers/services.js';

describe('search text backfill', () => {
  it('computes the header text of every message that lacks it, in batches, then stops', async () => {
    const w = openWorld();
    await w.services.domains.add('agents.example.com');
    const account = await w.services.accounts.create(w.appId, { email: 'sales@agents.example.com', appPassword: GOOD_PASSWORD });
    const inbox = w.store.mail.getMailbox(account.id, 'INBOX')!;
    const raws = Array.from({ length: 450 }, (_, i) =>
      Buffer.from(`From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.de>\r\nSubject: Report ${i}\r\nDate: 1 Feb 2024 10:00 +0100\r\n\r\nbody`),
    );
    // As a server before schema version 10 stored them: no header text.
    for (const raw of raws) w.store.mail.appendMessage(account.id, inbox.id, { raw });
    expect(w.store.mail.messagesWithoutSearchText(1000)).toHaveLength(450);
    const stop = backfillSearchText(w.store, createLogger('silent'));
    for (let i = 0; i < 100 && w.store.mail.messagesWithoutSearchText(1).length > 0; i++) await new Promise((r) => setImmediate(r));
    stop();
    expect(w.store.mail.messagesWithoutSearchText(1000)).toHaveLength(0);
    const found = w.store.mail.searchFolder(inbox.id, { op: 'header', field: 'from', text: 'jürgen' }, 10_000, false);
    expect(found.uids).toHaveLength(450);
    expect(found.unjudged).toEqual([]);
    const seventh = w.store.mail.searchFolder(inbox.id, { op: 'header', field: 'subject', text: 'report 7' }, 10_000, false);
    // "report 7", "report 70" … "report 79", "report 700"…: as the evaluator would say.
    expect(seventh.uids).toHaveLength(raws.filter((r) => searchFields(r).subject.includes('report 7')).length);
    expect(w.store.mail.searchFolder(inbox.id, { op: 'sentDay', cmp: 'on', day: 20240201 }, 10_000, false).uids).toHaveLength(450);
  });
});
