// wicket user create|list|delete|reset-mfa — the dashboard's team members. The first admin is
// made here: `wicket user create --admin you@example.com`, the password typed without echo on
// a terminal, or read from standard input (`--password -`, or when input is not a terminal),
// so it stays out of shell history and the process list.
import type { Command } from 'commander';
import { parseAddress } from '../../accounts/address.js';
import { ConflictError } from '../../errors.js';
import { CLI_ACTOR, PASSWORD_MAX, PASSWORD_MIN } from '../../dashboard/team.js';
import type { TeamMember, User } from '../../store/store.js';
import { context } from '../context.js';
import { UsageError, confirm, isoTime, print, printFields, printJson, printTable, readSecret } from '../io.js';

export function userView(u: User | TeamMember) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    mfa_enabled: u.mfaEnabled,
    ...('signedIn' in u ? { signed_in: u.signedIn } : {}),
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    last_sign_in_at: u.lastSignInAt,
  };
}

/** On a terminal: asked twice without echo. Otherwise: all of standard input, one line break off. */
async function readPassword(): Promise<string> {
  const password = await readSecret(`Password (${PASSWORD_MIN}–${PASSWORD_MAX} characters): `);
  if (process.stdin.isTTY) {
    const again = await readSecret('Repeat the password: ');
    if (again !== password) throw new UsageError('the two passwords differ');
  }
  if (password === '') throw new UsageError('no password given (type it, or pipe it to standard input)');
  return password;
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('dashboard team members (sign-in, roles, MFA)');

  user
    .command('create <email>')
    .description('create a team member who signs in to the dashboard (the first one must be --admin)')
    .option('--name <name>', 'full name (default: the part of the email before @)')
    .option('--admin', 'an admin: manages the team and the organization settings')
    .option('--password <source>', '"-": read the password from standard input (on a terminal it is asked for without echo anyway)')
    .option('--json', 'print JSON')
    .action(async (email: string, opts: { name?: string; admin?: boolean; password?: string; json?: boolean }) => {
      if (opts.password !== undefined && opts.password !== '-') {
        throw new UsageError('give the password on standard input (--password -), not on the command line');
      }
      const ctx = context();
      if (!opts.admin && !ctx.services.team.hasUsers()) {
        throw new UsageError('the first team member must be an admin: add --admin');
      }
      // Before the password is typed: a taken or malformed address is said at once.
      const address = parseAddress(email);
      if (!address.ok) throw new UsageError(`email: ${address.reason}`);
      if (ctx.services.team.listMembers().some((m) => m.email === address.email)) throw new ConflictError(`${address.email} is already a team member`);
      const created = await ctx.services.team.createUser(
        { email, name: opts.name, password: await readPassword(), role: opts.admin ? 'admin' : 'member' },
        CLI_ACTOR,
      );
      if (opts.json) {
        printJson(userView(created));
        return;
      }
      print(`Team member ${created.email} created`);
      printFields([
        ['Name', created.name],
        ['Role', created.role],
        ['ID', created.id],
      ]);
    });

  user
    .command('list')
    .description('list team members with their role, MFA and sign-in status')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const ctx = context();
      const members = ctx.services.team.listMembers();
      if (opts.json) {
        printJson(members.map(userView));
        return;
      }
      print(`Team members (${members.length})`);
      if (members.length === 0) return;
      printTable(
        ['EMAIL', 'NAME', 'ROLE', 'MFA', 'SIGNED IN', 'LAST SIGN-IN'],
        members.map((m) => [
          m.email,
          m.name,
          m.role,
          m.mfaEnabled ? 'on' : 'off',
          m.signedIn ? 'yes' : 'no',
          m.lastSignInAt === null ? 'never' : isoTime(m.lastSignInAt),
        ]),
      );
    });

  user
    .command('delete <email>')
    .description('remove a team member and end their sessions (never the last admin)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { yes?: boolean; json?: boolean }) => {
      const ctx = context();
      const target = ctx.services.team.resolve(ref);
      await confirm(`remove team member ${target.email}`, opts.yes);
      const removed = await ctx.services.team.remove(target.id, CLI_ACTOR);
      if (opts.json) printJson({ deleted: true, id: removed.id, email: removed.email });
      else print(`Team member ${removed.email} removed`);
    });

  user
    .command('reset-mfa <email>')
    .description("turn a member's MFA off (a lost device); they can enrol again after signing in")
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const ctx = context();
      const target = ctx.services.team.resolve(ref);
      const updated = await ctx.services.team.resetMfa(target.id, CLI_ACTOR);
      if (opts.json) printJson(userView(updated));
      else
        print(
          ctx.services.team.organization().requireMfa
            ? `MFA of ${updated.email} reset: the organization requires MFA, so they enrol again at their next sign-in`
            : `MFA of ${updated.email} reset: they sign in with their password alone until they enrol again`,
        );
    });
}
