// AUTHENTICATE PLAIN — RFC 3501 §6.2.2 with SASL PLAIN (RFC 4616: [authzid] NUL authcid NUL
// passwd, base64) and the initial response on the command line (SASL-IR, RFC 4959). Without it
// the server sends an empty challenge "+ " and reads one line; "*" cancels with BAD, as does
// a response that is not base64 (RFC 3501 §6.2.2).
import { describe, expect, it } from 'vitest';
import { startTestGateway } from '../../helpers/gateway.js';
import { ImapLineClient, PASSWORD, SALES, connect, world } from '../fixtures/session.js';

const plain = (authzid: string, user: string, password: string) => Buffer.from(`${authzid}\0${user}\0${password}`).toString('base64');
const LOGGED_IN = 'OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE ESEARCH CONDSTORE QRESYNC UTF8=ACCEPT STATUS=SIZE QUOTA QUOTA=RES-STORAGE APPENDLIMIT=52428800 COMPRESS=DEFLATE] logged in';

describe('AUTHENTICATE', () => {
  it('PLAIN with an initial response (SASL-IR): one round trip', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact(`AUTHENTICATE PLAIN ${plain('', SALES, PASSWORD)}`, 'U1')).toEqual({ untagged: [], tagged: `U1 ${LOGGED_IN}` });
    expect((await c.transact('SELECT INBOX', 'U2')).tagged).toBe('U2 OK [READ-WRITE] SELECT completed');
  });

  it('PLAIN without an initial response: an empty "+ " challenge, then the response line', async () => {
    const { g } = await world();
    const c = await connect(g);
    c.write('U1 authenticate plain\r\n');
    expect(await c.response()).toBe('+ ');
    c.write(`${plain('', SALES, PASSWORD)}\r\n`);
    expect(await c.until('U1')).toEqual({ untagged: [], tagged: `U1 ${LOGGED_IN}` });
  });

  it('an authorization identity equal to the user is accepted', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact(`AUTHENTICATE PLAIN ${plain(SALES.toUpperCase(), SALES, PASSWORD)}`, 'U1')).toEqual({
      untagged: [],
      tagged: `U1 ${LOGGED_IN}`,
    });
  });

  it('"*" cancels with BAD; the session stays unauthenticated and goes on', async () => {
    const { g } = await world();
    const c = await connect(g);
    c.write('U1 AUTHENTICATE PLAIN\r\n');
    expect(await c.response()).toBe('+ ');
    c.write('*\r\n');
    expect(await c.until('U1')).toEqual({ untagged: [], tagged: 'U1 BAD AUTHENTICATE cancelled' });
    expect(await c.transact('SELECT INBOX', 'U2')).toEqual({ untagged: [], tagged: 'U2 BAD SELECT is not allowed before login' });
    expect(await c.transact(`AUTHENTICATE PLAIN ${plain('', SALES, PASSWORD)}`, 'U3')).toEqual({ untagged: [], tagged: `U3 ${LOGGED_IN}` });
  });

  it('an authorization identity other than the user: NO [AUTHORIZATIONFAILED]', async () => {
    const { g } = await world();
    await g.account('bob');
    const c = await connect(g);
    expect(await c.transact(`AUTHENTICATE PLAIN ${plain('bob@agents.example.com', SALES, PASSWORD)}`, 'U1')).toEqual({
      untagged: [],
      tagged: 'U1 NO [AUTHORIZATIONFAILED] cannot act as another user',
    });
    c.write('U2 AUTHENTICATE PLAIN\r\n');
    expect(await c.response()).toBe('+ ');
    c.write(`${plain('bob@agents.example.com', SALES, PASSWORD)}\r\n`);
    expect(await c.until('U2')).toEqual({ untagged: [], tagged: 'U2 NO [AUTHORIZATIONFAILED] cannot act as another user' });
    expect(await c.transact('NOOP', 'U3')).toEqual({ untagged: [], tagged: 'U3 OK NOOP completed' });
  });

  it('a wrong password: NO [AUTHENTICATIONFAILED]', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact(`AUTHENTICATE PLAIN ${plain('', SALES, 'wrong')}`, 'U1')).toEqual({
      untagged: [],
      tagged: 'U1 NO [AUTHENTICATIONFAILED] authentication failed',
    });
  });

  it('bad input: not base64, not three fields, an unknown mechanism, no mechanism', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact('AUTHENTICATE PLAIN !!!', 'U1')).toEqual({ untagged: [], tagged: 'U1 BAD the response is not base64' });
    c.write('U2 AUTHENTICATE PLAIN\r\n');
    expect(await c.response()).toBe('+ ');
    c.write('not base64!\r\n');
    expect(await c.until('U2')).toEqual({ untagged: [], tagged: 'U2 BAD the response is not base64' });
    expect(await c.transact(`AUTHENTICATE PLAIN ${Buffer.from(`${SALES}:${PASSWORD}`).toString('base64')}`, 'U3')).toEqual({
      untagged: [],
      tagged: 'U3 BAD malformed PLAIN response',
    });
    // RFC 4959: "=" is an empty initial response, which is no PLAIN message.
    expect(await c.transact('AUTHENTICATE PLAIN =', 'U4')).toEqual({ untagged: [], tagged: 'U4 BAD malformed PLAIN response' });
    expect(await c.transact('AUTHENTICATE CRAM-MD5', 'U5')).toEqual({ untagged: [], tagged: 'U5 NO [CANNOT] unsupported mechanism CRAM-MD5; use PLAIN' });
    expect(await c.transact('AUTHENTICATE', 'U6')).toEqual({ untagged: [], tagged: 'U6 BAD expected a SASL mechanism' });
    expect(await c.transact('AUTHENTICATE PLAIN a b', 'U7')).toEqual({ untagged: [], tagged: 'U7 BAD expected AUTHENTICATE mechanism [initial-response]' });
    expect(await c.transact('NOOP', 'U8')).toEqual({ untagged: [], tagged: 'U8 OK NOOP completed' });
  });

  it('without TLS from an untrusted client: NO [PRIVACYREQUIRED] before any challenge', async () => {
    const g = await startTestGateway({}, { trustLoopback: false });
    await g.account('sales');
    const { client } = await ImapLineClient.connect(g.ports.imap);
    expect(await client.transact('AUTHENTICATE PLAIN', 'U1')).toEqual({
      untagged: [],
      tagged: 'U1 NO [PRIVACYREQUIRED] log in over TLS: use STARTTLS first, or the IMAPS port',
    });
    await client.startTls();
    expect(await client.transact(`AUTHENTICATE PLAIN ${plain('', SALES, PASSWORD)}`, 'U2')).toEqual({ untagged: [], tagged: `U2 ${LOGGED_IN}` });
  });

  it('BAD once logged in', async () => {
    const { c } = await world();
    const result = await c.transact(`AUTHENTICATE PLAIN ${plain('', SALES, PASSWORD)}`, 'U1');
    expect(result.untagged).toEqual([]);
    expect(result.tagged).toMatch(/^U1 BAD AUTHENTICATE is not allowed /);
  });
});
