// Issue 5 §5: on a large mailbox, SELECT, `UID FETCH 1:* (UID FLAGS)`, `FETCH 1:* (FLAGS)` with
// CHANGEDSINCE and the flag, date and size SEARCH keys answer from the message index alone —
// they never read a message body or its parsed structure. (Speed itself is in `npm run bench`.)
import { describe, expect, it, vi } from 'vitest';
import { computeStructure } from '../../src/mail/structure.js';
import { folder, ok, world } from './fixtures/session.js';

describe('IMAP on a large mailbox', () => {
  it('index-only commands read no message body and no structure; a body search does', async () => {
    const { g, sales, c } = await world();
    const mail = g.gateway.services.store.mail;
    const inbox = folder(g, sales, 'INBOX');
    const raw = Buffer.from('From: a@example.net\r\nTo: sales@agents.example.com\r\nSubject: many\r\n\r\nneedle in a haystack\r\n');
    const structure = computeStructure(raw);
    const count = 300;
    for (let i = 0; i < count; i++) mail.appendMessage(sales.id, inbox.id, { raw, flags: i % 3 ? ['\\Seen'] : [], structure });
    const reads = vi.spyOn(mail, 'readMessage');
    const structures = vi.spyOn(mail, 'messageStructure');

    const select = await ok(c, 'SELECT INBOX (CONDSTORE)');
    expect(select.untagged).toContain(`* ${count} EXISTS`);
    const modseq = Number(/HIGHESTMODSEQ (\d+)/.exec(select.untagged.join('\n'))![1]);
    expect((await ok(c, 'UID FETCH 1:* (UID FLAGS)')).untagged).toHaveLength(count);
    expect((await ok(c, 'FETCH 1:* (FLAGS)')).untagged).toHaveLength(count);
    await ok(c, 'STORE 7 +FLAGS (\\Flagged)');
    const changed = await ok(c, `FETCH 1:* (FLAGS) (CHANGEDSINCE ${modseq})`);
    expect(changed.untagged).toEqual([expect.stringMatching(/^\* 7 FETCH \(FLAGS \(.*\\Flagged.*\) MODSEQ \(\d+\)\)$/)]);
    const unseen = await ok(c, 'SEARCH UNSEEN SINCE 1-Jan-2020 LARGER 10 NOT FLAGGED');
    // Message 7 (unseen) was just flagged, so NOT FLAGGED leaves it out.
    expect(unseen.untagged[0]!.split(' ').length - 2).toBe(count / 3 - 1);
    await ok(c, 'UID SEARCH RETURN (COUNT MIN MAX) MODSEQ 1');
    await ok(c, 'STATUS Archive (MESSAGES UNSEEN SIZE HIGHESTMODSEQ)');
    expect(reads).not.toHaveBeenCalled();
    expect(structures).not.toHaveBeenCalled();

    // The check can fail: a body search has to read every body.
    const found = await ok(c, 'SEARCH BODY "haystack"');
    expect(found.untagged[0]!.split(' ').length - 2).toBe(count);
    expect(reads).toHaveBeenCalledTimes(count);
  });
});
