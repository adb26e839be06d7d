// A password reset made with the CLI — another process on the same data directory — ends the
// account's open IMAP sessions, as one made in the server process does.
import { describe, expect, it } from 'vitest';
import { wicketOk } from '../helpers/cli.js';
import { PASSWORD, startTestGateway } from '../helpers/gateway.js';
import { imapLogin } from '../helpers/imap-client.js';

describe('app password reset from the CLI', () => {
  it('ends open IMAP sessions with * BYE', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    const other = await g.account('other');
    const session = await imapLogin(g.ports.imap, 'sales@agents.example.com', PASSWORD);
    const bystander = await imapLogin(g.ports.imap, other.email, PASSWORD);
    await session.transact('SELECT INBOX');
    await wicketOk(g.dir, ['account', 'update', 'sales@agents.example.com', '--app-password', '-'], {
      input: 'AnotherSecureP4ssword1',
      env: { WICKET_DATA_DIR: g.dir },
    });
    expect(await session.response()).toBe('* BYE the app password was changed; log in again');
    expect(await session.closedByServer()).toBe(true);
    // Other accounts' sessions go on.
    expect((await bystander.transact('NOOP')).tagged).toMatch(/^A\d+ OK /);
  });
});
