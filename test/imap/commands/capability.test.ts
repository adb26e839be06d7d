// CAPABILITY — RFC 3501 §6.1.1: any state; one untagged CAPABILITY listing IMAP4rev1, then OK.
// What is listed depends on the state: STARTTLS only before TLS, AUTH=PLAIN only where a
// password may be sent (TLS or trusted loopback), LOGINDISABLED otherwise (RFC 3501 §6.2.3).
import { describe, expect, it } from 'vitest';
import { startTestGateway } from '../../helpers/gateway.js';
import { ImapLineClient, PASSWORD, SALES, stillServes, world } from '../fixtures/session.js';

describe('CAPABILITY', () => {
  it('before login on the plain port: STARTTLS and AUTH=PLAIN (loopback is trusted), also in the greeting', async () => {
    const g = await startTestGateway();
    const { client, greeting } = await ImapLineClient.connect(g.ports.imap);
    expect(greeting).toBe('* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE STARTTLS AUTH=PLAIN] mail.wicket.test Wicket IMAP ready');
    expect(await client.transact('CAPABILITY', 'C1')).toEqual({
      untagged: ['* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE STARTTLS AUTH=PLAIN'],
      tagged: 'C1 OK CAPABILITY completed',
    });
    // Command names are case-insensitive (RFC 3501 §9: "alphabetic characters are case-insensitive").
    expect(await client.transact('capability', 'C2')).toEqual({
      untagged: ['* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE STARTTLS AUTH=PLAIN'],
      tagged: 'C2 OK CAPABILITY completed',
    });
  });

  it('after STARTTLS: no STARTTLS any more (RFC 3501 §6.2.1: the client must ask again)', async () => {
    const g = await startTestGateway();
    const { client } = await ImapLineClient.connect(g.ports.imap);
    expect(await client.startTls()).toEqual({ untagged: [], tagged: 'A1 OK Begin TLS negotiation now' });
    expect(await client.transact('CAPABILITY', 'C1')).toEqual({
      untagged: ['* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE AUTH=PLAIN'],
      tagged: 'C1 OK CAPABILITY completed',
    });
  });

  it('on IMAPS (implicit TLS, RFC 8314): no STARTTLS', async () => {
    const g = await startTestGateway();
    const { client, greeting } = await ImapLineClient.connect(g.ports.imaps, { tls: true });
    expect(greeting).toBe('* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE AUTH=PLAIN] mail.wicket.test Wicket IMAP ready');
    expect(await client.transact('CAPABILITY', 'C1')).toEqual({
      untagged: ['* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE AUTH=PLAIN'],
      tagged: 'C1 OK CAPABILITY completed',
    });
  });

  it('without TLS from an untrusted client: LOGINDISABLED instead of AUTH=PLAIN', async () => {
    const g = await startTestGateway({}, { trustLoopback: false });
    const { client, greeting } = await ImapLineClient.connect(g.ports.imap);
    expect(greeting).toBe('* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE STARTTLS LOGINDISABLED] mail.wicket.test Wicket IMAP ready');
    expect(await client.transact('CAPABILITY', 'C1')).toEqual({
      untagged: ['* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE STARTTLS LOGINDISABLED'],
      tagged: 'C1 OK CAPABILITY completed',
    });
    await client.startTls();
    expect(await client.transact('CAPABILITY', 'C2')).toEqual({
      untagged: ['* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE AUTH=PLAIN'],
      tagged: 'C2 OK CAPABILITY completed',
    });
  });

  it('after login and with a mailbox selected: no authentication capabilities', async () => {
    const { c } = await world();
    const after = { untagged: ['* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE ESEARCH CONDSTORE QRESYNC UTF8=ACCEPT STATUS=SIZE QUOTA QUOTA=RES-STORAGE APPENDLIMIT=52428800 COMPRESS=DEFLATE'], tagged: 'C1 OK CAPABILITY completed' };
    expect(await c.transact('CAPABILITY', 'C1')).toEqual(after);
    await c.transact('SELECT INBOX');
    expect(await c.transact('CAPABILITY', 'C1')).toEqual(after);
  });

  it('the LOGIN answer carries the new capabilities as a response code', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    const { client } = await ImapLineClient.connect(g.ports.imap);
    expect(await client.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'L1')).toEqual({
      untagged: [],
      tagged: 'L1 OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE ESEARCH CONDSTORE QRESYNC UTF8=ACCEPT STATUS=SIZE QUOTA QUOTA=RES-STORAGE APPENDLIMIT=52428800 COMPRESS=DEFLATE] logged in',
    });
  });

  it('takes no arguments: BAD, and the session goes on', async () => {
    const { c } = await world();
    expect(await c.transact('CAPABILITY IMAP4rev2', 'C1')).toEqual({ untagged: [], tagged: 'C1 BAD this command takes no arguments' });
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });
});
