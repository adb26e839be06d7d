// wicket policy create|list|get|update|delete — limits and spam settings that workspaces attach
// (PRODUCT.md "Policies"). Also the helpers the governance commands share (rule, list, overview):
// JSON input from --data / --data-file, lookup by id or name, limits in words.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { policyView } from '../../accounts/governance-views.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { Policy, PolicyLimits, SpamDetection } from '../../policy/types.js';
import type { Workspace } from '../../store/types.js';
import { type CliContext, context } from '../context.js';
import { UsageError, confirm, isoTime, print, printFields, printJson, printTable } from '../io.js';

export const APPLICATION = ['--application <id|name>', 'application (default: the default application)'] as const;
export const DATA = ['--data <json>', 'the fields as a JSON object (flags override it)'] as const;
export const DATA_FILE = ['--data-file <path>', 'read the JSON object from a file ("-": standard input)'] as const;

export interface DataOptions {
  data?: string;
  dataFile?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a text file, or standard input for "-"; `flag` names the option in errors. */
export async function readInputFile(flag: string, path: string): Promise<string> {
  if (path === '-') return readStdin();
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new ValidationError(flag, 'unreadable', `${flag} ${path}: ${reason}`);
  }
}

/** The JSON object of --data or --data-file ({} when neither is given). */
export async function jsonInput(opts: DataOptions): Promise<Record<string, unknown>> {
  if (opts.data !== undefined && opts.dataFile !== undefined) throw new UsageError('give either --data or --data-file, not both');
  let text: string;
  let source: string;
  if (opts.data !== undefined) {
    text = opts.data;
    source = '--data';
  } else if (opts.dataFile !== undefined) {
    text = await readInputFile('--data-file', opts.dataFile);
    source = opts.dataFile === '-' ? 'the JSON on standard input' : `--data-file ${opts.dataFile}`;
  } else {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ValidationError('body', 'json', `${source} is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError('body', 'json', `${source} must be a JSON object, such as {"name": "…"}`);
  }
  return value as Record<string, unknown>;
}

/**
 * A policy, rule or list by id or, failing that, by name (case-insensitive; names need not be
 * unique, so two objects with the name ask for the id). Not found: the service's own error.
 */
export function byRef<T extends { id: string; name: string }>(plural: string, ref: string, get: (id: string) => T, all: () => T[]): T {
  try {
    return get(ref.trim());
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    const wanted = ref.trim().toLowerCase();
    const named = all().filter((x) => x.name.toLowerCase() === wanted);
    if (named.length === 1) return named[0]!;
    if (named.length > 1) throw new ConflictError(`${named.length} ${plural} are named "${ref.trim()}"; give the id: ${named.map((x) => x.id).join(', ')}`);
    throw err;
  }
}

export function policyByRef(ctx: CliContext, applicationId: string, ref: string): Policy {
  const policies = ctx.services.policies;
  return byRef('policies', ref, (id) => policies.get(applicationId, id), () => policies.list(applicationId));
}

/** 10485760 → "10 MiB"; whole units when exact, else one decimal. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${n} bytes` : `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

const BYTE_LIMITS = new Set<keyof PolicyLimits>(['limit_attachment_size_limit', 'limit_size_total_mime', 'limit_storage_total']);
const DAY_LIMITS = new Set<keyof PolicyLimits>(['limit_inbox_retention_period', 'limit_spam_retention_period']);

/** One limit's value in words, the raw number kept: `10485760 (10 MiB)`, `-1 (unlimited)`. */
function limitValue(key: keyof PolicyLimits, value: number | string[]): string {
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none allowed)';
  if (value === -1) return '-1 (unlimited)';
  if (BYTE_LIMITS.has(key)) return `${value} (${formatBytes(value)})`;
  if (DAY_LIMITS.has(key)) return `${value} day${value === 1 ? '' : 's'}`;
  return String(value);
}

/** The limits a policy sets, in a few words each ("installation defaults" when none). */
export function limitsSummary(limits: PolicyLimits): string {
  const n = (v: number, say: (x: number) => string) => (v === -1 ? 'unlimited' : say(v));
  const parts: string[] = [];
  const l = limits;
  if (l.limit_attachment_size_limit !== undefined) parts.push(`attachment ${n(l.limit_attachment_size_limit, (v) => `≤ ${formatBytes(v)}`)}`);
  if (l.limit_attachment_count_limit !== undefined) parts.push(`attachments/message ${n(l.limit_attachment_count_limit, (v) => `≤ ${v}`)}`);
  if (l.limit_attachment_allowed_types !== undefined) parts.push(`attachment types ${l.limit_attachment_allowed_types.join(' ') || '(none)'}`);
  if (l.limit_size_total_mime !== undefined) parts.push(`message ${n(l.limit_size_total_mime, (v) => `≤ ${formatBytes(v)}`)}`);
  if (l.limit_storage_total !== undefined) parts.push(`storage ${n(l.limit_storage_total, formatBytes)}`);
  if (l.limit_count_daily_message_received !== undefined) parts.push(`received/day ${n(l.limit_count_daily_message_received, String)}`);
  if (l.limit_count_daily_email_sent !== undefined) parts.push(`sent/day ${n(l.limit_count_daily_email_sent, String)}`);
  if (l.limit_inbox_retention_period !== undefined) parts.push(`inbox kept ${n(l.limit_inbox_retention_period, (v) => `${v}d`)}`);
  if (l.limit_spam_retention_period !== undefined) parts.push(`spam kept ${n(l.limit_spam_retention_period, (v) => `${v}d`)}`);
  return parts.length ? parts.join(', ') : 'installation defaults';
}

const attachedTo = (workspaces: Workspace[], policyId: string): Workspace[] => workspaces.filter((w) => w.policyId === policyId);
const names = (workspaces: Workspace[]): string => (workspaces.length ? workspaces.map((w) => w.name).join(', ') : '-');

function show(p: Policy, workspaces: Workspace[], heading: string): void {
  print(heading);
  printFields([
    ['Name', p.name],
    ['ID', p.id],
    ['Workspaces', names(attachedTo(workspaces, p.id))],
    ['Created', isoTime(p.createdAt)],
    ['Updated', isoTime(p.updatedAt)],
  ]);
  const limits = Object.entries(p.limits) as [keyof PolicyLimits, number | string[]][];
  if (limits.length === 0) print('  Limits: none set (the installation defaults apply)');
  else {
    print('  Limits:');
    printFields(limits.map(([key, value]) => [key, limitValue(key, value)]), '    ');
  }
  const spam: Required<SpamDetection> = {
    use_list_dnsbl: p.spamDetection.use_list_dnsbl ?? false,
    use_header_anomaly_detection: p.spamDetection.use_header_anomaly_detection ?? false,
    spam_sensitivity: p.spamDetection.spam_sensitivity ?? 1,
  };
  print('  Spam detection:');
  printFields(
    [
      ['use_list_dnsbl', spam.use_list_dnsbl ? 'yes' : 'no'],
      ['use_header_anomaly_detection', spam.use_header_anomaly_detection ? 'yes' : 'no'],
      ['spam_sensitivity', String(spam.spam_sensitivity)],
    ],
    '    ',
  );
}

/** The body of a create or update: the JSON, then the flags over it. */
async function policyBody(opts: DataOptions & { name?: string }): Promise<Record<string, unknown>> {
  const body = await jsonInput(opts);
  if (opts.name !== undefined) body.name = opts.name;
  return body;
}

type PolicyOptions = DataOptions & { name?: string; application?: string; json?: boolean };

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('policies: limits and spam settings attached to workspaces');

  policy
    .command('create')
    .description('create a policy')
    .option('--name <name>', 'policy name')
    .option(...DATA)
    .option(...DATA_FILE)
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  wicket policy create --name Strict --data \'{"limits": {"limit_count_daily_email_sent": 200}}\'')
    .action(async (opts: PolicyOptions) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const body = await policyBody(opts);
      let created: Policy;
      try {
        created = ctx.services.policies.create(app.id, body);
      } catch (err) {
        if (err instanceof ValidationError && err.field === 'name' && err.rule === 'required') {
          throw new ValidationError('name', 'required', `${err.message} (give --name, or "name" in the JSON)`);
        }
        throw err;
      }
      if (opts.json) printJson(policyView(created));
      else show(created, [], 'Policy created');
    });

  policy
    .command('list')
    .description('list policies and the workspaces they are attached to')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const policies = ctx.services.policies.list(app.id);
      if (opts.json) {
        printJson(policies.map(policyView));
        return;
      }
      const workspaces = ctx.services.workspaces.list(app.id);
      print(`Policies (${policies.length}) in application ${app.name}`);
      if (policies.length === 0) return;
      printTable(
        ['NAME', 'ID', 'WORKSPACES', 'LIMITS'],
        policies.map((p) => [p.name, p.id, names(attachedTo(workspaces, p.id)), limitsSummary(p.limits)]),
      );
    });

  policy
    .command('get <id|name>')
    .alias('read')
    .description('show one policy')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((ref: string, opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const found = policyByRef(ctx, app.id, ref);
      if (opts.json) printJson(policyView(found));
      else show(found, ctx.services.workspaces.list(app.id), 'Policy');
    });

  policy
    .command('update <id|name>')
    .description('change a policy: the JSON fields given replace those stored (a limit set to null goes back to the default)')
    .option('--name <name>', 'new name')
    .option(...DATA)
    .option(...DATA_FILE)
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: PolicyOptions) => {
      if (opts.name === undefined && opts.data === undefined && opts.dataFile === undefined) {
        throw new UsageError('nothing to update: give --name, --data or --data-file');
      }
      const ctx = context();
      const app = ctx.application(opts.application);
      const target = policyByRef(ctx, app.id, ref);
      const updated = ctx.services.policies.update(app.id, target.id, await policyBody(opts));
      if (opts.json) printJson(policyView(updated));
      else show(updated, ctx.services.workspaces.list(app.id), 'Policy updated');
    });

  policy
    .command('delete <id|name>')
    .description('delete a policy no workspace uses')
    .option('-y, --yes', 'do not ask for confirmation')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { yes?: boolean; application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const target = policyByRef(ctx, app.id, ref);
      const users = attachedTo(ctx.services.workspaces.list(app.id), target.id);
      if (users.length > 0) {
        const how = users.map((w) => `wicket workspace update "${w.name}" --no-policy`).join(', ');
        throw new ConflictError(`policy "${target.name}" is attached to workspace ${users.map((w) => `"${w.name}"`).join(', ')}; detach it first (${how})`);
      }
      await confirm(`delete policy "${target.name}"`, opts.yes);
      const deleted = ctx.services.policies.delete(app.id, target.id);
      if (opts.json) printJson({ deleted: true, id: deleted.id, name: deleted.name });
      else print(`Policy "${deleted.name}" deleted (${deleted.id})`);
    });
}
