// APPENDLIMIT — RFC 7889. APPENDLIMIT=n in CAPABILITY (§2) says every mailbox takes messages of
// up to n octets; n is WICKET_IMAP_MAX_LITERAL_SIZE. A bigger APPEND is refused with a tagged NO
// [TOOBIG] (§4) — for a synchronizing literal before the client sends it. STATUS and LIST-STATUS
// know the APPENDLIMIT item (§3.1, §3.2, §5).
import { describe, expect, it } from 'vitest';
import { appendCommand, ok, stillServes, world } from '../fixtures/session.js';
import { validity } from '../fixtures/extensions.js';

/** A message of exactly `size` octets. */
function messageOf(size: number): string {
  const head = 'Subject: sized\r\n\r\n';
  return head + 'x'.repeat(size - head.length);
}

describe('APPENDLIMIT', () => {
  it('the capability carries WICKET_IMAP_MAX_LITERAL_SIZE', async () => {
    const { c } = await world({ WICKET_IMAP_MAX_LITERAL_SIZE: '4096' });
    const caps = (await c.transact('CAPABILITY', 'A1')).untagged[0]!.split(' ');
    expect(caps.filter((cap) => cap.startsWith('APPENDLIMIT'))).toEqual(['APPENDLIMIT=4096']);
  });

  it('the default: 50 MiB', async () => {
    const { c } = await world();
    const caps = (await c.transact('CAPABILITY', 'A1')).untagged[0]!.split(' ');
    expect(caps.filter((cap) => cap.startsWith('APPENDLIMIT'))).toEqual(['APPENDLIMIT=52428800']);
  });

  it('a message of exactly the limit is taken; one octet more is NO [TOOBIG], nothing stored', async () => {
    const w = await world({ WICKET_IMAP_MAX_LITERAL_SIZE: '4096' });
    const { c } = w;
    expect(await c.transact(appendCommand('INBOX', messageOf(4096)), 'A1')).toEqual({ untagged: [], tagged: `A1 OK [APPENDUID ${validity(w, 'INBOX')} 1] APPEND completed` });
    // LITERAL+ (non-synchronizing): the bytes come anyway and are thrown away.
    expect(await c.transact(appendCommand('INBOX', messageOf(4097)), 'A2')).toEqual({ untagged: [], tagged: 'A2 NO [TOOBIG] a literal of 4097 bytes is over the limit of 4096' });
    // Synchronizing: no "+", the NO comes at once and the client sends nothing more.
    c.write('A3 APPEND Sent (\\Seen) {4097}\r\n');
    expect(await c.until('A3')).toEqual({ untagged: [], tagged: 'A3 NO [TOOBIG] a literal of 4097 bytes is over the limit of 4096' });
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
    expect(await c.transact('STATUS INBOX (MESSAGES SIZE)', 'A4')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 1 SIZE 4096)'], tagged: 'A4 OK STATUS completed' });
    expect(await c.transact('STATUS Sent (MESSAGES)', 'A5')).toEqual({ untagged: ['* STATUS "Sent" (MESSAGES 0)'], tagged: 'A5 OK STATUS completed' });
  });

  it('the limit is per message: several APPENDs under it are fine', async () => {
    const { c } = await world({ WICKET_IMAP_MAX_LITERAL_SIZE: '4096' });
    for (let i = 0; i < 3; i++) await ok(c, appendCommand('Archive', messageOf(4000)));
    expect(await c.transact('STATUS Archive (MESSAGES SIZE)', 'A4')).toEqual({ untagged: ['* STATUS "Archive" (MESSAGES 3 SIZE 12000)'], tagged: 'A4 OK STATUS completed' });
  });

  // RFC 7889 §3.1: "A new attribute APPENDLIMIT is added to get the limit set by the server for a
  // mailbox as part of a STATUS command" (§5: status-att =/ "APPENDLIMIT"; status-att-val =/
  // "APPENDLIMIT" SP (number / nil)).
  it('STATUS INBOX (APPENDLIMIT) answers with the limit (RFC 7889 §3.1, §5)', async () => {
    const { c } = await world({ WICKET_IMAP_MAX_LITERAL_SIZE: '4096' });
    expect(await c.transact('STATUS INBOX (APPENDLIMIT)', 'A1')).toEqual({ untagged: ['* STATUS "INBOX" (APPENDLIMIT 4096)'], tagged: 'A1 OK STATUS completed' });
  });

  // RFC 7889 §3.2: with LIST-STATUS "the client can issue a LIST command in combination with the
  // STATUS return option to get the mailbox-specific upload value … The IMAP server MUST
  // recognize the APPENDLIMIT attribute and include an appropriate STATUS response for each
  // matching mailbox."
  it('LIST … RETURN (STATUS (APPENDLIMIT)) answers with the limit (RFC 7889 §3.2)', async () => {
    const { c } = await world({ WICKET_IMAP_MAX_LITERAL_SIZE: '4096' });
    expect(await c.transact('LIST "" "INBOX" RETURN (STATUS (APPENDLIMIT))', 'A1')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "INBOX"', '* STATUS "INBOX" (APPENDLIMIT 4096)'],
      tagged: 'A1 OK LIST completed',
    });
  });
});
