// ID — RFC 2971: valid in any state. The client sends NIL or a list of field/value pairs (values
// are strings or NIL, §3.3); the server answers with one untagged ID of its own, then OK.
// macOS Mail sends it right after the greeting, before LOGIN. A malformed list is BAD.
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../../src/version.js';
import { startTestGateway } from '../../helpers/gateway.js';
import { ImapLineClient, PASSWORD, SALES, connect, ok, stillServes, world } from '../fixtures/session.js';

const SERVER_ID = `* ID ("name" "Wicket" "version" "${VERSION}" "vendor" "Wicket")`;
const answer = (tag: string) => ({ untagged: [SERVER_ID], tagged: `${tag} OK ID completed` });

describe('ID', () => {
  it('macOS Mail: ID right after the greeting, then LOGIN as usual', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    const { client, greeting } = await ImapLineClient.connect(g.ports.imap);
    expect(greeting).toMatch(/^\* OK \[CAPABILITY [^\]]* ID [^\]]*\] /);
    expect(
      await client.transact(
        'ID ("name" "Mac OS X Mail" "version" "16.0 (3826.400.131.1.6)" "os" "Mac OS X" "os-version" "15.3 (24D60)" "vendor" "Apple Inc.")',
        'A1',
      ),
    ).toEqual(answer('A1'));
    expect(await client.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'A2')).toEqual({ untagged: [], tagged: expect.stringMatching(/^A2 OK \[CAPABILITY [^\]]+\] logged in$/) });
    expect(await client.transact('ID ("name" "Mac OS X Mail")', 'A3')).toEqual(answer('A3'));
  });

  it('ID NIL, before and after login and with a mailbox selected', async () => {
    const { g, c } = await world();
    const fresh = await connect(g);
    expect(await fresh.transact('ID NIL', 'I1')).toEqual(answer('I1'));
    expect(await c.transact('ID NIL', 'I2')).toEqual(answer('I2'));
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('id nil', 'I3')).toEqual(answer('I3'));
  });

  it('after login: Thunderbird\'s and iOS\'s lists, NIL values, and an empty list', async () => {
    const { c } = await world();
    expect(await c.transact('ID ("name" "Thunderbird" "version" "128.5.0")', 'I1')).toEqual(answer('I1'));
    expect(await c.transact('ID ("name" "iPhone Mail" "version" "22B83" "os" "iOS" "os-version" "18.1 (22B83)")', 'I2')).toEqual(answer('I2'));
    expect(await c.transact('ID ("name" "script" "version" NIL "support-url" NIL)', 'I3')).toEqual(answer('I3'));
    // RFC 2971 §4: id_params_list ::= "(" #(string SPACE nstring) ")" / nil — zero pairs allowed.
    expect(await c.transact('ID ()', 'I4')).toEqual(answer('I4'));
    // A field as a literal is a string too.
    c.write('I5 ID ({4+}\r\nname "x")\r\n');
    expect(await c.until('I5')).toEqual(answer('I5'));
  });

  it('malformed: BAD, and the session goes on (before and after login)', async () => {
    const { g, c } = await world();
    const bad = (tag: string, text: string) => ({ untagged: [], tagged: `${tag} BAD ${text}` });
    expect(await c.transact('ID', 'B1')).toEqual(bad('B1', 'expected ID (field value …) or ID NIL'));
    expect(await c.transact('ID ("name")', 'B2')).toEqual(bad('B2', 'ID takes NIL or a list of up to 30 field/value pairs'));
    expect(await c.transact('ID (name "x")', 'B3')).toEqual(bad('B3', 'ID field names are strings'));
    expect(await c.transact('ID ("name" ("x"))', 'B4')).toEqual(bad('B4', 'ID values are strings or NIL'));
    expect(await c.transact('ID "name"', 'B5')).toEqual(bad('B5', 'ID takes NIL or a list of up to 30 field/value pairs'));
    expect(await c.transact('ID NIL NIL', 'B6')).toEqual(bad('B6', 'expected ID (field value …) or ID NIL'));
    expect(await c.transact('ID ("name" "x"', 'B7')).toEqual(bad('B7', 'unterminated list: missing ")"'));
    // RFC 2971 §3.3: field names at most 30 octets, values at most 1024, at most 30 pairs.
    expect(await c.transact(`ID ("${'f'.repeat(31)}" "x")`, 'B8')).toEqual(bad('B8', 'an ID field name is longer than 30 octets'));
    expect(await c.transact(`ID ("name" "${'v'.repeat(1025)}")`, 'B9')).toEqual(bad('B9', 'an ID value is longer than 1024 octets'));
    const pairs = Array.from({ length: 31 }, (_, i) => `"f${i}" "v"`).join(' ');
    expect(await c.transact(`ID (${pairs})`, 'B10')).toEqual(bad('B10', 'ID takes NIL or a list of up to 30 field/value pairs'));
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });

    const fresh = await connect(g);
    expect(await fresh.transact('ID ("name")', 'B11')).toEqual(bad('B11', 'ID takes NIL or a list of up to 30 field/value pairs'));
    expect(await fresh.transact('ID NIL', 'B12')).toEqual(answer('B12'));
  });

  it('the limits themselves are fine: a 30-octet field name, a 1024-octet value, 30 pairs', async () => {
    const { c } = await world();
    expect(await c.transact(`ID ("${'f'.repeat(30)}" "${'v'.repeat(1024)}")`, 'I1')).toEqual(answer('I1'));
    const pairs = Array.from({ length: 30 }, (_, i) => `"f${i}" "v"`).join(' ');
    expect(await c.transact(`ID (${pairs})`, 'I2')).toEqual(answer('I2'));
  });
});
