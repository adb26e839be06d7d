// wicket user create|list|delete|reset-mfa: the first admin is made from the command line with
// the password on standard input; it never appears in output or on disk; the last admin stays.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectRefused, seededDirs, wicket, wicketOk } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const ADMIN_PASSWORD = 'first admin passphrase';
const MEMBER_PASSWORD = 'second member passphrase';

/** A data directory with an admin and a member, made by the real CLI (copied for each test). */
const seeded = seededDirs(async (dir) => {
  await wicketOk(dir, ['user', 'create', '--admin', 'admin@example.com', '--name', 'Ada Admin', '--password', '-'], { input: `${ADMIN_PASSWORD}\n` });
  await wicketOk(dir, ['user', 'create', 'member@example.com'], { input: MEMBER_PASSWORD });
});

describe('wicket user', () => {
  it('creates the first admin with the password on standard input, never on the command line, and keeps it only hashed', async () => {
    const dir = tempDir();
    const outputs: string[] = [];
    const run = async (args: string[], input?: string) => {
      const r = await wicket(dir, args, { input, env: { WICKET_LOG_LEVEL: 'trace' } });
      outputs.push(r.stdout, r.stderr);
      return r;
    };

    // The first member must be an admin.
    expect(await run(['user', 'create', 'member@example.com'], MEMBER_PASSWORD)).toMatchObject({
      code: 2,
      stderr: 'wicket: the first team member must be an admin: add --admin\n',
    });
    expect(await run(['user', 'create', '--admin', 'admin@example.com', '--password', ADMIN_PASSWORD])).toMatchObject({
      code: 2,
      stderr: 'wicket: give the password on standard input (--password -), not on the command line\n',
    });
    expect(await run(['user', 'create', '--admin', 'admin@example.com', '--password', '-'], 'too short\n')).toMatchObject({
      code: 1,
      stderr: 'wicket: password must be 12 to 128 characters long (it has 9)\n',
    });

    const created = await run(['user', 'create', '--admin', 'Admin@Example.com', '--name', 'Ada Admin', '--password', '-', '--json'], `${ADMIN_PASSWORD}\n`);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ email: 'admin@example.com', name: 'Ada Admin', role: 'admin', mfa_enabled: false, last_sign_in_at: null });
    // Without --password, standard input (not a terminal) is read just the same.
    const member = await run(['user', 'create', 'member@example.com'], MEMBER_PASSWORD);
    expect(member).toMatchObject({ code: 0, stderr: '' });
    expect(member.stdout).toMatch(/^Team member member@example\.com created\n {2}Name: +member\n {2}Role: +member\n/);
    expect(await run(['user', 'create', 'member@example.com'], MEMBER_PASSWORD)).toMatchObject({
      code: 1,
      stderr: 'wicket: member@example.com is already a team member\n',
    });

    // The passwords are nowhere: not in any output or log line, not in the database.
    const text = outputs.join('\n');
    for (const secret of [ADMIN_PASSWORD, MEMBER_PASSWORD]) expect(text).not.toContain(secret);
    expect(text).not.toContain('$2b$');
    const db = readFileSync(join(dir, 'data', 'wicket.db'));
    for (const secret of [ADMIN_PASSWORD, MEMBER_PASSWORD]) expect(db.includes(Buffer.from(secret))).toBe(false);
  });

  it('lists members with role, MFA and sign-in status', async () => {
    const dir = await seeded();
    const listed = (await wicketOk(dir, ['user', 'list', '--json'])).json;
    expect(listed.map((u: { email: string; name: string; role: string; mfa_enabled: boolean; signed_in: boolean }) => [u.email, u.name, u.role, u.mfa_enabled, u.signed_in])).toEqual([
      ['admin@example.com', 'Ada Admin', 'admin', false, false],
      ['member@example.com', 'member', 'member', false, false],
    ]);
    expect((await wicketOk(dir, ['user', 'list'])).stdout).toMatch(
      /^Team members \(2\)\nEMAIL +NAME +ROLE +MFA +SIGNED IN +LAST SIGN-IN\nadmin@example\.com +Ada Admin +admin +off +no +never\nmember@example\.com +member +member +off +no +never\n$/,
    );
  });

  it('refuses to delete the last admin, or without --yes off a terminal; deletes a member', async () => {
    const dir = await seeded();
    await expectRefused(dir, ['user', 'delete', 'admin@example.com', '--yes'], 1, 'wicket: the last admin cannot be removed: make another member an admin first');
    await expectRefused(dir, ['user', 'delete', 'member@example.com'], 2, 'wicket: refusing to remove team member member@example.com without --yes (standard input is not a terminal)');
    await expectRefused(dir, ['user', 'delete', 'ghost@example.com', '--yes'], 1, 'wicket: team member ghost@example.com not found');
    expect(await wicket(dir, ['user', 'delete', 'MEMBER@example.com', '--yes'])).toMatchObject({ code: 0, stdout: 'Team member member@example.com removed\n' });
    expect((await wicketOk(dir, ['user', 'list', '--json'])).json.map((u: { email: string }) => u.email)).toEqual(['admin@example.com']);
  });

  it('resets MFA; lists nobody on a new installation', async () => {
    const dir = await seeded();
    expect(await wicket(dir, ['user', 'reset-mfa', 'admin@example.com'])).toMatchObject({
      code: 0,
      stdout: 'MFA of admin@example.com reset: they sign in with their password alone until they enrol again\n',
    });
    const empty = tempDir();
    expect((await wicketOk(empty, ['user', 'list'])).stdout).toBe('Team members (0)\n');
  });
});
