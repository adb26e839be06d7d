// What every command shares (RFC 3501 §2.2, §3, §7.1): an unknown command, a command in the
// wrong state and a command that cannot be read are answered BAD (with the tag when there is
// one, "* BAD" otherwise); an oversized line is BAD, an oversized literal NO [TOOBIG]; a client
// that goes away mid-command harms nobody else; and after each of these the session goes on.
// A reset of the app password (or deletion of the account) ends its open sessions with BYE.
import { describe, expect, it } from 'vitest';
import { BOB, PASSWORD, SALES, connect, login, ok, world } from '../fixtures/session.js';

const NEW_PASSWORD = 'AnotherSecureP4ssword1';

describe('any command', () => {
  it('an unknown command: BAD in every state, and the session goes on', async () => {
    const { g, c } = await world();
    const fresh = await connect(g);
    expect(await fresh.transact('FROB', 'X1')).toEqual({ untagged: [], tagged: 'X1 BAD unknown command FROB' });
    expect(await fresh.transact('NOOP', 'X2')).toEqual({ untagged: [], tagged: 'X2 OK NOOP completed' });
    expect(await c.transact('FROB x y', 'X3')).toEqual({ untagged: [], tagged: 'X3 BAD unknown command FROB' });
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('UID FROB 1', 'X4')).toEqual({ untagged: [], tagged: 'X4 BAD unknown command UID FROB' });
    // Extensions Wicket does not implement are unknown commands too.
    for (const [i, name] of ['XLIST', 'SORT (DATE) UTF-8 ALL', 'THREAD REFERENCES UTF-8 ALL'].entries()) {
      expect(await c.transact(name, `E${i}`)).toEqual({ untagged: [], tagged: `E${i} BAD unknown command ${name.split(' ')[0]}` });
    }
    expect(await c.transact('NOOP', 'X5')).toEqual({ untagged: [], tagged: 'X5 OK NOOP completed' });
  });

  it('commands in the wrong state: BAD, and the state is unchanged', async () => {
    const { g, c } = await world();
    const fresh = await connect(g);
    for (const [i, command] of ['SELECT INBOX', 'EXAMINE INBOX', 'CREATE x', 'LIST "" *', 'STATUS INBOX (MESSAGES)', 'FETCH 1 FLAGS', 'UID SEARCH ALL', 'CLOSE'].entries()) {
      const name = command.startsWith('UID') ? command.split(' ').slice(0, 2).join(' ') : command.split(' ')[0];
      expect(await fresh.transact(command, `N${i}`)).toEqual({ untagged: [], tagged: `N${i} BAD ${name} is not allowed before login` });
    }
    for (const [i, command] of ['FETCH 1 FLAGS', 'STORE 1 +FLAGS (\\Seen)', 'SEARCH ALL', 'COPY 1 Trash', 'UID FETCH 1 FLAGS', 'UID STORE 1 FLAGS ()', 'UID COPY 1 Trash', 'CHECK', 'CLOSE', 'EXPUNGE'].entries()) {
      const name = command.startsWith('UID') ? command.split(' ').slice(0, 2).join(' ') : command.split(' ')[0];
      expect(await c.transact(command, `A${i}`)).toEqual({ untagged: [], tagged: `A${i} BAD ${name} is not allowed without a selected mailbox` });
    }
    for (const [i, command] of [`LOGIN ${SALES} "${PASSWORD}"`, 'AUTHENTICATE PLAIN', 'STARTTLS'].entries()) {
      const result = await c.transact(command, `L${i}`);
      expect(result.untagged).toEqual([]);
      expect(result.tagged).toMatch(new RegExp(`^L${i} BAD ${command.split(' ')[0]} is not allowed `));
    }
    expect(await fresh.transact('NOOP', 'Z1')).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
    expect(await c.transact('NOOP', 'Z2')).toEqual({ untagged: [], tagged: 'Z2 OK NOOP completed' });
  });

  it('lines that cannot be read: BAD with the tag, or "* BAD" without a usable one', async () => {
    const { c } = await world();
    const next = async (line: string | Buffer) => {
      c.write(Buffer.concat([Buffer.isBuffer(line) ? line : Buffer.from(line, 'latin1'), Buffer.from('\r\n')]));
      return c.response();
    };
    expect(await next('')).toBe('* BAD missing tag');
    expect(await next('+A NOOP')).toBe('* BAD "+" is not allowed in a tag');
    expect(await next('* NOOP')).toBe('* BAD "*" is not allowed in a tag');
    expect(await next('T\tNOOP')).toBe('* BAD control character 0x09 is not allowed in a tag');
    expect(await next('X1')).toBe('X1 BAD missing command name');
    expect(await next('X2 NOOP )')).toBe('X2 BAD unexpected ")"');
    expect(await next('X3 LIST "" (')).toBe('X3 BAD unterminated list: missing ")"');
    expect(await next('X4 LOGIN "unterminated')).toBe('X4 BAD unterminated quoted string');
    expect(await next('X5 LOGIN "a\\b" c')).toBe('X5 BAD invalid escape "\\b" in quoted string');
    expect(await next('X6 LOGIN a{3}b c')).toBe('X6 BAD unexpected "{" after argument: arguments are separated by spaces');
    expect(await next(Buffer.from('X7 SELECT caf\u00e9', 'utf8'))).toBe(
      'X7 BAD unexpected 8-bit byte 0xc3 (only quoted strings and literals may hold 8-bit data) after argument: arguments are separated by spaces',
    );
    expect(await next('X8 NOOP')).toBe('X8 OK NOOP completed');
  });

  it('a command line over the limit: BAD; a literal over the limit: NO [TOOBIG]; the session goes on', async () => {
    const { c } = await world({ WICKET_IMAP_MAX_LINE_LENGTH: '1024', WICKET_IMAP_MAX_LITERAL_SIZE: '2048' });
    expect(await c.transact(`NOOP ${'x'.repeat(2000)}`, 'X1')).toEqual({ untagged: [], tagged: 'X1 BAD command line too long (limit 1024 bytes)' });
    expect(await c.transact(`CREATE "${'y'.repeat(1500)}"`, 'X2')).toEqual({ untagged: [], tagged: 'X2 BAD command line too long (limit 1024 bytes)' });
    expect(await c.transact('NOOP', 'X3')).toEqual({ untagged: [], tagged: 'X3 OK NOOP completed' });
    expect(await c.transact(`CREATE {5000+}\r\n${'z'.repeat(5000)}`, 'X4')).toEqual({
      untagged: [],
      tagged: 'X4 NO [TOOBIG] a literal of 5000 bytes is over the limit of 2048',
    });
    c.write('X5 CREATE {4000}\r\n');
    expect(await c.until('X5')).toEqual({ untagged: [], tagged: 'X5 NO [TOOBIG] a literal of 4000 bytes is over the limit of 2048' });
    expect(await c.transact('NOOP', 'X6')).toEqual({ untagged: [], tagged: 'X6 OK NOOP completed' });
    expect(await c.transact('LIST "" %', 'X7')).toEqual({
      untagged: [
        '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
        '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
        '* LIST (\\HasNoChildren) "/" "INBOX"',
        '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
        '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
        '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
      ],
      tagged: 'X7 OK LIST completed',
    });
  });

  it('a client that disconnects in the middle of a literal does not disturb the others', async () => {
    const { g, c } = await world();
    const quitter = await connect(g);
    quitter.write(`Q1 LOGIN ${SALES} {${PASSWORD.length}}\r\n`);
    expect(await quitter.response()).toBe('+ Ready for literal data');
    quitter.write(PASSWORD.slice(0, 5));
    quitter.destroy();
    const halfCreate = await login(g);
    halfCreate.write('Q2 CREATE {20+}\r\nHalf');
    halfCreate.destroy();
    expect(await c.transact('NOOP', 'X1')).toEqual({ untagged: [], tagged: 'X1 OK NOOP completed' });
    expect(await c.transact('LIST "" Half*', 'X2')).toEqual({ untagged: [], tagged: 'X2 OK LIST completed' });
    const again = await login(g);
    expect(await again.transact('NOOP', 'X3')).toEqual({ untagged: [], tagged: 'X3 OK NOOP completed' });
  });
});

describe('app password reset and account deletion', () => {
  it('a password reset ends every open session of the account with BYE; other accounts go on', async () => {
    const { g, c } = await world();
    await ok(c, 'SELECT INBOX');
    const idle = await login(g);
    await g.account('bob');
    const bob = await login(g, BOB);
    await g.gateway.services.accounts.update(g.appId, SALES, { appPassword: NEW_PASSWORD });
    expect(await c.response()).toBe('* BYE the app password was changed; log in again');
    expect(await c.closedByServer()).toBe(true);
    expect(await idle.response()).toBe('* BYE the app password was changed; log in again');
    expect(await idle.closedByServer()).toBe(true);
    expect(await bob.transact('NOOP', 'B1')).toEqual({ untagged: [], tagged: 'B1 OK NOOP completed' });

    const fresh = await connect(g);
    expect(await fresh.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'L1')).toEqual({ untagged: [], tagged: 'L1 NO [AUTHENTICATIONFAILED] authentication failed' });
    expect(await fresh.transact(`LOGIN ${SALES} ${NEW_PASSWORD}`, 'L2')).toEqual({
      untagged: [],
      tagged: 'L2 OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE ESEARCH CONDSTORE QRESYNC UTF8=ACCEPT STATUS=SIZE QUOTA QUOTA=RES-STORAGE APPENDLIMIT=52428800 COMPRESS=DEFLATE] logged in',
    });
  });

  it('a session not yet logged in is not affected', async () => {
    const { g } = await world();
    const fresh = await connect(g);
    await g.gateway.services.accounts.update(g.appId, SALES, { appPassword: NEW_PASSWORD });
    expect(await fresh.transact('NOOP', 'N1')).toEqual({ untagged: [], tagged: 'N1 OK NOOP completed' });
  });

  it('deleting the account ends its sessions with BYE', async () => {
    const { g, c } = await world();
    await ok(c, 'SELECT INBOX');
    g.gateway.services.accounts.delete(g.appId, SALES);
    expect(await c.response()).toBe('* BYE the account was deleted');
    expect(await c.closedByServer()).toBe(true);
  });
});
