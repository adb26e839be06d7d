// UTF8=ACCEPT — RFC 6855. After ENABLE UTF8=ACCEPT the client may send mailbox names as UTF-8 in
// quoted strings (§3) and the server sends them in UTF-8 instead of modified UTF-7 (§3: it "MUST
// NOT" use modified UTF-7 then). Sessions that did not enable it keep modified UTF-7 (RFC 3501
// §5.1.3), and raw 8-bit in a name is refused there.
import { describe, expect, it } from 'vitest';
import { folder, login, ok, selectLines, stillServes, world } from '../fixtures/session.js';

describe('UTF8=ACCEPT', () => {
  it('after ENABLE UTF8=ACCEPT, CREATE "Café" with raw UTF-8 works and LIST shows the name in UTF-8', async () => {
    const { g, sales, c } = await world();
    expect(await c.transact('ENABLE UTF8=ACCEPT', 'U1')).toEqual({ untagged: ['* ENABLED UTF8=ACCEPT'], tagged: 'U1 OK ENABLE completed' });
    expect(await c.transact('CREATE "Café"', 'U2')).toEqual({ untagged: [], tagged: 'U2 OK CREATE completed' });
    expect(await c.transact('LIST "" "Caf*"', 'U3')).toEqual({ untagged: ['* LIST (\\HasNoChildren) "/" "Café"'], tagged: 'U3 OK LIST completed' });
    expect(await c.transact('STATUS "Café" (MESSAGES)', 'U4')).toEqual({ untagged: ['* STATUS "Café" (MESSAGES 0)'], tagged: 'U4 OK STATUS completed' });
    expect(await c.transact('SELECT "Café"', 'U5')).toEqual({
      untagged: selectLines({ exists: 0, recent: 0, uidValidity: folder(g, sales, 'Café').uidValidity, uidNext: 1 }),
      tagged: 'U5 OK [READ-WRITE] SELECT completed',
    });
    expect(await c.transact('CREATE "Café/Crème brûlée"', 'U6')).toEqual({ untagged: [], tagged: 'U6 OK CREATE completed' });
    expect(await c.transact('LIST "Café/" "%" RETURN (STATUS (UIDNEXT))', 'U7')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "Café/Crème brûlée"', '* STATUS "Café/Crème brûlée" (UIDNEXT 1)'],
      tagged: 'U7 OK LIST completed',
    });
  });

  it('a session without UTF8=ACCEPT sees the same mailbox in modified UTF-7 and can use that name', async () => {
    const { g, c } = await world();
    await ok(c, 'ENABLE UTF8=ACCEPT');
    await ok(c, 'CREATE "Café"');
    const plain = await login(g);
    expect(await plain.transact('LIST "" "Caf*"', 'U1')).toEqual({ untagged: ['* LIST (\\HasNoChildren) "/" "Caf&AOk-"'], tagged: 'U1 OK LIST completed' });
    expect(await plain.transact('STATUS "Caf&AOk-" (MESSAGES)', 'U2')).toEqual({ untagged: ['* STATUS "Caf&AOk-" (MESSAGES 0)'], tagged: 'U2 OK STATUS completed' });
  });

  it('without UTF8=ACCEPT the raw UTF-8 name is refused (BAD) and modified UTF-7 is the way', async () => {
    const { g, c } = await world();
    expect(await c.transact('CREATE "Café"', 'U1')).toEqual({
      untagged: [],
      tagged: 'U1 BAD mailbox name: 8-bit characters must be sent in modified UTF-7 (RFC 3501 §5.1.3) unless UTF8=ACCEPT is enabled',
    });
    expect(await c.transact('SELECT "Café"', 'U2')).toEqual({
      untagged: [],
      tagged: 'U2 BAD mailbox name: 8-bit characters must be sent in modified UTF-7 (RFC 3501 §5.1.3) unless UTF8=ACCEPT is enabled',
    });
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
    expect(await c.transact('CREATE "Caf&AOk-"', 'U3')).toEqual({ untagged: [], tagged: 'U3 OK CREATE completed' });
    expect(await c.transact('LIST "" "Caf*"', 'U4')).toEqual({ untagged: ['* LIST (\\HasNoChildren) "/" "Caf&AOk-"'], tagged: 'U4 OK LIST completed' });
    // It is the same mailbox a UTF8=ACCEPT session calls "Café".
    const utf8 = await login(g);
    await ok(utf8, 'ENABLE UTF8=ACCEPT');
    expect(await utf8.transact('LIST "" "Caf*"', 'U5')).toEqual({ untagged: ['* LIST (\\HasNoChildren) "/" "Café"'], tagged: 'U5 OK LIST completed' });
    expect(await utf8.transact('CREATE "Café"', 'U6')).toEqual({ untagged: [], tagged: 'U6 NO [ALREADYEXISTS] mailbox Café already exists' });
  });

  it('a UTF8=ACCEPT session may pattern-match with UTF-8 too', async () => {
    const { c } = await world();
    await ok(c, 'ENABLE UTF8=ACCEPT');
    await ok(c, 'CREATE "Ünïcödé"');
    await ok(c, 'CREATE "日本語"');
    expect(await c.transact('LIST "" "*ö*"', 'U1')).toEqual({ untagged: ['* LIST (\\HasNoChildren) "/" "Ünïcödé"'], tagged: 'U1 OK LIST completed' });
    expect(await c.transact('LIST "" "日本%"', 'U2')).toEqual({ untagged: ['* LIST (\\HasNoChildren) "/" "日本語"'], tagged: 'U2 OK LIST completed' });
  });
});
