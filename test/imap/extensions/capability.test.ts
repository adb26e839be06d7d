// The extensions in the CAPABILITY list (RFC 3501 §6.1.1, §7.2.1). Before login only what a
// client may use before login or wants to know up front: ID (RFC 2971), ENABLE (RFC 5161), IDLE
// (RFC 2177), LITERAL+ and SASL-IR. After login the mailbox extensions, APPENDLIMIT (RFC 7889)
// with the literal limit, and COMPRESS=DEFLATE (RFC 4978) until compression is on. The other
// files in this folder do not repeat these lists.
import { describe, expect, it } from 'vitest';
import { startTestGateway } from '../../helpers/gateway.js';
import { ImapLineClient, PASSWORD, SALES, ok, world } from '../fixtures/session.js';

const BEFORE = 'IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE STARTTLS AUTH=PLAIN';
const EXTENSIONS =
  'NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE ESEARCH CONDSTORE QRESYNC UTF8=ACCEPT STATUS=SIZE QUOTA QUOTA=RES-STORAGE';
const AFTER = `IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE ${EXTENSIONS} APPENDLIMIT=52428800 COMPRESS=DEFLATE`;

describe('CAPABILITY with the extensions', () => {
  it('before login: ID, ENABLE and IDLE are listed, in the greeting and in CAPABILITY; the mailbox extensions are not', async () => {
    const g = await startTestGateway();
    const { client, greeting } = await ImapLineClient.connect(g.ports.imap);
    expect(greeting).toBe(`* OK [CAPABILITY ${BEFORE}] mail.wicket.test Wicket IMAP ready`);
    expect(await client.transact('CAPABILITY', 'C1')).toEqual({ untagged: [`* CAPABILITY ${BEFORE}`], tagged: 'C1 OK CAPABILITY completed' });
  });

  it('after login: every extension, APPENDLIMIT with the default literal limit and COMPRESS=DEFLATE; the LOGIN OK carries the same list', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    const { client } = await ImapLineClient.connect(g.ports.imap);
    expect(await client.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'L1')).toEqual({ untagged: [], tagged: `L1 OK [CAPABILITY ${AFTER}] logged in` });
    expect(await client.transact('CAPABILITY', 'C1')).toEqual({ untagged: [`* CAPABILITY ${AFTER}`], tagged: 'C1 OK CAPABILITY completed' });
  });

  it('the list does not change with a mailbox selected, with extensions enabled, or after UNSELECT', async () => {
    const { c } = await world();
    const same = (tag: string) => ({ untagged: [`* CAPABILITY ${AFTER}`], tagged: `${tag} OK CAPABILITY completed` });
    await ok(c, 'ENABLE QRESYNC UTF8=ACCEPT');
    expect(await c.transact('CAPABILITY', 'C1')).toEqual(same('C1'));
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('CAPABILITY', 'C2')).toEqual(same('C2'));
    await ok(c, 'UNSELECT');
    expect(await c.transact('CAPABILITY', 'C3')).toEqual(same('C3'));
  });

  it('APPENDLIMIT follows WICKET_IMAP_MAX_LITERAL_SIZE', async () => {
    const { c } = await world({ WICKET_IMAP_MAX_LITERAL_SIZE: '1048576' });
    expect(await c.transact('CAPABILITY', 'C1')).toEqual({
      untagged: [`* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE ${EXTENSIONS} APPENDLIMIT=1048576 COMPRESS=DEFLATE`],
      tagged: 'C1 OK CAPABILITY completed',
    });
  });

  it('commands of post-login extensions are BAD before login, even those whose capability is listed there (ENABLE, IDLE)', async () => {
    const g = await startTestGateway();
    const { client } = await ImapLineClient.connect(g.ports.imap);
    const bad = (tag: string, name: string) => ({ untagged: [], tagged: `${tag} BAD ${name} is not allowed before login` });
    expect(await client.transact('ENABLE CONDSTORE', 'B1')).toEqual(bad('B1', 'ENABLE'));
    expect(await client.transact('IDLE', 'B2')).toEqual(bad('B2', 'IDLE'));
    expect(await client.transact('NAMESPACE', 'B3')).toEqual(bad('B3', 'NAMESPACE'));
    expect(await client.transact('COMPRESS DEFLATE', 'B4')).toEqual(bad('B4', 'COMPRESS'));
    expect(await client.transact('UNSELECT', 'B5')).toEqual(bad('B5', 'UNSELECT'));
    expect(await client.transact('UID MOVE 1 Trash', 'B6')).toEqual(bad('B6', 'UID MOVE'));
    expect(await client.transact('UID EXPUNGE 1', 'B7')).toEqual(bad('B7', 'UID EXPUNGE'));
    expect(await client.transact('NOOP', 'B8')).toEqual({ untagged: [], tagged: 'B8 OK NOOP completed' });
  });
});
