import { describe, expect, it } from 'vitest';
import { PASSWORD, dumpStore, expectRefused, seededDirs, wicket, wicketOk } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

async function withDomain() {
  const dir = tempDir();
  await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
  return dir;
}

const GRANT_KEYS = [
  'application_id',
  'created_at',
  'email',
  'grant_status',
  'has_app_password',
  'id',
  'name',
  'provider',
  'settings',
  'updated_at',
  'workspace_id',
];

describe('wicket account', () => {
  it('create --json prints the grant, without any secret', async () => {
    const dir = await withDomain();
    const { json, stdout } = await wicketOk(dir, [
      'account', 'create', 'Sales@agents.example.com', '--name', 'Sales Agent', '--app-password', PASSWORD, '--json',
    ]);
    expect(Object.keys(json).sort()).toEqual(GRANT_KEYS);
    expect(json).toMatchObject({
      email: 'sales@agents.example.com',
      name: 'Sales Agent',
      grant_status: 'valid',
      has_app_password: true,
      provider: 'nylas',
      settings: { email: 'sales@agents.example.com', has_app_password: true },
    });
    expect(json.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof json.created_at).toBe('number');
    expect(stdout).not.toContain(PASSWORD);
    expect(stdout).not.toContain('$2b$');
  });

  it('create prints a readable summary', async () => {
    const dir = await withDomain();
    const { stdout } = await wicketOk(dir, ['account', 'create', 'sales@agents.example.com']);
    expect(stdout).toMatch(/^Account created\n/);
    expect(stdout).toMatch(/Email: +sales@agents\.example\.com/);
    expect(stdout).toMatch(/App password: +not set \(IMAP and SMTP logins refused\)/);
  });

  it('--app-password - reads the secret from standard input', async () => {
    const dir = await withDomain();
    const { json } = await wicketOk(dir, ['account', 'create', 'sales@agents.example.com', '--app-password', '-', '--json'], {
      input: `${PASSWORD}\n`,
    });
    expect(json.has_app_password).toBe(true);
    // The hash in the store matches the password typed, without its line break.
    const { hashes } = { hashes: dumpStore(dir).accounts as { password_hash: string }[] };
    const bcrypt = await import('bcrypt');
    expect(await bcrypt.compare(PASSWORD, hashes[0]!.password_hash)).toBe(true);
  });

  it('list and get, as text and JSON, by id or by address', async () => {
    const dir = await withDomain();
    const a = (await wicketOk(dir, ['account', 'create', 'a@agents.example.com', '--name', 'A', '--json'])).json;
    const b = (await wicketOk(dir, ['account', 'create', 'b@agents.example.com', '--app-password', PASSWORD, '--json'])).json;
    const list = (await wicketOk(dir, ['account', 'list', '--json'])).json;
    expect(list.map((g: { email: string }) => g.email)).toEqual(['a@agents.example.com', 'b@agents.example.com']);
    expect(list.every((g: object) => Object.keys(g).sort().join() === GRANT_KEYS.join())).toBe(true);
    const text = (await wicketOk(dir, ['account', 'list'])).stdout;
    expect(text).toMatch(/^Accounts \(2\) in application default\nEMAIL +ID +NAME +STATUS +APP PASSWORD\n/);
    expect(text).toContain(b.id);
    expect((await wicketOk(dir, ['account', 'get', a.id, '--json'])).json).toEqual(a);
    expect((await wicketOk(dir, ['account', 'get', 'B@Agents.Example.com', '--json'])).json).toEqual(b);
    expect((await wicketOk(dir, ['account', 'get', 'a@agents.example.com'])).stdout).toMatch(/Name: +A\n/);
  });

  it('update changes the name, resets the password from stdin, moves and removes the password', async () => {
    const dir = await withDomain();
    await wicketOk(dir, ['account', 'create', 'a@agents.example.com', '--app-password', PASSWORD]);
    const ws = (await wicketOk(dir, ['workspace', 'create', 'Support', '--json'])).json;
    const before = dumpStore(dir).accounts as { password_hash: string }[];
    const renamed = (await wicketOk(dir, ['account', 'update', 'a@agents.example.com', '--name', 'Support Bot', '--json'])).json;
    expect(renamed.name).toBe('Support Bot');
    await wicketOk(dir, ['account', 'update', 'a@agents.example.com', '--app-password', '-'], { input: 'AnotherSecureP4ssword' });
    const after = dumpStore(dir).accounts as { password_hash: string }[];
    expect(after[0]!.password_hash).not.toBe(before[0]!.password_hash);
    const moved = (await wicketOk(dir, ['account', 'update', 'a@agents.example.com', '--workspace', 'Support', '--json'])).json;
    expect(moved.workspace_id).toBe(ws.id);
    const removed = (await wicketOk(dir, ['account', 'update', 'a@agents.example.com', '--remove-app-password', '--json'])).json;
    expect(removed.has_app_password).toBe(false);
  });

  it('delete needs --yes when standard input is not a terminal, then removes the account', async () => {
    const dir = await withDomain();
    const a = (await wicketOk(dir, ['account', 'create', 'a@agents.example.com', '--json'])).json;
    const refused = await wicket(dir, ['account', 'delete', a.id]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('wicket: refusing to delete account a@agents.example.com and all its mail without --yes (standard input is not a terminal)\n');
    expect((await wicketOk(dir, ['account', 'list', '--json'])).json).toHaveLength(1);
    const deleted = await wicketOk(dir, ['account', 'delete', 'a@agents.example.com', '--yes', '--json']);
    expect(deleted.json).toEqual({ deleted: true, id: a.id, email: 'a@agents.example.com' });
    expect((await wicketOk(dir, ['account', 'list', '--json'])).json).toEqual([]);
    // The address can be created again, with a new id.
    const again = (await wicketOk(dir, ['account', 'create', 'a@agents.example.com', '--json'])).json;
    expect(again.id).not.toBe(a.id);
  });

  it('works inside another application with --application, isolated from the default one', async () => {
    const dir = await withDomain();
    await wicketOk(dir, ['app', 'create', 'staging']);
    const s = (await wicketOk(dir, ['account', 'create', 's@agents.example.com', '--application', 'staging', '--json'])).json;
    expect((await wicketOk(dir, ['account', 'list', '--json'])).json).toEqual([]);
    expect((await wicketOk(dir, ['account', 'list', '--application', 'staging', '--json'])).json).toEqual([s]);
    const hidden = await wicket(dir, ['account', 'get', s.id]);
    expect(hidden).toMatchObject({ code: 1, stderr: `wicket: account ${s.id} not found\n` });
    const unknownApp = await wicket(dir, ['account', 'list', '--application', 'nope']);
    expect(unknownApp).toMatchObject({ code: 1, stderr: 'wicket: application nope not found\n' });
  });
});

describe('wicket account: bad input gets one clear line, a non-zero exit, and changes nothing', () => {
  const seeded = seededDirs(async (dir) => {
    await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
    await wicketOk(dir, ['account', 'create', 'taken@agents.example.com', '--app-password', PASSWORD]);
  });

  it.each([
    [['account', 'create', 'not-an-address'], 1, 'wicket: invalid address: "not-an-address" is not an email address (expected local-part@domain)'],
    [['account', 'create', 'x@unregistered.example'], 1, 'wicket: domain unregistered.example is not registered'],
    [['account', 'create', 'taken@agents.example.com'], 1, 'wicket: account taken@agents.example.com already exists'],
    [['account', 'create', 'TAKEN@Agents.Example.com'], 1, 'wicket: account taken@agents.example.com already exists'],
    [['account', 'create', 'x@agents.example.com', '--app-password', 'Abcdefghijklmnop1'], 1, 'wicket: app password must be 18 to 40 characters long (it has 17)'],
    [['account', 'create', 'x@agents.example.com', '--app-password', `Ab1${'c'.repeat(38)}`], 1, 'wicket: app password must be 18 to 40 characters long (it has 41)'],
    [['account', 'create', 'x@agents.example.com', '--app-password', 'Abcdefgh1 jklmnopqr'], 1, 'wicket: app password must not contain spaces'],
    [['account', 'create', 'x@agents.example.com', '--app-password', 'Abcdefgh1éjklmnopqr'], 1, 'wicket: app password must contain only printable ASCII characters (no accents, emoji or other non-ASCII)'],
    [['account', 'create', 'x@agents.example.com', '--app-password', 'abcdefgh1jklmnopqr'], 1, 'wicket: app password must contain at least one uppercase letter (A-Z)'],
    [['account', 'create', 'x@agents.example.com', '--app-password', 'ABCDEFGH1JKLMNOPQR'], 1, 'wicket: app password must contain at least one lowercase letter (a-z)'],
    [['account', 'create', 'x@agents.example.com', '--app-password', 'Abcdefghijklmnopqr'], 1, 'wicket: app password must contain at least one digit (0-9)'],
    [['account', 'create', 'x@agents.example.com', '--name', 'Evil\nBcc: victim@example.net'], 1, 'wicket: the display name must not contain a line break (CR or LF)'],
    [['account', 'create', 'x@agents.example.com', '--workspace', 'nope'], 1, 'wicket: workspace nope not found in this application'],
    [['account', 'get', 'no-such-id'], 1, 'wicket: account no-such-id not found'],
    [['account', 'update', 'no-such-id', '--name', 'x'], 1, 'wicket: account no-such-id not found'],
    [['account', 'update', 'taken@agents.example.com'], 2, 'wicket: nothing to update: give --name, --app-password, --remove-app-password or --workspace'],
    [['account', 'update', 'taken@agents.example.com', '--app-password', PASSWORD, '--remove-app-password'], 2, 'wicket: give either --app-password or --remove-app-password, not both'],
    [['account', 'delete', 'no-such-id', '--yes'], 1, 'wicket: account no-such-id not found'],
    [['account', 'delete', 'taken@agents.example.com'], 2, 'wicket: refusing to delete account taken@agents.example.com and all its mail without --yes (standard input is not a terminal)'],
    [['account', 'create'], 2, "wicket: missing required argument 'email'"],
    [['account', 'create', 'x@agents.example.com', '--colour', 'blue'], 2, "wicket: unknown option '--colour'"],
    [['account', 'explode'], 2, "wicket: unknown command 'explode'"],
  ])('wicket %j → exit %i', async (args, code, message) => {
    await expectRefused(await seeded(), args, code, message);
  });
});
