// wicket workspace create|list|get|update|delete
import type { Command } from 'commander';
import type { WorkspaceUpdate } from '../../accounts/workspaces.js';
import { workspaceView } from '../../accounts/views.js';
import { ValidationError } from '../../errors.js';
import type { Workspace } from '../../store/types.js';
import { type CliContext, context } from '../context.js';
import { UsageError, confirm, isoTime, print, printFields, printJson, printTable } from '../io.js';
import { policyByRef } from './policy.js';
import { ruleByRef } from './rule.js';

const APPLICATION = ['--application <id|name>', 'application (default: the default application)'] as const;

/** An attached policy or rule by name and id; one that no longer exists is marked MISSING. */
function named(ctx: CliContext, w: Workspace, kind: 'policy' | 'rule', id: string): string {
  const found = kind === 'policy' ? ctx.services.store.governance.getPolicy(w.applicationId, id) : ctx.services.store.governance.getRule(w.applicationId, id);
  return found ? `"${found.name}" (${id})` : `MISSING ${kind} ${id}`;
}

function show(ctx: CliContext, w: Workspace, accounts: number, heading: string): void {
  print(heading);
  printFields([
    ['Name', w.name],
    ['ID', w.id],
    ['Default', w.isDefault ? 'yes' : 'no'],
    ['Domain', w.domain ?? '-'],
    ['Auto-group', w.autoGroup ? `yes (new accounts on ${w.domain} land here)` : 'no'],
    ['Policy', w.policyId ? named(ctx, w, 'policy', w.policyId) : '-'],
    ['Rules', w.ruleIds.length ? w.ruleIds.map((id) => named(ctx, w, 'rule', id)).join(', ') : '-'],
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
      else show(ctx, created, 0, 'Workspace created');
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
      else show(ctx, found, n, 'Workspace');
    });

  workspace
    .command('update <id|name>')
    .description("rename a workspace, attach or detach its policy and rules, or switch auto-grouping")
    .option('--name <name>', 'new name (not for the default workspace)')
    .option('--policy <id|name>', 'attach this policy (replaces the current one)')
    .option('--no-policy', 'detach the policy')
    .option('--rules <id,id…>', 'attach these rules, by id or name (replaces the current ones)')
    .option('--no-rules', 'detach all rules')
    .option('--auto-group', "place new accounts on the workspace's domain here")
    .option('--no-auto-group', 'stop auto-grouping')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((ref: string, opts: { name?: string; policy?: string | false; rules?: string | false; autoGroup?: boolean; application?: string; json?: boolean }) => {
      if (opts.name === undefined && opts.policy === undefined && opts.rules === undefined && opts.autoGroup === undefined) {
        throw new UsageError('nothing to update: give --name, --policy, --no-policy, --rules, --no-rules, --auto-group or --no-auto-group');
      }
      const ctx = context();
      const app = ctx.application(opts.application);
      const target = ctx.services.workspaces.get(app.id, ref);
      if (target.isDefault && (opts.name !== undefined || opts.autoGroup !== undefined)) {
        throw new ValidationError(opts.name !== undefined ? 'name' : 'auto_group', 'default_workspace', 'the default workspace takes only --policy and --rules');
      }
      const patch: WorkspaceUpdate = {};
      if (opts.name !== undefined) patch.name = opts.name;
      if (opts.autoGroup !== undefined) patch.autoGroup = opts.autoGroup;
      if (opts.policy !== undefined) patch.policyId = opts.policy === false ? null : policyByRef(ctx, app.id, opts.policy).id;
      if (opts.rules !== undefined) {
        patch.ruleIds =
          opts.rules === false
            ? null
            : opts.rules
                .split(',')
                .map((r) => r.trim())
                .filter((r) => r !== '')
                .map((r) => ruleByRef(ctx, app.id, r).id);
      }
      const updated = ctx.services.workspaces.update(app.id, target.id, patch);
      const n = ctx.services.workspaces.accountCount(updated);
      if (opts.json) printJson(workspaceView(updated, n));
      else show(ctx, updated, n, 'Workspace updated');
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
