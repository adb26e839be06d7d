// UIDPLUS — RFC 4315: APPEND answers OK [APPENDUID uidvalidity uid] (§3), COPY and UID COPY answer
// OK [COPYUID uidvalidity source-uids dest-uids] with the UIDs in step, ranges compacted (§3), and
// UID EXPUNGE uid-set (§2.1) expunges only the \Deleted messages among the UIDs named — a
// \Deleted message another client flagged, not named, stays.
import { describe, expect, it } from 'vitest';
import { appendCommand, login, ok, simple, stillServes, world } from '../fixtures/session.js';
import { validity, withInbox } from '../fixtures/extensions.js';

describe('UIDPLUS: APPENDUID', () => {
  it('APPEND answers with the UIDVALIDITY of the target and the new UID', async () => {
    const w = await world();
    const { c } = w;
    const inbox = validity(w, 'INBOX');
    expect(await c.transact(appendCommand('INBOX', simple('one')), 'A1')).toEqual({ untagged: [], tagged: `A1 OK [APPENDUID ${inbox} 1] APPEND completed` });
    expect(await c.transact(appendCommand('INBOX', simple('two'), { flags: '\\Seen' }), 'A2')).toEqual({ untagged: [], tagged: `A2 OK [APPENDUID ${inbox} 2] APPEND completed` });
    expect(await c.transact(appendCommand('Drafts', simple('draft'), { flags: '\\Draft' }), 'A3')).toEqual({
      untagged: [],
      tagged: `A3 OK [APPENDUID ${validity(w, 'Drafts')} 1] APPEND completed`,
    });
    // The UID named is the one the message has.
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('UID FETCH 2 (UID FLAGS)', 'A4')).toEqual({ untagged: ['* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent))'], tagged: 'A4 OK UID FETCH completed' });
  });

  it('UIDs are not reused after an expunge: the next APPEND gets UIDNEXT', async () => {
    const w = await withInbox(['one', 'two']);
    const { c, uidValidity } = w;
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 2 +FLAGS.SILENT (\\Deleted)');
    await ok(c, 'EXPUNGE');
    await ok(c, 'UNSELECT');
    expect(await c.transact(appendCommand('INBOX', simple('three')), 'A1')).toEqual({ untagged: [], tagged: `A1 OK [APPENDUID ${uidValidity} 3] APPEND completed` });
  });

  it('a failed APPEND has no APPENDUID', async () => {
    const { c } = await world();
    expect(await c.transact(appendCommand('Nope', simple('x')), 'A1')).toEqual({ untagged: [], tagged: 'A1 NO [TRYCREATE] mailbox Nope does not exist' });
  });
});

describe('UIDPLUS: COPYUID', () => {
  it('COPY by sequence numbers: source UIDs and the new UIDs, ranges compacted', async () => {
    const w = await withInbox(['1', '2', '3', '4', '5']);
    const { c } = w;
    const archive = validity(w, 'Archive');
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('COPY 1:3,5 Archive', 'C1')).toEqual({ untagged: [], tagged: `C1 OK [COPYUID ${archive} 1:3,5 1:4] COPY completed` });
    // Into a mailbox that already holds messages: the new UIDs continue from its UIDNEXT.
    expect(await c.transact('COPY 4 Archive', 'C2')).toEqual({ untagged: [], tagged: `C2 OK [COPYUID ${archive} 4 5] COPY completed` });
    expect(await c.transact('COPY 2,4 Archive', 'C3')).toEqual({ untagged: [], tagged: `C3 OK [COPYUID ${archive} 2,4 6:7] COPY completed` });
  });

  it('UID COPY with ranges: sequence numbers and UIDs differ after an expunge; UIDs not there are skipped', async () => {
    const w = await withInbox(['1', '2', '3', '4', '5', '6']);
    const { c } = w;
    const trash = validity(w, 'Trash');
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 2,4 +FLAGS.SILENT (\\Deleted)');
    await ok(c, 'EXPUNGE'); // UIDs 1, 3, 5, 6 remain as messages 1–4
    expect(await c.transact('UID COPY 1:5 Trash', 'U1')).toEqual({ untagged: [], tagged: `U1 OK [COPYUID ${trash} 1,3,5 1:3] UID COPY completed` });
    expect(await c.transact('UID COPY 6,3 Trash', 'U2')).toEqual({ untagged: [], tagged: `U2 OK [COPYUID ${trash} 3,6 4:5] UID COPY completed` });
    expect(await c.transact('COPY 2:3 Trash', 'U3')).toEqual({ untagged: [], tagged: `U3 OK [COPYUID ${trash} 3,5 6:7] COPY completed` });
    // Nothing named exists: OK without COPYUID, nothing copied.
    expect(await c.transact('UID COPY 2,4 Trash', 'U4')).toEqual({ untagged: [], tagged: 'U4 OK UID COPY completed' });
    expect(await c.transact('STATUS Trash (MESSAGES UIDNEXT)', 'U5')).toEqual({ untagged: ['* STATUS "Trash" (MESSAGES 7 UIDNEXT 8)'], tagged: 'U5 OK STATUS completed' });
  });

  it('the copies are where COPYUID says', async () => {
    const w = await withInbox(['alpha', 'beta', 'gamma']);
    const { g, c } = w;
    await ok(c, 'SELECT INBOX');
    await ok(c, 'COPY 3 Archive');
    expect(await c.transact('UID COPY 1:2 Archive', 'U1')).toEqual({ untagged: [], tagged: `U1 OK [COPYUID ${validity(w, 'Archive')} 1:2 2:3] UID COPY completed` });
    const other = await login(g);
    await ok(other, 'EXAMINE Archive');
    expect(await other.transact('UID FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])', 'U2')).toEqual({
      untagged: [
        '* 1 FETCH (UID 1 BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: gamma\r\n\r\n)',
        '* 2 FETCH (UID 2 BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: alpha\r\n\r\n)',
        '* 3 FETCH (UID 3 BODY[HEADER.FIELDS (SUBJECT)] {17}\r\nSubject: beta\r\n\r\n)',
      ],
      tagged: 'U2 OK UID FETCH completed',
    });
  });
});

describe('UIDPLUS: UID EXPUNGE', () => {
  it('expunges only the \\Deleted messages among the UIDs named; a \\Deleted message not named stays', async () => {
    const { g, c } = await withInbox(['1', '2', '3', '4']);
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 2 +FLAGS.SILENT (\\Deleted)');
    // Another client flags message 4 meanwhile; this client only means to remove UID 2.
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(other, 'STORE 4 +FLAGS.SILENT (\\Deleted)');
    expect(await c.transact('UID EXPUNGE 2', 'X1')).toEqual({
      untagged: ['* 2 EXPUNGE', '* 3 FETCH (FLAGS (\\Deleted \\Recent))'],
      tagged: 'X1 OK UID EXPUNGE completed',
    });
    expect(await c.transact('UID FETCH 1:* (FLAGS)', 'X2')).toEqual({
      untagged: ['* 1 FETCH (UID 1 FLAGS (\\Recent))', '* 2 FETCH (UID 3 FLAGS (\\Recent))', '* 3 FETCH (UID 4 FLAGS (\\Deleted \\Recent))'],
      tagged: 'X2 OK UID FETCH completed',
    });
    expect(await other.transact('NOOP', 'X3')).toEqual({ untagged: ['* 2 EXPUNGE'], tagged: 'X3 OK NOOP completed' });
  });

  it('a range with messages that are not \\Deleted: only the \\Deleted ones go, numbers adjusted as they go', async () => {
    const { c } = await withInbox(['1', '2', '3', '4', '5']);
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 2,3,5 +FLAGS.SILENT (\\Deleted)');
    expect(await c.transact('UID EXPUNGE 1:3', 'X1')).toEqual({ untagged: ['* 3 EXPUNGE', '* 2 EXPUNGE'], tagged: 'X1 OK UID EXPUNGE completed' });
    expect(await c.transact('UID SEARCH DELETED', 'X2')).toEqual({ untagged: ['* SEARCH 5'], tagged: 'X2 OK UID SEARCH completed' });
    // UIDs that do not exist (any more) are ignored.
    expect(await c.transact('UID EXPUNGE 2:3,9', 'X3')).toEqual({ untagged: [], tagged: 'X3 OK UID EXPUNGE completed' });
    expect(await c.transact('UID EXPUNGE 5', 'X4')).toEqual({ untagged: ['* 3 EXPUNGE'], tagged: 'X4 OK UID EXPUNGE completed' });
    expect(await c.transact('UID FETCH 1:* (UID)', 'X5')).toEqual({ untagged: ['* 1 FETCH (UID 1)', '* 2 FETCH (UID 4)'], tagged: 'X5 OK UID FETCH completed' });
  });

  it('read-only (EXAMINE): NO [READ-ONLY], nothing expunged; bad UID sets: BAD', async () => {
    const { c } = await withInbox(['1', '2']);
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    await ok(c, 'UNSELECT');
    await ok(c, 'EXAMINE INBOX');
    expect(await c.transact('UID EXPUNGE 1', 'X1')).toEqual({ untagged: [], tagged: 'X1 NO [READ-ONLY] the mailbox was opened with EXAMINE' });
    expect(await c.transact('UID EXPUNGE', 'X2')).toEqual({ untagged: [], tagged: 'X2 BAD expected UID EXPUNGE uid-set' });
    expect(await c.transact('UID EXPUNGE 0', 'X3')).toEqual({ untagged: [], tagged: 'X3 BAD sequence set: 0 is not a valid message number in "0"' });
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
    expect(await c.transact('STATUS INBOX (MESSAGES)', 'X4')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 2)'], tagged: 'X4 OK STATUS completed' });
  });

  it('without a selected mailbox: BAD', async () => {
    const { c } = await world();
    expect(await c.transact('UID EXPUNGE 1', 'X1')).toEqual({ untagged: [], tagged: 'X1 BAD UID EXPUNGE is not allowed without a selected mailbox' });
  });
});
