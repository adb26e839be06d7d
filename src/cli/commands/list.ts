// wicket list create|list|get|update|delete|items|add|remove — typed sets of addresses, domains or
// TLDs that rules name with in_list (PRODUCT.md "Rules"). Items are checked before anything is
// stored, then sent in requests of 1,000 (the most one request takes).
import { type Command, Option } from 'commander';
import { listItemView, listView } from '../../accounts/governance-views.js';
import { ConflictError, ValidationError } from '../../errors.js';
import type { List, ListItem, ListType, Rule } from '../../policy/types.js';
import { parseListInput, parseListItems } from '../../policy/validate.js';
import { type CliContext, context } from '../context.js';
import { UsageError, confirm, isoTime, print, printFields, printJson, printTable } from '../io.js';
import { APPLICATION, byRef, readInputFile } from './policy.js';

/** The most items one request takes (src/policy/validate.ts). */
const CHUNK = 1000;

export function listByRef(ctx: CliContext, applicationId: string, ref: string): List {
  const lists = ctx.services.lists;
  return byRef('lists', ref, (id) => lists.get(applicationId, id), () => lists.list(applicationId));
}

interface Entry {
  value: string;
  /** Where a value read from a file came from ("blocked.txt line 3"). */
  where: string | null;
}

/** The items of the command line, then those of --file (one a line, blank lines skipped). */
async function collectItems(items: string[] | undefined, file: string | undefined): Promise<Entry[]> {
  const entries: Entry[] = (items ?? []).map((value) => ({ value, where: null }));
  if (file !== undefined) {
    const text = await readInputFile('--file', file);
    const source = file === '-' ? 'standard input' : file;
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() !== '') entries.push({ value: line, where: `${source} line ${i + 1}` });
    });
  }
  return entries;
}

/**
 * Checks every item against the list's type before any is stored: lower-cased, validated and
 * deduplicated as the service does. An error names the item's place among all of them
 * (`items[1234]`) and, for a file, its line.
 */
function normalizeItems(entries: Entry[], type: ListType): string[] {
  const out = new Set<string>();
  for (let start = 0; start < entries.length; start += CHUNK) {
    const chunk = entries.slice(start, start + CHUNK);
    try {
      for (const value of parseListItems({ items: chunk.map((e) => e.value) }, type)) out.add(value);
    } catch (err) {
      const at = err instanceof ValidationError ? /^items\[(\d+)\]/.exec(err.field) : null;
      if (!at || !(err instanceof ValidationError)) throw err;
      const index = start + Number(at[1]);
      const field = `items[${index}]`;
      const where = entries[index]?.where;
      throw new ValidationError(field, err.rule, `${field}${err.message.slice(at[0].length)}${where ? ` (${where})` : ''}`);
    }
  }
  return [...out];
}

function chunks(values: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK));
  return out;
}

const ruleNames = (rules: Rule[]): string => (rules.length ? rules.map((r) => `"${r.name}" (${r.id})`).join(', ') : '-');

function show(l: List, rules: Rule[], heading: string): void {
  print(heading);
  printFields([
    ['Name', l.name],
    ['ID', l.id],
    ['Type', l.type],
    ['Description', l.description ?? '-'],
    ['Items', String(l.itemsCount)],
    ['Used by rules', ruleNames(rules)],
    ['Created', isoTime(l.createdAt)],
    ['Updated', isoTime(l.updatedAt)],
  ]);
}

/** Items to add or remove: from the command line or --file; at least one. */
async function itemsOf(items: string[], file: string | undefined, list: List): Promise<string[]> {
  const entries = await collectItems(items, file);
  if (entries.length === 0) {
    if (file !== undefined) throw new ValidationError('items', 'required', `--file ${file} holds no items (one ${list.type} a line)`);
    throw new UsageError(`give the items (one or more ${list.type}s) or --file <path>`);
  }
  return normalizeItems(entries, list.type);
}

export function registerList(program: Command): void {
  const list = program.command('list').description('lists: addresses, domains or TLDs that rules match with in_list');

  list
    .command('create')
    .description('create a list, optionally with its first items')
    .option('--name <name>', 'list name')
    .addOption(new Option('--type <type>', 'what the list holds (cannot change later)').choices(['address', 'domain', 'tld']))
    .option('--description <text>', 'description')
    .option('--item <item...>', 'items to add (repeatable)')
    .option('--file <path>', 'items to add, one a line ("-": standard input)')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action(async (opts: { name?: string; type?: string; description?: string; item?: string[]; file?: string; application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const body = {
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.type !== undefined ? { type: opts.type } : {}),
        ...(opts.description !== undefined ? { description: opts.description } : {}),
      };
      // The whole input is checked before the list is created, so a bad item leaves nothing behind.
      const parsed = parseListInput(body, 'create');
      const values = normalizeItems(await collectItems(opts.item, opts.file), parsed.type);
      let created = ctx.services.lists.create(app.id, body);
      for (const chunk of chunks(values)) created = ctx.services.lists.addItems(app.id, created.id, { items: chunk }).list;
      if (opts.json) printJson(listView(created));
      else show(created, [], 'List created');
    });

  list
    .command('list')
    .description('list the lists, with their item counts and the rules that use them')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const lists = ctx.services.lists.list(app.id);
      if (opts.json) {
        printJson(lists.map(listView));
        return;
      }
      print(`Lists (${lists.length}) in application ${app.name}`);
      if (lists.length === 0) return;
      printTable(
        ['NAME', 'ID', 'TYPE', 'ITEMS', 'RULES'],
        lists.map((l) => [l.name, l.id, l.type, String(l.itemsCount), String(ctx.services.lists.rulesUsing(app.id, l.id).length)]),
      );
    });

  list
    .command('get <list>')
    .description('show one list (by id or name)')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((ref: string, opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const found = listByRef(ctx, app.id, ref);
      if (opts.json) printJson(listView(found));
      else show(found, ctx.services.lists.rulesUsing(app.id, found.id), 'List');
    });

  list
    .command('update <list>')
    .description("change a list's name or description (its type never changes)")
    .option('--name <name>', 'new name')
    .option('--description <text>', 'new description ("" clears it)')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((ref: string, opts: { name?: string; description?: string; application?: string; json?: boolean }) => {
      if (opts.name === undefined && opts.description === undefined) throw new UsageError('nothing to update: give --name or --description');
      const ctx = context();
      const app = ctx.application(opts.application);
      const target = listByRef(ctx, app.id, ref);
      const updated = ctx.services.lists.update(app.id, target.id, {
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.description !== undefined ? { description: opts.description } : {}),
      });
      if (opts.json) printJson(listView(updated));
      else show(updated, ctx.services.lists.rulesUsing(app.id, updated.id), 'List updated');
    });

  list
    .command('delete <list>')
    .description('delete a list no rule uses, with its items')
    .option('-y, --yes', 'do not ask for confirmation')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { yes?: boolean; application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const target = listByRef(ctx, app.id, ref);
      const users = ctx.services.lists.rulesUsing(app.id, target.id);
      if (users.length > 0) {
        throw new ConflictError(
          `list "${target.name}" is used by rule ${users.map((r) => `"${r.name}"`).join(', ')} (in_list); change or delete ${users.length === 1 ? 'that rule' : 'those rules'} first`,
        );
      }
      await confirm(`delete list "${target.name}" and its ${target.itemsCount} item(s)`, opts.yes);
      const deleted = ctx.services.lists.delete(app.id, target.id);
      if (opts.json) printJson({ deleted: true, id: deleted.id, name: deleted.name, items_deleted: deleted.itemsCount });
      else print(`List "${deleted.name}" deleted (${deleted.id}) with its ${deleted.itemsCount} item(s)`);
    });

  list
    .command('items <list>')
    .description("print a list's items, one a line")
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((ref: string, opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const target = listByRef(ctx, app.id, ref);
      const items: ListItem[] = [];
      for (let after: string | null = null; ; ) {
        const page = ctx.services.lists.items(app.id, target.id, after, CHUNK);
        items.push(...page);
        if (page.length < CHUNK) break;
        after = page[page.length - 1]!.value;
      }
      if (opts.json) printJson(items.map(listItemView));
      else for (const item of items) print(item.value);
    });

  // add and remove: the same items in, chunks of 1,000, and a count of what changed.
  for (const verb of ['add', 'remove'] as const) {
    const adding = verb === 'add';
    list
      .command(`${verb} <list> [item...]`)
      .description(adding ? 'add items (lower-cased and checked against the list type; ones already there are ignored)' : 'remove items (ones not in the list are ignored)')
      .option('--file <path>', `also ${verb} the items of a file, one a line ("-": standard input)`)
      .option(...APPLICATION)
      .option('--json', 'print JSON')
      .action(async (ref: string, items: string[], opts: { file?: string; application?: string; json?: boolean }) => {
        const ctx = context();
        const app = ctx.application(opts.application);
        let target = listByRef(ctx, app.id, ref);
        const values = await itemsOf(items, opts.file, target);
        let changed = 0;
        for (const chunk of chunks(values)) {
          const result = adding ? ctx.services.lists.addItems(app.id, target.id, { items: chunk }) : ctx.services.lists.removeItems(app.id, target.id, { items: chunk });
          changed += 'added' in result ? result.added : result.removed;
          target = result.list;
        }
        const untouched = values.length - changed;
        if (opts.json) printJson(adding ? { added: changed, already_present: untouched, list: listView(target) } : { removed: changed, not_present: untouched, list: listView(target) });
        else if (adding) print(`Added ${changed} item(s) to list "${target.name}"${untouched > 0 ? ` (${untouched} already there)` : ''}; it holds ${target.itemsCount}`);
        else print(`Removed ${changed} item(s) from list "${target.name}"${untouched > 0 ? ` (${untouched} not there)` : ''}; it holds ${target.itemsCount}`);
      });
  }
}
