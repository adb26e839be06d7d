// wicket workspace create|list|get|delete
import type { Command } from 'commander';
import { workspaceView } from '../../accounts/views.js';
import type { Workspace } from '../../store/types.js';
import { context } from '../context.js';
import { confirm, isoTime, print, printFields, printJson, printTable } from '../io.js';

const APPLICATION = ['--application <id|name>', 'application (default: the default application)'] as const;

function show(w: Workspace, accounts: number, heading: string): void {
  print(heading);
  printFields([
    ['Name', w.name],
    ['ID', w.id],
    ['Default', w.isDefault ? 'yes' : 'no'],
    ['Domain', w.domain ?? '-'],
    ['Auto-group', w.autoGroup ? `yes (new accounts on ${w.domain} land here)` : 'no'],
    ['Policy', w.policyId ?? '-'],
    ['Rules', w.ruleIds.length ? w.ruleIds.join(', ') : '-'],
    ['Accounts', String(accounts)],
    ['Created', isoTime(w.createdAt)],
  ]);
}

export function registerWorkspace(program: Command): void {
  const workspace = program.command('workspace').description('workspaces: groups of accounts sharing a policy and rules');

  workspace
    .command('create <name>')
    .description('create a workspace')
    .option('--domain <domain>', 'registered domain the workspace groups (cannot be changed later)')
    .option('--auto-group', 'place new accounts on --domain in this workspace')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((name: string, opts: { domain?: string; autoGroup?: boolean; application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const created = ctx.services.workspaces.create(app.id, { name, domain: opts.domain, autoGroup: opts.autoGroup });
      if (opts.json) printJson(workspaceView(created, 0));
      else show(created, 0, 'Workspace created');
    });

  workspace
    .command('list')
    .description('list workspaces')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const rows = ctx.services.workspaces.list(app.id).map((w) => ({ w, n: ctx.services.workspaces.accountCount(w) }));
      if (opts.json) {
        printJson(rows.map(({ w, n }) => workspaceView(w, n)));
        return;
      }
      print(`Workspaces (${rows.length}) in application ${app.name}`);
      printTable(
        ['NAME', 'ID', 'DEFAULT', 'DOMAIN', 'AUTO-GROUP', 'ACCOUNTS'],
        rows.map(({ w, n }) => [w.name, w.id, w.isDefault ? 'yes' : '', w.domain ?? '-', w.autoGroup ? 'yes' : '', String(n)]),
      );
    });

  workspace
    .command('get <id|name>')
    .description('show one workspace')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((ref: string, opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const found = ctx.services.workspaces.get(ctx.application(opts.application).id, ref);
      const n = ctx.services.workspaces.accountCount(found);
      if (opts.json) printJson(workspaceView(found, n));
      else show(found, n, 'Workspace');
    });

  workspace
    .command('delete <id|name>')
    .description('delete a workspace; its accounts move to the default workspace')
    .option('-y, --yes', 'do not ask for confirmation')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { yes?: boolean; application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const found = ctx.services.workspaces.get(app.id, ref);
      if (!found.isDefault) await confirm(`delete workspace "${found.name}"`, opts.yes);
      const { workspace: deleted, moved } = ctx.services.workspaces.delete(app.id, found.id);
      if (opts.json) printJson({ deleted: true, id: deleted.id, name: deleted.name, accounts_moved: moved });
      else print(`Workspace "${deleted.name}" deleted${moved > 0 ? `; ${moved} account(s) moved to the default workspace` : ''}`);
    });
}
