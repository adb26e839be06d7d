import { describe, expect, it } from 'vitest';
import { PASSWORD, seededDirs, wicket, wicketOk } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const ENV = { WICKET_HOSTNAME: 'mail.example.com', WICKET_HTTP_PORT: '8080' };

/** A domain, an account with an app password (sales) and one without (nopw), set up once. */
const withAccounts = seededDirs(async (dir) => {
  await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
  await wicketOk(dir, ['account', 'create', 'sales@agents.example.com', '--name', 'Sales Agent', '--app-password', PASSWORD]);
  await wicketOk(dir, ['account', 'create', 'nopw@agents.example.com']);
});

describe('wicket account setup', () => {
  it('prints the settings to type into a mail client (the listeners\' own ports by default), without the password', async () => {
    const dir = await withAccounts();
    const { stdout, stderr } = await wicketOk(dir, ['account', 'setup', 'Sales@Agents.example.com'], { env: ENV });
    expect(stderr).toBe('');
    expect(stdout).toBe(
      [
        'Mail client settings for sales@agents.example.com',
        '  IMAP server:    mail.example.com',
        '  IMAP port:      1993 (SSL/TLS), or 1143 (STARTTLS)',
        '  SMTP server:    mail.example.com',
        '  SMTP port:      1465 (SSL/TLS), or 1587 (STARTTLS)',
        '  Username:       sales@agents.example.com',
        "  Password:       the account's app password (set)",
        '  Authentication: normal password (PLAIN or LOGIN)',
        '  Autoconfig:     http://mail.example.com:8080/mail/config-v1.1.xml?emailaddress=sales%40agents.example.com',
        '  Apple profile:  http://mail.example.com:8080/apple/mobileconfig?email=sales%40agents.example.com',
        '',
      ].join('\n'),
    );
    expect(stdout).not.toContain(PASSWORD);
  });

  it('--json, with the public ports and host name of the configuration', async () => {
    const dir = await withAccounts();
    const env = {
      ...ENV,
      WICKET_HOSTNAME: 'imap.custom.example',
      WICKET_PUBLIC_IMAP_PORT: '10143',
      WICKET_PUBLIC_IMAPS_PORT: '10993',
      WICKET_PUBLIC_SUBMISSION_PORT: '10587',
      WICKET_PUBLIC_SUBMISSIONS_PORT: '10465',
    };
    const { json, stdout } = await wicketOk(dir, ['account', 'setup', 'sales@agents.example.com', '--json'], { env });
    expect(json).toEqual({
      email: 'sales@agents.example.com',
      username: 'sales@agents.example.com',
      authentication: 'password',
      mechanisms: ['PLAIN', 'LOGIN'],
      password: 'app_password',
      imap: [
        { host: 'imap.custom.example', port: 10993, security: 'ssl' },
        { host: 'imap.custom.example', port: 10143, security: 'starttls' },
      ],
      smtp: [
        { host: 'imap.custom.example', port: 10465, security: 'ssl' },
        { host: 'imap.custom.example', port: 10587, security: 'starttls' },
      ],
      has_app_password: true,
      autoconfig_url: 'http://imap.custom.example:8080/mail/config-v1.1.xml?emailaddress=sales%40agents.example.com',
      mobileconfig_url: 'http://imap.custom.example:8080/apple/mobileconfig?email=sales%40agents.example.com',
    });
    expect(stdout).not.toContain(PASSWORD);
    expect(stdout).not.toContain('$2b$');
  });

  it('says when the account has no app password yet', async () => {
    const dir = await withAccounts();
    const { stdout } = await wicketOk(dir, ['account', 'setup', 'nopw@agents.example.com'], { env: ENV });
    expect(stdout).toContain(
      "  Password:       the account's app password: none set, so logins are refused (wicket account update nopw@agents.example.com --app-password -)\n",
    );
    expect((await wicketOk(dir, ['account', 'setup', 'nopw@agents.example.com', '--json'], { env: ENV })).json.has_app_password).toBe(false);
  });

  it('without an HTTP listener there are no URLs to give', async () => {
    const dir = await withAccounts();
    const env = { ...ENV, WICKET_HTTP_PORT: '0' };
    const { stdout } = await wicketOk(dir, ['account', 'setup', 'sales@agents.example.com'], { env });
    expect(stdout).toContain('  Autoconfig:     the HTTP listener is off (WICKET_HTTP_PORT=0)\n');
    const { json } = await wicketOk(dir, ['account', 'setup', 'sales@agents.example.com', '--json'], { env });
    expect({ autoconfig: json.autoconfig_url, mobileconfig: json.mobileconfig_url }).toEqual({ autoconfig: null, mobileconfig: null });
  });

  it.each([[[]], [['--json']]])('an unknown address exits 1 with one line (%j)', async (extra) => {
    const dir = await withAccounts();
    const result = await wicket(dir, ['account', 'setup', 'ghost@agents.example.com', ...extra], { env: ENV });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'wicket: account ghost@agents.example.com not found\n' });
  });

  it('an account of another application is not found from this one', async () => {
    const dir = await withAccounts();
    await wicketOk(dir, ['app', 'create', 'staging']);
    const result = await wicket(dir, ['account', 'setup', 'sales@agents.example.com', '--application', 'staging'], { env: ENV });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'wicket: account sales@agents.example.com not found\n' });
  });

  it('a missing address is a usage error (exit 2)', async () => {
    const dir = tempDir();
    const result = await wicket(dir, ['account', 'setup']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("wicket: missing required argument 'email'\n");
  });
});
