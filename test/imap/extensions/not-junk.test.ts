// $NotJunk — taking a message out of Junk (the \Junk folder, RFC 6154) with IMAP MOVE / UID MOVE
// or the API's PUT …/messages/{id} with folders, to any folder but Trash: the moved message gets
// $NotJunk and loses $Junk (RFC 5788 registry keywords) through the ordinary flag update, so
// other sessions see the new flags at once, and its sender is remembered so the pipeline stops
// filing that sender's mail as spam. Into Trash, COPY, or moves between other folders change
// nothing.
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { api, apiKey } from '../../helpers/api.js';
import { folderMessages } from '../../helpers/gateway.js';
import { PASSWORD, SALES, type World, append, login, ok, world } from '../fixtures/session.js';
import { validity } from '../fixtures/extensions.js';

function spam(subject: string, from = 'Great Offers <Offers@Deals.example>', extra: string[] = []): string {
  return [
    ...(from ? [`From: ${from}`] : []),
    ...extra,
    'To: sales@agents.example.com',
    `Subject: ${subject}`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0100',
    `Message-ID: <${subject.replace(/\W/g, '')}@deals.example>`,
    '',
    `body of ${subject}`,
    '',
  ].join('\r\n');
}

const trusted = (w: World, address: string) => w.g.gateway.services.store.governance.isNotJunk(w.sales.id, address);
const flagsIn = (w: World, folder: string) => folderMessages(w.g, w.sales, folder).map((m) => m.flags);

describe('$NotJunk on MOVE out of Junk', () => {
  it('imapflow: MOVE from Junk to INBOX adds $NotJunk, drops $Junk, and remembers the sender', async () => {
    const w = await world();
    await append(w.c, 'Junk', spam('offer'), { flags: '$Junk \\Seen' });
    const imap = new ImapFlow({
      host: '127.0.0.1',
      port: w.g.ports.imaps,
      secure: true,
      auth: { user: SALES, pass: PASSWORD },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await imap.connect();
    try {
      await imap.mailboxOpen('Junk');
      expect(await imap.messageMove('1', 'INBOX', { uid: true })).toMatchObject({ destination: 'INBOX', uidMap: new Map([[1, 1]]) });
      await imap.mailboxOpen('INBOX');
      const message = await imap.fetchOne('1', { flags: true }, { uid: true });
      expect(message && [...message.flags!].sort()).toEqual(['$NotJunk', '\\Recent', '\\Seen']);
    } finally {
      await imap.logout();
    }
    expect(trusted(w, 'offers@deals.example')).toBe(true);
    expect(flagsIn(w, 'Junk')).toEqual([]);
  });

  it('the MOVE transcript is unchanged; in the target the messages have $NotJunk instead of $Junk, other flags kept', async () => {
    const w = await world();
    const { g, c } = w;
    await append(c, 'Junk', spam('one'), { flags: '$Junk' });
    await append(c, 'Junk', spam('two', 'Bob <bob@elsewhere.example>'), { flags: '$Junk \\Flagged' });
    const inbox = await login(g);
    await ok(inbox, 'SELECT INBOX');
    await ok(c, 'SELECT Junk');
    expect(await c.transact('UID MOVE 1:2 Archive', 'M1')).toEqual({
      untagged: [`* OK [COPYUID ${validity(w, 'Archive')} 1:2 1:2] moved`, '* 2 EXPUNGE', '* 1 EXPUNGE'],
      tagged: 'M1 OK UID MOVE completed',
    });
    await ok(inbox, 'SELECT Archive');
    expect(await inbox.transact('UID FETCH 1:* (FLAGS)', 'F1')).toEqual({
      untagged: ['* 1 FETCH (UID 1 FLAGS ($NotJunk \\Recent))', '* 2 FETCH (UID 2 FLAGS (\\Flagged $NotJunk \\Recent))'],
      tagged: 'F1 OK UID FETCH completed',
    });
    expect(trusted(w, 'offers@deals.example')).toBe(true);
    expect(trusted(w, 'bob@elsewhere.example')).toBe(true);
  });

  it('a session that has the target selected sees the message arrive with its new flags', async () => {
    const w = await world();
    const { g, c } = w;
    await append(c, 'Junk', spam('one'), { flags: '$Junk' });
    const inbox = await login(g);
    await ok(inbox, 'SELECT INBOX');
    await ok(c, 'SELECT Junk');
    await ok(c, 'MOVE 1 INBOX');
    expect(await inbox.transact('NOOP', 'N1')).toEqual({ untagged: ['* 1 EXISTS', '* 1 RECENT'], tagged: 'N1 OK NOOP completed' });
    expect(await inbox.transact('FETCH 1 (FLAGS)', 'N2')).toEqual({ untagged: ['* 1 FETCH (FLAGS ($NotJunk \\Recent))'], tagged: 'N2 OK FETCH completed' });
  });

  it('MOVE to Trash, COPY out of Junk, and moves between other folders change no flag and trust no one', async () => {
    const w = await world();
    const { c } = w;
    await append(c, 'Junk', spam('trash'), { flags: '$Junk' });
    await append(c, 'Junk', spam('copy', 'Copier <copier@deals.example>'), { flags: '$Junk' });
    await append(c, 'INBOX', spam('inbox', 'Friend <friend@deals.example>'), { flags: '$Junk' });
    await ok(c, 'SELECT Junk');
    await ok(c, 'UID MOVE 1 Trash');
    await ok(c, 'UID COPY 2 INBOX');
    expect(flagsIn(w, 'Trash')).toEqual([['$Junk']]);
    expect(flagsIn(w, 'Junk')).toEqual([['$Junk']]);
    await ok(c, 'SELECT INBOX');
    await ok(c, 'UID MOVE 1:* Archive');
    expect(flagsIn(w, 'Archive')).toEqual([['$Junk'], ['$Junk']]);
    for (const address of ['offers@deals.example', 'copier@deals.example', 'friend@deals.example']) expect(trusted(w, address)).toBe(false);
    // Into Junk itself (MOVE to the selected mailbox): still Junk.
    await ok(c, 'SELECT Junk');
    await ok(c, 'UID MOVE 2 Junk');
    expect(flagsIn(w, 'Junk')).toEqual([['$Junk']]);
    expect(trusted(w, 'copier@deals.example')).toBe(false);
  });

  it('a message without From: the envelope sender (Return-Path) is remembered; with neither, only the flags change', async () => {
    const w = await world();
    const { c } = w;
    await append(c, 'Junk', spam('bounce-ish', '', ['Return-Path: <Envelope@Deals.example>']), { flags: '$Junk' });
    await append(c, 'Junk', spam('anonymous', '', ['Return-Path: <>']), { flags: '$Junk' });
    await ok(c, 'SELECT Junk');
    await ok(c, 'UID MOVE 1:2 INBOX');
    expect(flagsIn(w, 'INBOX')).toEqual([['$NotJunk'], ['$NotJunk']]);
    expect(trusted(w, 'envelope@deals.example')).toBe(true);
  });
});

describe('$NotJunk on PUT /v3/grants/{id}/messages/{id} with folders', () => {
  it('moving out of Junk to INBOX marks $NotJunk and trusts the sender; an IMAP session sees the flags', async () => {
    const w = await world();
    const { g, c, sales } = w;
    const key = apiKey(g);
    await append(c, 'Junk', spam('offer'), { flags: '$Junk \\Seen' });
    const inbox = await login(g);
    await ok(inbox, 'SELECT INBOX');
    const [listed] = (await api(g, key, 'GET', `/v3/grants/${sales.id}/messages?in=Junk`)).body.data;
    const put = await api(g, key, 'PUT', `/v3/grants/${sales.id}/messages/${listed.id}`, { folders: ['INBOX'] });
    expect(put.status).toBe(200);
    expect(put.body.data.id).toBe(listed.id);
    expect(flagsIn(w, 'INBOX')).toEqual([['\\Seen', '$NotJunk']]);
    expect(trusted(w, 'offers@deals.example')).toBe(true);
    expect(await inbox.transact('NOOP', 'F1')).toEqual({ untagged: ['* 1 EXISTS', '* 1 RECENT'], tagged: 'F1 OK NOOP completed' });
    expect(await inbox.transact('FETCH 1 (FLAGS)', 'F2')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Seen $NotJunk \\Recent))'], tagged: 'F2 OK FETCH completed' });
  });

  it('moving out of Junk to Trash, or a change of flags alone, does not', async () => {
    const w = await world();
    const { g, c, sales } = w;
    const key = apiKey(g);
    await append(c, 'Junk', spam('one'), { flags: '$Junk' });
    await append(c, 'Junk', spam('two', 'Two <two@deals.example>'), { flags: '$Junk' });
    const listed = (await api(g, key, 'GET', `/v3/grants/${sales.id}/messages?in=Junk`)).body.data as { id: string; subject: string }[];
    const one = listed.find((m) => m.subject === 'one')!;
    const two = listed.find((m) => m.subject === 'two')!;
    expect((await api(g, key, 'PUT', `/v3/grants/${sales.id}/messages/${one.id}`, { folders: ['Trash'] })).status).toBe(200);
    expect((await api(g, key, 'PUT', `/v3/grants/${sales.id}/messages/${two.id}`, { unread: false })).status).toBe(200);
    expect(flagsIn(w, 'Trash')).toEqual([['$Junk']]);
    expect(flagsIn(w, 'Junk')).toEqual([['\\Seen', '$Junk']]);
    expect(trusted(w, 'offers@deals.example')).toBe(false);
    expect(trusted(w, 'two@deals.example')).toBe(false);
  });
});
