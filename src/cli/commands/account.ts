// wicket account create|list|get|update|delete|setup|evaluations
import { type Command, InvalidArgumentError } from 'commander';
import type { AccountUpdate } from '../../accounts/accounts.js';
import { ClientSetupService, clientSettingsView, securityLabel, type ServerSetting } from '../../accounts/client-setup.js';
import { evaluationView } from '../../accounts/governance-views.js';
import { grantView } from '../../accounts/views.js';
import type { AppliedActions } from '../../policy/types.js';
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

/** Where mail clients fetch their settings: http://<WICKET_HOSTNAME>:<WICKET_HTTP_PORT>. */
function setupUrls(ctx: CliContext, email: string): { autoconfig: string; mobileconfig: string } | { off: string } {
  const port = ctx.config.ports.http;
  if (port === null) return { off: 'the HTTP listener is off (WICKET_HTTP_PORT=0)' };
  if (port === 0) return { off: 'WICKET_HTTP_PORT=auto: the port is chosen at start' };
  const base = `http://${ctx.config.hostname}${port === 80 ? '' : `:${port}`}`;
  const address = encodeURIComponent(email);
  return {
    autoconfig: `${base}/mail/config-v1.1.xml?emailaddress=${address}`,
    mobileconfig: `${base}/apple/mobileconfig?email=${address}`,
  };
}

const MAX_EVALUATIONS = 1000;

function evaluationLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > MAX_EVALUATIONS) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_EVALUATIONS}.`);
  return n;
}

/** `blocked`, `marked_as_spam, folders=<id>`: the applied actions as the API names them. */
function appliedText(applied: AppliedActions): string {
  const parts = Object.entries(applied).map(([key, value]) => (key === 'folder_ids' ? `folders=${(value as string[]).join(',')}` : key));
  return parts.length ? parts.join(', ') : '-';
}

const ports = (servers: readonly ServerSetting[]) => servers.map((s) => `${s.port} (${securityLabel(s.security)})`).join(', or ');

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
    .command('setup <email>')
    .description('the server settings to type into any mail client, and where clients fetch them')
    .option('--application <id|name>', 'application (default: the default application)')
    .option('--json', 'print JSON')
    .action((email: string, opts: AppOption & { json?: boolean }) => {
      const ctx = context();
      const found = ctx.services.accounts.get(ctx.application(opts.application).id, email);
      const settings = new ClientSetupService(ctx.services.store, ctx.config).forAddress(found.email);
      const urls = setupUrls(ctx, found.email);
      const hasPassword = found.passwordHash !== null;
      if (opts.json) {
        printJson({
          ...clientSettingsView(settings),
          has_app_password: hasPassword,
          autoconfig_url: 'off' in urls ? null : urls.autoconfig,
          mobileconfig_url: 'off' in urls ? null : urls.mobileconfig,
        });
        return;
      }
      print(`Mail client settings for ${settings.email}`);
      printFields([
        ['IMAP server', settings.imap[0].host],
        ['IMAP port', ports(settings.imap)],
        ['SMTP server', settings.smtp[0].host],
        ['SMTP port', ports(settings.smtp)],
        ['Username', settings.username],
        [
          'Password',
          hasPassword
            ? "the account's app password (set)"
            : `the account's app password: none set, so logins are refused (wicket account update ${settings.email} --app-password -)`,
        ],
        ['Authentication', 'normal password (PLAIN or LOGIN)'],
        ['Autoconfig', 'off' in urls ? urls.off : urls.autoconfig],
        ['Apple profile', 'off' in urls ? urls.off : urls.mobileconfig],
      ]);
    });

  account
    .command('evaluations <id|email>')
    .description("the account's rule evaluations, newest first")
    .option('--limit <n>', `how many (1–${MAX_EVALUATIONS})`, evaluationLimit, 20)
    .option('--application <id|name>', 'application (default: the default application)')
    .option('--json', 'print JSON')
    .action((ref: string, opts: AppOption & { limit: number; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const found = ctx.services.accounts.get(app.id, ref);
      const evaluations = ctx.services.rules.evaluations(found.id, null, opts.limit);
      if (opts.json) {
        printJson(evaluations.map((e) => evaluationView(e, found.applicationId)));
        return;
      }
      print(`Rule evaluations (${evaluations.length}) of ${found.email}, newest first`);
      if (evaluations.length === 0) return;
      const rules = new Map(ctx.services.rules.list(app.id).map((r) => [r.id, r.name]));
      const ruleName = (id: string) => {
        const name = rules.get(id);
        return name === undefined ? `${id} (deleted)` : name;
      };
      printTable(
        ['TIME', 'STAGE', 'FROM', 'TO', 'MATCHED RULES', 'ACTIONS', 'ERROR'],
        evaluations.map((e) => [
          isoTime(e.evaluatedAt),
          e.stage,
          e.input.from || '-',
          e.input.recipients.length ? e.input.recipients.join(',') : '-',
          e.matchedRuleIds.length ? e.matchedRuleIds.map(ruleName).join(', ') : '-',
          appliedText(e.appliedActions),
          e.error ?? '-',
        ]),
      );
    });

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
