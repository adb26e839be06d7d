// LOGIN — RFC 3501 §6.2.3: user name and password as astrings (atom, quoted or literal). Every
// failure reads the same (RFC 5530 AUTHENTICATIONFAILED), so nobody learns whether an address
// exists; without TLS from an untrusted client it is refused with PRIVACYREQUIRED.
import { describe, expect, it } from 'vitest';
import { startTestGateway } from '../../helpers/gateway.js';
import { ImapLineClient, PASSWORD, SALES, connect, world } from '../fixtures/session.js';

const FAILED = 'NO [AUTHENTICATIONFAILED] authentication failed';
const LOGGED_IN = 'OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE ESEARCH CONDSTORE QRESYNC UTF8=ACCEPT STATUS=SIZE QUOTA QUOTA=RES-STORAGE APPENDLIMIT=52428800 COMPRESS=DEFLATE] logged in';

describe('LOGIN', () => {
  it('logs in with quoted strings; the session is then authenticated', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact(`LOGIN "${SALES}" "${PASSWORD}"`, 'L1')).toEqual({ untagged: [], tagged: `L1 ${LOGGED_IN}` });
    const select = await c.transact('SELECT INBOX', 'L2');
    expect(select.tagged).toBe('L2 OK [READ-WRITE] SELECT completed');
  });

  it('takes the user as an atom and both as synchronizing literals, each after a "+" continuation', async () => {
    const { g } = await world();
    const c = await connect(g);
    c.write(`L1 LOGIN ${SALES} {${PASSWORD.length}}\r\n`);
    expect(await c.response()).toBe('+ Ready for literal data');
    c.write(`${PASSWORD}\r\n`);
    expect(await c.until('L1')).toEqual({ untagged: [], tagged: `L1 ${LOGGED_IN}` });

    const d = await connect(g);
    d.write(`L2 LOGIN {${SALES.length}}\r\n`);
    expect(await d.response()).toBe('+ Ready for literal data');
    d.write(`${SALES} {${PASSWORD.length}}\r\n`);
    expect(await d.response()).toBe('+ Ready for literal data');
    d.write(`${PASSWORD}\r\n`);
    expect(await d.until('L2')).toEqual({ untagged: [], tagged: `L2 ${LOGGED_IN}` });
  });

  it('takes a non-synchronizing literal (LITERAL+, RFC 7888) without a continuation', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact(`LOGIN ${SALES} {${PASSWORD.length}+}\r\n${PASSWORD}`, 'L1')).toEqual({ untagged: [], tagged: `L1 ${LOGGED_IN}` });
  });

  it('wrong password, unknown address, account without app password: the same NO; the session goes on', async () => {
    const { g } = await world();
    await g.account('nopass', { password: null });
    const c = await connect(g);
    expect(await c.transact(`LOGIN ${SALES} "wrong password"`, 'L1')).toEqual({ untagged: [], tagged: `L1 ${FAILED}` });
    expect(await c.transact(`LOGIN nobody@agents.example.com "${PASSWORD}"`, 'L2')).toEqual({ untagged: [], tagged: `L2 ${FAILED}` });
    expect(await c.transact(`LOGIN nopass@agents.example.com "${PASSWORD}"`, 'L3')).toEqual({ untagged: [], tagged: `L3 ${FAILED}` });
    // Still not authenticated…
    expect(await c.transact('SELECT INBOX', 'L4')).toEqual({ untagged: [], tagged: 'L4 BAD SELECT is not allowed before login' });
    // …and a right password still works.
    expect(await c.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'L5')).toEqual({ untagged: [], tagged: `L5 ${LOGGED_IN}` });
  });

  it('malformed arguments: BAD', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact('LOGIN', 'L1')).toEqual({ untagged: [], tagged: 'L1 BAD expected LOGIN user password' });
    expect(await c.transact(`LOGIN ${SALES}`, 'L2')).toEqual({ untagged: [], tagged: 'L2 BAD expected LOGIN user password' });
    expect(await c.transact('LOGIN a b c', 'L3')).toEqual({ untagged: [], tagged: 'L3 BAD expected LOGIN user password' });
    expect(await c.transact('LOGIN a "b', 'L4')).toEqual({ untagged: [], tagged: 'L4 BAD unterminated quoted string' });
    expect(await c.transact('LOGIN (a) b', 'L5')).toEqual({ untagged: [], tagged: 'L5 BAD argument: expected a string, not a list' });
    expect(await c.transact('NOOP', 'L6')).toEqual({ untagged: [], tagged: 'L6 OK NOOP completed' });
  });

  it('BAD once logged in (not-authenticated state only)', async () => {
    const { c } = await world();
    const result = await c.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'L1');
    expect(result.untagged).toEqual([]);
    expect(result.tagged).toMatch(/^L1 BAD LOGIN is not allowed /);
  });

  it('without TLS from an untrusted client: NO [PRIVACYREQUIRED], even with the right password', async () => {
    const g = await startTestGateway({}, { trustLoopback: false });
    await g.account('sales');
    const { client } = await ImapLineClient.connect(g.ports.imap);
    expect(await client.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'L1')).toEqual({
      untagged: [],
      tagged: 'L1 NO [PRIVACYREQUIRED] log in over TLS: use STARTTLS first, or the IMAPS port',
    });
    expect(await client.transact('NOOP', 'L2')).toEqual({ untagged: [], tagged: 'L2 OK NOOP completed' });
  });

  it('after too many failures: BYE [UNAVAILABLE], and a new connection from the address is refused', async () => {
    const { g } = await world({ WICKET_AUTH_MAX_FAILURES: '2' });
    const c = await connect(g);
    expect(await c.transact(`LOGIN ${SALES} wrong1`, 'L1')).toEqual({ untagged: [], tagged: `L1 ${FAILED}` });
    expect(await c.transact(`LOGIN ${SALES} wrong2`, 'L2')).toEqual({ untagged: [], tagged: `L2 ${FAILED}` });
    c.write(`L3 LOGIN ${SALES} "${PASSWORD}"\r\n`);
    expect(await c.response()).toMatch(/^\* BYE \[UNAVAILABLE\] too many failed logins; try again in \d+ seconds$/);
    expect(await c.closedByServer()).toBe(true);
    const { greeting } = await ImapLineClient.connect(g.ports.imap);
    expect(greeting).toBe('* BYE [UNAVAILABLE] too many failed logins from your address; try again later');
  });
});
