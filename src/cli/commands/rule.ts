// wicket rule create|list|get|update|delete — conditions on sender, recipients and outbound type,
// and the actions to take (PRODUCT.md "Rules"). Flags follow the hosted `nylas agent rule` CLI:
// --condition field,operator,value and --action type[=value], repeatable, over --data JSON.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ruleView } from '../../accounts/governance-views.js';
import { listIdsOf } from '../../accounts/lists.js';
import { ValidationError } from '../../errors.js';
import type { Condition, List, Rule } from '../../policy/types.js';
import type { Workspace } from '../../store/types.js';
import { type CliContext, context } from '../context.js';
import { UsageError, confirm, isoTime, print, printFields, printJson, printTable } from '../io.js';
import { APPLICATION, DATA, DATA_FILE, type DataOptions, byRef, jsonInput } from './policy.js';

const CONDITION_FORM =
  'field,operator,value, such as from.domain,is,example.com or from.domain,in_list,<list-id>[,<list-id>…]';
const ACTION_FORM = 'type or type=value, such as mark_as_read or assign_to_folder=Clients/Acme';

/** `from.domain,is,example.com`: split on the first two commas; in_list's value is a comma list of list ids. */
export function parseCondition(raw: string): { field: string; operator: string; value: string | string[] } {
  const first = raw.indexOf(',');
  const second = first === -1 ? -1 : raw.indexOf(',', first + 1);
  const field = first === -1 ? '' : raw.slice(0, first).trim();
  const operator = second === -1 ? '' : raw.slice(first + 1, second).trim();
  if (field === '' || operator === '') throw new UsageError(`--condition "${raw}" is not ${CONDITION_FORM}`);
  const rest = raw.slice(second + 1);
  const value =
    operator === 'in_list'
      ? rest
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== '')
      : rest;
  return { field, operator, value };
}

/** `block`, `assign_to_folder=Clients/Acme`: split on the first `=`. */
export function parseAction(raw: string): { type: string; value?: string } {
  const eq = raw.indexOf('=');
  const type = (eq === -1 ? raw : raw.slice(0, eq)).trim();
  if (type === '') throw new UsageError(`--action "${raw}" is not ${ACTION_FORM}`);
  return eq === -1 ? { type } : { type, value: raw.slice(eq + 1) };
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function priority(value: string): number {
  if (!/^\s*-?\d+\s*$/.test(value)) throw new InvalidArgumentError('expected a whole number from 0 to 1000 (lower runs first).');
  return Number(value);
}

export function ruleByRef(ctx: CliContext, applicationId: string, ref: string): Rule {
  const rules = ctx.services.rules;
  return byRef('rules', ref, (id) => rules.get(applicationId, id), () => rules.list(applicationId));
}

/** `from.domain in_list "Blocked" (id)`; a list that no longer exists is marked MISSING. */
export function conditionText(c: Condition, lists: ReadonlyMap<string, List>): string {
  if (c.operator !== 'in_list') return `${c.field} ${c.operator} ${c.value}`;
  const named = listIdsOf(c.value).map((id) => {
    const list = lists.get(id);
    return list ? `"${list.name}" (${id})` : `MISSING list ${id}`;
  });
  return `${c.field} in_list ${named.join(', ')}`;
}

export const actionText = (rule: Rule): string => rule.actions.map((a) => (a.value !== undefined ? `${a.type}=${a.value}` : a.type)).join(', ');

const usedBy = (workspaces: Workspace[], ruleId: string): Workspace[] => workspaces.filter((w) => w.ruleIds.includes(ruleId));
const names = (workspaces: Workspace[]): string => (workspaces.length ? workspaces.map((w) => w.name).join(', ') : '-');

function show(ctx: CliContext, r: Rule, heading: string): void {
  const lists = new Map(ctx.services.lists.list(r.applicationId).map((l) => [l.id, l]));
  const workspaces = ctx.services.workspaces.list(r.applicationId);
  print(heading);
  printFields([
    ['Name', r.name],
    ['ID', r.id],
    ['Description', r.description ?? '-'],
    ['Enabled', r.enabled ? 'yes' : 'no'],
    ['Trigger', r.trigger],
    ['Priority', `${r.priority} (lower runs first)`],
    ['Match', r.match.operator === 'all' ? 'all conditions' : 'any condition'],
    ...r.match.conditions.map((c): [string, string] => ['Condition', conditionText(c, lists)]),
    ['Actions', actionText(r)],
    ['Workspaces', names(usedBy(workspaces, r.id))],
    ['Created', isoTime(r.createdAt)],
    ['Updated', isoTime(r.updatedAt)],
  ]);
}

interface RuleFlags extends DataOptions {
  name?: string;
  description?: string;
  priority?: number;
  enabled?: boolean;
  disabled?: boolean;
  trigger?: string;
  matchOperator?: string;
  condition?: string[];
  action?: string[];
  application?: string;
  json?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The body of a create or update: the JSON, then the flags over it. --condition and --action
 * replace the arrays; on update, a --match-operator or --condition alone keeps the other half of
 * the stored match (the API's `match` replaces it wholly).
 */
async function ruleBody(opts: RuleFlags, current: Rule | undefined): Promise<Record<string, unknown>> {
  if (opts.enabled && opts.disabled) throw new UsageError('give either --enabled or --disabled, not both');
  const conditions = opts.condition?.map(parseCondition);
  const actions = opts.action?.map(parseAction);
  const body = await jsonInput(opts);
  if (opts.name !== undefined) body.name = opts.name;
  if (opts.description !== undefined) body.description = opts.description;
  if (opts.priority !== undefined) body.priority = opts.priority;
  if (opts.enabled) body.enabled = true;
  if (opts.disabled) body.enabled = false;
  if (opts.trigger !== undefined) body.trigger = opts.trigger;
  if (opts.matchOperator !== undefined || conditions !== undefined) {
    const fromJson = isObject(body.match) ? body.match : {};
    const match: Record<string, unknown> = { ...fromJson };
    if (opts.matchOperator !== undefined) match.operator = opts.matchOperator;
    else if (fromJson.operator === undefined && current) match.operator = current.match.operator;
    if (conditions !== undefined) match.conditions = conditions;
    else if (fromJson.conditions === undefined && current) match.conditions = current.match.conditions;
    body.match = match;
  }
  if (actions !== undefined) body.actions = actions;
  return body;
}

/** A service error about a condition or action that came from a flag names that flag too. */
function withFlag(err: unknown, opts: RuleFlags): unknown {
  if (!(err instanceof ValidationError)) return err;
  const condition = /^match\.conditions\[(\d+)\]/.exec(err.field);
  if (condition && opts.condition) {
    return new ValidationError(err.field, err.rule, `${err.message} (--condition "${opts.condition[Number(condition[1])]}")`);
  }
  const action = /^actions\[(\d+)\]/.exec(err.field);
  if (action && opts.action) return new ValidationError(err.field, err.rule, `${err.message} (--action "${opts.action[Number(action[1])]}")`);
  if (err.rule === 'required') {
    const hints: Record<string, string> = {
      name: '--name',
      match: '--condition field,operator,value',
      'match.conditions': '--condition field,operator,value',
      actions: '--action type[=value]',
    };
    const hint = hints[err.field];
    if (hint) return new ValidationError(err.field, err.rule, `${err.message} (give ${hint})`);
  }
  return err;
}

function ruleOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'rule name')
    .option('--description <text>', 'description ("" clears it)')
    .option('--priority <n>', '0–1000, lower runs first (default 10)', priority)
    .option('--enabled', 'enable the rule (the default)')
    .option('--disabled', 'disable the rule')
    .addOption(new Option('--trigger <trigger>', 'the mail the rule runs on (default inbound)').choices(['inbound', 'outbound']))
    .addOption(new Option('--match-operator <op>', 'whether all (default) or any conditions must hold').choices(['all', 'any']))
    .option('--condition <field,op,value>', 'a condition (repeatable; replaces the conditions); in_list takes list ids: field,in_list,id[,id…]', collect)
    .option('--action <type[=value]>', 'an action (repeatable; replaces the actions), such as block or assign_to_folder=Clients/Acme', collect)
    .option(...DATA)
    .option(...DATA_FILE)
    .option(...APPLICATION)
    .option('--json', 'print JSON');
}

export function registerRule(program: Command): void {
  const rule = program.command('rule').description('rules: conditions on mail and the actions to take, attached to workspaces');

  ruleOptions(rule.command('create').description('create a rule (attach it with wicket workspace update --rules)'))
    .addHelpText('after', '\nExample:\n  wicket rule create --name "Block spammers" --condition from.domain,in_list,<list-id> --action block')
    .action(async (opts: RuleFlags) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const body = await ruleBody(opts, undefined);
      let created: Rule;
      try {
        created = ctx.services.rules.create(app.id, body);
      } catch (err) {
        throw withFlag(err, opts);
      }
      if (opts.json) printJson(ruleView(created));
      else show(ctx, created, 'Rule created');
    });

  rule
    .command('list')
    .description('list rules in priority order, with the workspaces they are attached to')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const rules = ctx.services.rules.list(app.id);
      if (opts.json) {
        printJson(rules.map(ruleView));
        return;
      }
      const workspaces = ctx.services.workspaces.list(app.id);
      print(`Rules (${rules.length}) in application ${app.name}`);
      if (rules.length === 0) return;
      printTable(
        ['NAME', 'ID', 'TRIGGER', 'PRIORITY', 'ENABLED', 'WORKSPACES', 'ACTIONS'],
        rules.map((r) => [r.name, r.id, r.trigger, String(r.priority), r.enabled ? 'yes' : 'no', names(usedBy(workspaces, r.id)), actionText(r)]),
      );
    });

  rule
    .command('get <id|name>')
    .alias('read')
    .description('show one rule')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((ref: string, opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const found = ruleByRef(ctx, ctx.application(opts.application).id, ref);
      if (opts.json) printJson(ruleView(found));
      else show(ctx, found, 'Rule');
    });

  ruleOptions(rule.command('update <id|name>').description('change a rule: the fields given replace those stored')).action(
    async (ref: string, opts: RuleFlags) => {
      const given = ['name', 'description', 'priority', 'enabled', 'disabled', 'trigger', 'matchOperator', 'condition', 'action', 'data', 'dataFile'] as const;
      if (given.every((key) => opts[key] === undefined)) {
        throw new UsageError('nothing to update: give a flag such as --name, --condition, --action, --enabled, --disabled or --data');
      }
      const ctx = context();
      const app = ctx.application(opts.application);
      const target = ruleByRef(ctx, app.id, ref);
      const body = await ruleBody(opts, target);
      let updated: Rule;
      try {
        updated = ctx.services.rules.update(app.id, target.id, body);
      } catch (err) {
        throw withFlag(err, opts);
      }
      if (opts.json) printJson(ruleView(updated));
      else show(ctx, updated, 'Rule updated');
    },
  );

  rule
    .command('delete <id|name>')
    .description('delete a rule; workspaces that use it stop naming it')
    .option('-y, --yes', 'do not ask for confirmation')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { yes?: boolean; application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const target = ruleByRef(ctx, app.id, ref);
      const users = usedBy(ctx.services.workspaces.list(app.id), target.id);
      await confirm(`delete rule "${target.name}"${users.length ? ` (attached to workspace ${names(users)})` : ''}`, opts.yes);
      const { rule: deleted, detachedFrom } = ctx.services.rules.delete(app.id, target.id);
      if (opts.json) printJson({ deleted: true, id: deleted.id, name: deleted.name, detached_from: detachedFrom });
      else print(`Rule "${deleted.name}" deleted (${deleted.id})${detachedFrom > 0 ? `; detached from ${detachedFrom} workspace(s)` : ''}`);
    });
}
