// COMPRESS=DEFLATE — RFC 4978. After the tagged OK of COMPRESS DEFLATE both directions are raw
// DEFLATE (RFC 1951, no zlib header), each side flushing so the other can read every response
// (§4). Once active, COMPRESS=DEFLATE is no longer listed and a second COMPRESS is NO
// [COMPRESSIONACTIVE] (§3). A stream that does not inflate ends the session (§3); the server
// goes on serving other connections.
import { describe, expect, it } from 'vitest';
import { DeflateClient } from '../fixtures/deflate-client.js';
import { PASSWORD, SALES, append, folder, login, ok, simple, stillServes, world } from '../fixtures/session.js';
import { mailFromBob } from '../fixtures/extensions.js';
import type { TestGateway } from '../../helpers/gateway.js';

const CAPABILITIES =
  'IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE ESEARCH CONDSTORE QRESYNC UTF8=ACCEPT STATUS=SIZE QUOTA QUOTA=RES-STORAGE APPENDLIMIT=52428800';

/** A DEFLATE-capable client, logged in, with COMPRESS DEFLATE done and the streams switched. */
async function compressed(g: TestGateway): Promise<DeflateClient> {
  const { client } = await DeflateClient.connect(g.ports.imap);
  expect(await client.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'L1')).toEqual({ untagged: [], tagged: `L1 OK [CAPABILITY ${CAPABILITIES} COMPRESS=DEFLATE] logged in` });
  expect(await client.transact('COMPRESS DEFLATE', 'L2')).toEqual({ untagged: [], tagged: 'L2 OK DEFLATE active' });
  client.startCompression();
  return client;
}

describe('COMPRESS=DEFLATE', () => {
  it('a round trip: CAPABILITY (no COMPRESS=DEFLATE any more), SELECT, FETCH of bodies, LOGOUT', async () => {
    const { g, sales, c } = await world();
    const small = simple('compressed', 'Hello through DEFLATE');
    // Big enough to take many DEFLATE blocks and socket writes.
    const big = simple('big', Array.from({ length: 4000 }, (_, i) => `line ${i} ${'abcdefghij'.repeat(i % 7)}`).join('\r\n'));
    await append(c, 'INBOX', small, { flags: '\\Seen', date: '01-Nov-2026 10:00:00 +0000' });
    await append(c, 'INBOX', big, { date: '01-Nov-2026 10:00:00 +0000' });
    const z = await compressed(g);
    expect(z.compressed).toBe(true);
    expect(await z.transact('CAPABILITY', 'Z1')).toEqual({ untagged: [`* CAPABILITY ${CAPABILITIES}`], tagged: 'Z1 OK CAPABILITY completed' });
    const { uidValidity } = folder(g, sales, 'INBOX');
    expect(await z.transact('SELECT INBOX', 'Z2')).toEqual({
      untagged: [
        '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)',
        '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] flags permitted',
        '* 2 EXISTS',
        '* 2 RECENT',
        '* OK [UNSEEN 2] first unseen message',
        `* OK [UIDVALIDITY ${uidValidity}] UIDs valid`,
        '* OK [UIDNEXT 3] predicted next UID',
      ],
      tagged: 'Z2 OK [READ-WRITE] SELECT completed',
    });
    expect(await z.transact('FETCH 1 (BODY[])', 'Z3')).toEqual({
      untagged: [`* 1 FETCH (BODY[] {${Buffer.byteLength(small)}}\r\n${small})`],
      tagged: 'Z3 OK FETCH completed',
    });
    expect(await z.transact('UID FETCH 2 (BODY.PEEK[] RFC822.SIZE)', 'Z4')).toEqual({
      untagged: [`* 2 FETCH (UID 2 BODY[] {${Buffer.byteLength(big)}}\r\n${big} RFC822.SIZE ${Buffer.byteLength(big)})`],
      tagged: 'Z4 OK UID FETCH completed',
    });
    expect(await z.transact('LOGOUT', 'Z5')).toEqual({ untagged: ['* BYE Wicket logging out'], tagged: 'Z5 OK LOGOUT completed' });
    expect(await z.closedByServer()).toBe(true);
    expect(z.inflateError).toBeNull();
  });

  it('a second COMPRESS: NO [COMPRESSIONACTIVE], and the compressed session goes on', async () => {
    const { g } = await world();
    const z = await compressed(g);
    expect(await z.transact('COMPRESS DEFLATE', 'Z1')).toEqual({ untagged: [], tagged: 'Z1 NO [COMPRESSIONACTIVE] compression is already active' });
    expect(await z.transact('NOOP', 'Z2')).toEqual({ untagged: [], tagged: 'Z2 OK NOOP completed' });
  });

  it('a FETCH of many large bodies arrives whole through the compressor (writes wait for it, not per message)', async () => {
    const { g, sales, c } = await world();
    const mail = g.gateway.services.store.mail;
    const inbox = folder(g, sales, 'INBOX');
    // 40 distinct ~200 KB messages: megabytes of output, far past every stream's high-water mark.
    const bodies = Array.from({ length: 40 }, (_, n) =>
      simple(`bulk ${n}`, Array.from({ length: 2500 }, (_, i) => `${n}:${i} ${((n * 7919 + i * 104729) % 1000003).toString(36).repeat(8)}`).join('\r\n')),
    );
    for (const raw of bodies) mail.appendMessage(sales.id, inbox.id, { raw: Buffer.from(raw), flags: [] });
    const z = await compressed(g);
    await ok(c, 'NOOP');
    expect((await z.transact('EXAMINE INBOX', 'B1')).tagged).toBe('B1 OK [READ-ONLY] EXAMINE completed');
    const fetched = await z.transact('FETCH 1:* (BODY.PEEK[])', 'B2');
    expect(fetched.tagged).toBe('B2 OK FETCH completed');
    expect(fetched.untagged).toEqual(bodies.map((raw, i) => `* ${i + 1} FETCH (BODY[] {${Buffer.byteLength(raw)}}\r\n${raw})`));
    expect(await z.transact('NOOP', 'B3')).toEqual({ untagged: [], tagged: 'B3 OK NOOP completed' });
    expect(z.inflateError).toBeNull();
  });

  it('unsolicited responses are flushed too: IDLE hears of new mail through the compressed stream', async () => {
    const { g } = await world();
    const z = await compressed(g);
    await z.transact('SELECT INBOX', 'Z1');
    z.write('Z2 IDLE\r\n');
    expect(await z.response()).toBe('+ idling');
    await mailFromBob(g, 'compressed push');
    expect([await z.response(), await z.response()]).toEqual(['* 1 EXISTS', '* 1 RECENT']);
    z.write('DONE\r\n');
    expect(await z.until('Z2')).toEqual({ untagged: [], tagged: 'Z2 OK IDLE terminated' });
  });

  it('a corrupt DEFLATE stream ends the session; the server keeps serving new connections', async () => {
    const { g } = await world();
    const z = await compressed(g);
    expect(await z.transact('NOOP', 'Z1')).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
    // 0xFF: a final block of the reserved type 11 (RFC 1951 §3.2.3) — not inflatable.
    z.writeRaw(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect(await z.response()).toBe('* BYE corrupt compressed data');
    expect(await z.closedByServer()).toBe(true);
    const fresh = await login(g);
    expect(await fresh.transact('NOOP', 'F1')).toEqual({ untagged: [], tagged: 'F1 OK NOOP completed' });
    const again = await compressed(g);
    expect(await again.transact('NOOP', 'F2')).toEqual({ untagged: [], tagged: 'F2 OK NOOP completed' });
  });

  it('COMPRESS before login, with an unknown algorithm, or without one: BAD; the session stays uncompressed', async () => {
    const { g, c } = await world();
    const { client } = await DeflateClient.connect(g.ports.imap);
    expect(await client.transact('COMPRESS DEFLATE', 'B1')).toEqual({ untagged: [], tagged: 'B1 BAD COMPRESS is not allowed before login' });
    expect(await c.transact('COMPRESS GZIP', 'B2')).toEqual({ untagged: [], tagged: 'B2 BAD unknown compression algorithm GZIP; use DEFLATE' });
    expect(await c.transact('COMPRESS', 'B3')).toEqual({ untagged: [], tagged: 'B3 BAD expected COMPRESS DEFLATE' });
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
    await ok(c, 'SELECT INBOX');
    // Still plain text, and still offered.
    expect((await c.transact('CAPABILITY', 'B4')).untagged).toEqual([`* CAPABILITY ${CAPABILITIES} COMPRESS=DEFLATE`]);
  });
});
