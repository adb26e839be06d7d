// wicket account create|list|get|update|delete
import type { Command } from 'commander';
import type { AccountUpdate } from '../../accounts/accounts.js';
import { grantView } from '../../accounts/views.js';
import type { Account } from '../../store/types.js';
import { type CliContext, context } from '../context.js';
import { UsageError, confirm, isoTime, print, printFields, printJson, printTable, readSecret } from '../io.js';

interface AppOption {
  application?: string;
}

/** `--app-password -` reads the secret from standard input, keeping it out of shell history. */
async function appPassword(value: string | undefined): Promise<string | undefined> {
  if (value === undefined) return undefined;
  return value === '-' ? readSecret('App password: ') : value;
}

function workspaceId(ctx: CliContext, applicationId: string, ref: string | undefined): string | undefined {
  return ref === undefined ? undefined : ctx.services.workspaces.get(applicationId, ref).id;
}

function show(ctx: CliContext, account: Account, heading: string): void {
  const workspace = ctx.services.workspaces.get(account.applicationId, account.workspaceId);
  print(heading);
  printFields([
    ['Email', account.email],
    ['ID', account.id],
    ['Name', account.name ?? '(none: mail goes out with the bare address)'],
    ['Workspace', `${account.workspaceId} (${workspace.name})`],
    ['Status', account.grantStatus],
    ['App password', account.passwordHash ? 'set (IMAP and SMTP enabled)' : 'not set (IMAP and SMTP logins refused)'],
    ['Created', isoTime(account.createdAt)],
    ['Updated', isoTime(account.updatedAt)],
  ]);
}

export function registerAccount(program: Command): void {
  const account = program.command('account').description('agent accounts (mailboxes) and their app passwords');

  account
    .command('create <email>')
    .description('create an account on a registered domain')
    .option('--name <name>', 'display name: the From name of everything the account sends')
    .option('--app-password <password>', 'app password for IMAP/SMTP ("-" reads it from standard input)')
    .option('--workspace <id|name>', 'workspace to place the account in (default: auto-group match, else the default)')
    .option('--application <id|name>', 'application (default: the default application)')
    .option('--json', 'print JSON')
    .action(async (email: string, opts: AppOption & { name?: string; appPassword?: string; workspace?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const created = await ctx.services.accounts.create(app.id, {
        email,
        name: opts.name,
        appPassword: await appPassword(opts.appPassword),
        workspaceId: workspaceId(ctx, app.id, opts.workspace),
      });
      if (opts.json) printJson(grantView(created));
      else show(ctx, created, 'Account created');
    });

  account
    .command('list')
    .description('list the accounts of an application')
    .option('--application <id|name>', 'application (default: the default application)')
    .option('--json', 'print JSON')
    .action((opts: AppOption & { json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const accounts = ctx.services.accounts.list(app.id);
      if (opts.json) {
        printJson(accounts.map(grantView));
        return;
      }
      print(`Accounts (${accounts.length}) in application ${app.name}`);
      if (accounts.length === 0) return;
      printTable(
        ['EMAIL', 'ID', 'NAME', 'STATUS', 'APP PASSWORD'],
        accounts.map((a) => [a.email, a.id, a.name ?? '-', a.grantStatus, a.passwordHash ? 'yes' : 'no']),
      );
    });

  account
    .command('get <id|email>')
    .description('show one account')
    .option('--application <id|name>', 'application (default: the default application)')
    .option('--json', 'print JSON')
    .action((ref: string, opts: AppOption & { json?: boolean }) => {
      const ctx = context();
      const found = ctx.services.accounts.get(ctx.application(opts.application).id, ref);
      if (opts.json) printJson(grantView(found));
      else show(ctx, found, 'Account');
    });

  account
    .command('update <id|email>')
    .description('change the display name, reset or remove the app password, or move to another workspace')
    .option('--name <name>', 'new display name')
    .option('--app-password <password>', 'new app password ("-" reads it from standard input); ends open IMAP sessions')
    .option('--remove-app-password', 'remove the app password: IMAP and SMTP logins are refused')
    .option('--workspace <id|name>', 'move the account to this workspace')
    .option('--application <id|name>', 'application (default: the default application)')
    .option('--json', 'print JSON')
    .action(
      async (
        ref: string,
        opts: AppOption & { name?: string; appPassword?: string; removeAppPassword?: boolean; workspace?: string; json?: boolean },
      ) => {
        if (opts.appPassword !== undefined && opts.removeAppPassword) {
          throw new UsageError('give either --app-password or --remove-app-password, not both');
        }
        if (opts.name === undefined && opts.appPassword === undefined && !opts.removeAppPassword && opts.workspace === undefined) {
          throw new UsageError('nothing to update: give --name, --app-password, --remove-app-password or --workspace');
        }
        const ctx = context();
        const app = ctx.application(opts.application);
        const target = ctx.services.accounts.get(app.id, ref);
        const update: AccountUpdate = {
          name: opts.name,
          workspaceId: workspaceId(ctx, app.id, opts.workspace),
          appPassword: opts.removeAppPassword ? null : await appPassword(opts.appPassword),
        };
        const updated = await ctx.services.accounts.update(app.id, target.id, update);
        if (opts.json) printJson(grantView(updated));
        else show(ctx, updated, 'Account updated');
      },
    );

  account
    .command('delete <id|email>')
    .description('delete an account and all its mail')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--application <id|name>', 'application (default: the default application)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: AppOption & { yes?: boolean; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const target = ctx.services.accounts.get(app.id, ref);
      await confirm(`delete account ${target.email} and all its mail`, opts.yes);
      const deleted = ctx.services.accounts.delete(app.id, target.id);
      if (opts.json) printJson({ deleted: true, id: deleted.id, email: deleted.email });
      else print(`Account ${deleted.email} deleted (${deleted.id})`);
    });
}
