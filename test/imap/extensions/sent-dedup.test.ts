// No duplicate Sent copies. SMTP submission stores the sender's copy in Sent itself; clients
// such as Thunderbird and Apple Mail then APPEND their own copy to Sent as well. An APPEND to the
// \Sent mailbox whose Message-ID matches a copy stored in the last WICKET_SENT_DEDUP_MINUTES
// (default 10; 0 turns it off) keeps the stored one: APPENDUID names its UID, the client's flags
// are added to it, nothing new appears. Any other APPEND is a new message as usual.
//
// Note: RFC 3501 §6.3.11 describes APPEND as adding "a new message"; this is a deliberate product
// rule (src/delivery/pipeline.ts, DeliveryPipeline.append) that these tests pin down.
import { describe, expect, it } from 'vitest';
import type { TestGateway } from '../../helpers/gateway.js';
import { BOB, SALES, appendCommand, login, ok, world } from '../fixtures/session.js';
import { submit, validity } from '../fixtures/extensions.js';

function message(messageId: string, subject = 'quarterly numbers'): string {
  return [
    `From: Sales <${SALES}>`,
    `To: <${BOB}>`,
    `Subject: ${subject}`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0000',
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The numbers are attached in spirit.',
    '',
  ].join('\r\n');
}

/** Sales sends `raw` to Bob over SMTP submission; the server stores the Sent copy. */
async function send(g: TestGateway, raw: string): Promise<void> {
  await g.account('bob').catch(() => undefined);
  await submit(g, SALES, { envelope: { from: SALES, to: [BOB] }, raw });
}

describe('no duplicate Sent copies', () => {
  it('APPEND of the message just sent (same Message-ID) to Sent: APPENDUID names the stored copy; Sent holds one message', async () => {
    const w = await world();
    const { g, c } = w;
    const raw = message('dedup-1@agents.example.com');
    await send(g, raw);
    expect(await c.transact('STATUS Sent (MESSAGES UIDNEXT)', 'D1')).toEqual({ untagged: ['* STATUS "Sent" (MESSAGES 1 UIDNEXT 2)'], tagged: 'D1 OK STATUS completed' });
    expect(await c.transact(appendCommand('Sent', raw, { flags: '\\Seen' }), 'D2')).toEqual({
      untagged: [],
      tagged: `D2 OK [APPENDUID ${validity(w, 'Sent')} 1] APPEND completed`,
    });
    expect(await c.transact('STATUS Sent (MESSAGES UIDNEXT)', 'D3')).toEqual({ untagged: ['* STATUS "Sent" (MESSAGES 1 UIDNEXT 2)'], tagged: 'D3 OK STATUS completed' });
    await ok(c, 'EXAMINE Sent');
    expect(await c.transact('UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])', 'D4')).toEqual({
      untagged: ['* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent) BODY[HEADER.FIELDS (MESSAGE-ID)] {44}\r\nMessage-ID: <dedup-1@agents.example.com>\r\n\r\n)'],
      tagged: 'D4 OK UID FETCH completed',
    });
  });

  it("the client's flags are added to the stored copy; a session with Sent selected sees the flag change, no EXISTS", async () => {
    const w = await world();
    const { g, c } = w;
    const raw = message('dedup-2@agents.example.com');
    await send(g, raw);
    const watcher = await login(g);
    await ok(watcher, 'SELECT Sent');
    expect(await c.transact(appendCommand('Sent', raw, { flags: '\\Seen $Forwarded' }), 'D1')).toEqual({
      untagged: [],
      tagged: `D1 OK [APPENDUID ${validity(w, 'Sent')} 1] APPEND completed`,
    });
    expect(await watcher.transact('NOOP', 'D2')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Seen $Forwarded \\Recent))'], tagged: 'D2 OK NOOP completed' });
    // Appending again (a client retrying) changes nothing more.
    expect(await c.transact(appendCommand('Sent', raw, { flags: '\\Seen' }), 'D3')).toEqual({
      untagged: [],
      tagged: `D3 OK [APPENDUID ${validity(w, 'Sent')} 1] APPEND completed`,
    });
    expect(await watcher.transact('NOOP', 'D4')).toEqual({ untagged: [], tagged: 'D4 OK NOOP completed' });
  });

  it('with Sent selected in the appending session too (Thunderbird): no EXISTS, nothing new to fetch', async () => {
    const w = await world();
    const { g, c } = w;
    const raw = message('dedup-3@agents.example.com');
    await send(g, raw);
    await ok(c, 'SELECT Sent');
    expect(await c.transact(appendCommand('Sent', raw, { flags: '\\Seen' }), 'D1')).toEqual({
      untagged: [],
      tagged: `D1 OK [APPENDUID ${validity(w, 'Sent')} 1] APPEND completed`,
    });
    expect(await c.transact('UID FETCH 1:* (UID)', 'D2')).toEqual({ untagged: ['* 1 FETCH (UID 1)'], tagged: 'D2 OK UID FETCH completed' });
  });

  it('a different Message-ID: a second message', async () => {
    const w = await world();
    const { g, c } = w;
    await send(g, message('dedup-4@agents.example.com'));
    expect(await c.transact(appendCommand('Sent', message('other-4@agents.example.com'), { flags: '\\Seen' }), 'D1')).toEqual({
      untagged: [],
      tagged: `D1 OK [APPENDUID ${validity(w, 'Sent')} 2] APPEND completed`,
    });
    expect(await c.transact('STATUS Sent (MESSAGES)', 'D2')).toEqual({ untagged: ['* STATUS "Sent" (MESSAGES 2)'], tagged: 'D2 OK STATUS completed' });
  });

  it('only Sent is de-duplicated: the same message APPENDed to Drafts or Archive is a new message', async () => {
    const w = await world();
    const { g, c } = w;
    const raw = message('dedup-5@agents.example.com');
    await send(g, raw);
    expect(await c.transact(appendCommand('Archive', raw, { flags: '\\Seen' }), 'D1')).toEqual({
      untagged: [],
      tagged: `D1 OK [APPENDUID ${validity(w, 'Archive')} 1] APPEND completed`,
    });
    expect(await c.transact(appendCommand('Drafts', raw, { flags: '\\Draft' }), 'D2')).toEqual({
      untagged: [],
      tagged: `D2 OK [APPENDUID ${validity(w, 'Drafts')} 1] APPEND completed`,
    });
    expect(await c.transact('STATUS Sent (MESSAGES)', 'D3')).toEqual({ untagged: ['* STATUS "Sent" (MESSAGES 1)'], tagged: 'D3 OK STATUS completed' });
  });

  it('APPENDs to Sent without a sent copy to match are new messages — also twice the same Message-ID', async () => {
    const w = await world();
    const { c } = w;
    const raw = message('only-appended@agents.example.com');
    expect(await c.transact(appendCommand('Sent', raw, { flags: '\\Seen' }), 'D1')).toEqual({ untagged: [], tagged: `D1 OK [APPENDUID ${validity(w, 'Sent')} 1] APPEND completed` });
    const noId = message('x').replace(/^Message-ID: .*\r\n/m, '');
    expect(await c.transact(appendCommand('Sent', noId), 'D2')).toEqual({ untagged: [], tagged: `D2 OK [APPENDUID ${validity(w, 'Sent')} 2] APPEND completed` });
    expect(await c.transact(appendCommand('Sent', noId), 'D3')).toEqual({ untagged: [], tagged: `D3 OK [APPENDUID ${validity(w, 'Sent')} 3] APPEND completed` });
  });

  it('WICKET_SENT_DEDUP_MINUTES=0 turns it off: two copies', async () => {
    const w = await world({ WICKET_SENT_DEDUP_MINUTES: '0' });
    const { g, c } = w;
    const raw = message('dedup-6@agents.example.com');
    await send(g, raw);
    expect(await c.transact(appendCommand('Sent', raw, { flags: '\\Seen' }), 'D1')).toEqual({
      untagged: [],
      tagged: `D1 OK [APPENDUID ${validity(w, 'Sent')} 2] APPEND completed`,
    });
    expect(await c.transact('STATUS Sent (MESSAGES)', 'D2')).toEqual({ untagged: ['* STATUS "Sent" (MESSAGES 2)'], tagged: 'D2 OK STATUS completed' });
  });
});
