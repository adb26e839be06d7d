// Apple Mail's keywords: $NotJunk and $Junk (junk training), $MailFlagBit0–2 (flag colours),
// $Forwarded. They are ordinary keywords (RFC 3501 §2.3.2) that persist because PERMANENTFLAGS
// carries \* (§7.1: new keywords may be created). Once a message has them they are part of FLAGS
// and PERMANENTFLAGS at the next SELECT, other sessions see them, and SEARCH KEYWORD finds them.
import { describe, expect, it } from 'vitest';
import { login, ok } from '../fixtures/session.js';
import { withInbox } from '../fixtures/extensions.js';

const SYSTEM = '\\Answered \\Flagged \\Deleted \\Seen \\Draft';

describe('Apple keywords', () => {
  it('STORE 1 +FLAGS ($NotJunk $Junk): stored, and part of FLAGS and PERMANENTFLAGS after reselecting', async () => {
    const { g, c, uidValidity } = await withInbox(['one', 'two']);
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('STORE 1 +FLAGS ($NotJunk $Junk)', 'K1')).toEqual({ untagged: ['* 1 FETCH (FLAGS ($NotJunk $Junk \\Recent))'], tagged: 'K1 OK STORE completed' });
    await ok(c, 'UNSELECT');
    const reselect = {
      untagged: [
        `* FLAGS (${SYSTEM} $NotJunk $Junk)`,
        `* OK [PERMANENTFLAGS (${SYSTEM} $NotJunk $Junk \\*)] flags permitted`,
        '* 2 EXISTS',
        '* 0 RECENT',
        '* OK [UNSEEN 1] first unseen message',
        `* OK [UIDVALIDITY ${uidValidity}] UIDs valid`,
        '* OK [UIDNEXT 3] predicted next UID',
      ],
      tagged: 'K2 OK [READ-WRITE] SELECT completed',
    };
    expect(await c.transact('SELECT INBOX', 'K2')).toEqual(reselect);
    expect(await c.transact('FETCH 1:2 (FLAGS)', 'K3')).toEqual({ untagged: ['* 1 FETCH (FLAGS ($NotJunk $Junk))', '* 2 FETCH (FLAGS ())'], tagged: 'K3 OK FETCH completed' });
    // A new session (another device) sees the same.
    const phone = await login(g);
    expect(await phone.transact('SELECT INBOX', 'K2')).toEqual(reselect);
  });

  it('Apple Mail marking as not junk: -FLAGS ($Junk) +FLAGS ($NotJunk); keywords match case-insensitively', async () => {
    const { c } = await withInbox(['one']);
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 1 +FLAGS.SILENT ($Junk)');
    expect(await c.transact('STORE 1 -FLAGS ($junk)', 'K1')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Recent))'], tagged: 'K1 OK STORE completed' });
    expect(await c.transact('STORE 1 +FLAGS ($NotJunk)', 'K2')).toEqual({ untagged: ['* 1 FETCH (FLAGS ($NotJunk \\Recent))'], tagged: 'K2 OK STORE completed' });
    // Adding it again in another case does not duplicate it.
    expect(await c.transact('STORE 1 +FLAGS ($NOTJUNK)', 'K3')).toEqual({ untagged: ['* 1 FETCH (FLAGS ($NotJunk \\Recent))'], tagged: 'K3 OK STORE completed' });
    expect(await c.transact('SEARCH KEYWORD $notjunk', 'K4')).toEqual({ untagged: ['* SEARCH 1'], tagged: 'K4 OK SEARCH completed' });
    expect(await c.transact('SEARCH UNKEYWORD $Junk', 'K5')).toEqual({ untagged: ['* SEARCH 1'], tagged: 'K5 OK SEARCH completed' });
  });

  it('flag colours and $Forwarded with system flags: UID STORE, another session hears of it', async () => {
    const { g, c } = await withInbox(['one', 'two']);
    await ok(c, 'SELECT INBOX');
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    expect(await c.transact('UID STORE 2 +FLAGS (\\Flagged $MailFlagBit0 $MailFlagBit2 $Forwarded)', 'K1')).toEqual({
      untagged: ['* 2 FETCH (UID 2 FLAGS (\\Flagged $MailFlagBit0 $MailFlagBit2 $Forwarded \\Recent))'],
      tagged: 'K1 OK UID STORE completed',
    });
    expect(await other.transact('NOOP', 'K2')).toEqual({ untagged: ['* 2 FETCH (FLAGS (\\Flagged $MailFlagBit0 $MailFlagBit2 $Forwarded))'], tagged: 'K2 OK NOOP completed' });
    expect(await c.transact('UID SEARCH KEYWORD $MailFlagBit2 FLAGGED', 'K3')).toEqual({ untagged: ['* SEARCH 2'], tagged: 'K3 OK UID SEARCH completed' });
    expect(await c.transact('UID STORE 2 FLAGS (\\Flagged $MailFlagBit1)', 'K4')).toEqual({
      untagged: ['* 2 FETCH (UID 2 FLAGS (\\Flagged $MailFlagBit1 \\Recent))'],
      tagged: 'K4 OK UID STORE completed',
    });
  });

  it('keywords survive COPY and MOVE', async () => {
    const { g, c } = await withInbox(['one', 'two']);
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 1:2 +FLAGS.SILENT ($NotJunk)');
    await ok(c, 'STORE 2 +FLAGS.SILENT ($Junk)');
    await ok(c, 'UID COPY 1 Archive');
    await ok(c, 'UID MOVE 2 Junk');
    const other = await login(g);
    await ok(other, 'EXAMINE Archive');
    expect(await other.transact('FETCH 1 (FLAGS)', 'K1')).toEqual({ untagged: ['* 1 FETCH (FLAGS ($NotJunk \\Recent))'], tagged: 'K1 OK FETCH completed' });
    await ok(other, 'UNSELECT');
    await ok(other, 'EXAMINE Junk');
    expect(await other.transact('FETCH 1 (FLAGS)', 'K2')).toEqual({ untagged: ['* 1 FETCH (FLAGS ($NotJunk $Junk \\Recent))'], tagged: 'K2 OK FETCH completed' });
  });
});
