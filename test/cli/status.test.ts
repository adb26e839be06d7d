import { describe, expect, it } from 'vitest';
import { wicket, wicketOk } from '../helpers/cli.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/migrations.js';
import { tempDir } from '../helpers/tmp.js';

describe('wicket status', () => {
  it('reports counts, configuration and that no server is running', async () => {
    const dir = tempDir();
    await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
    await wicketOk(dir, ['account', 'create', 'a@agents.example.com', '--app-password', 'MySecureP4ssword!2024']);
    await wicketOk(dir, ['account', 'create', 'b@agents.example.com']);
    const { json } = await wicketOk(dir, ['status', '--json']);
    expect(json).toMatchObject({
      version: '0.1.0',
      schema_version: SCHEMA_VERSION,
      hostname: 'localhost',
      server: { running: false, url: 'http://127.0.0.1:9/healthz' },
      applications: [{ name: 'default', default: true, accounts: 2 }],
      domains: { total: 1, verified: 0 },
      workspaces: 1,
      accounts: { total: 2, with_app_password: 1 },
      messages: { total: 0, bytes: 0 },
      queue: { queued: 0, held: 0, sending: 0, delivered: 0, failed: 0 },
      relay: 'none',
      listeners: { imap: 1143, imaps: 1993, submission: 1587, submissions: 1465, mx: 1025, http: 9 },
    });
    expect(json.data).toBe(`sqlite:${dir}/data/wicket.db`);
    const text = (await wicketOk(dir, ['status'])).stdout;
    expect(text).toMatch(/^Wicket 0\.1\.0\n/);
    expect(text).toMatch(/Accounts: +2 \(1 with an app password\)/);
    expect(text).toMatch(/Server: +not running/);
  });

  it('refuses a bad configuration with one line naming the variable', async () => {
    const dir = tempDir();
    const result = await wicket(dir, ['status'], { env: { WICKET_BCRYPT_COST: 'twelve' } });
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'wicket: invalid configuration: WICKET_BCRYPT_COST: must be a whole number from 4 to 16\n',
    });
  });

  it('prints help and the version', async () => {
    const dir = tempDir();
    const help = await wicketOk(dir, ['--help']);
    for (const command of ['serve', 'status', 'domain', 'app', 'workspace', 'account']) expect(help.stdout).toContain(`  ${command}`);
    expect((await wicketOk(dir, ['--version'])).stdout).toBe('0.1.0\n');
    expect((await wicketOk(dir, ['account', '--help'])).stdout).toMatch(/create \[options\] <email>/);
    const none = await wicket(dir, []);
    expect(none.code).toBe(2);
  });
});
