// API and CLI input for policies, rules and lists (PRODUCT.md "Policies", "Rules"), checked and
// normalized before anything is stored. zod checks the shape; the rules that relate one field to
// another (a trigger and the fields it allows, block alone, a list and its type) are plain code
// after it. Every failure is one ValidationError whose `field` is the JSON path of the value
// (`limits.limit_spam_retention_period`, `match.conditions[0].operator`, `items[3]`) and whose
// message starts with that path and says what to send instead.
import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { checkMailboxName } from '../accounts/mailboxes.js';
import { ValidationError } from '../errors.js';
import { listTypeOfField } from './evaluate.js';
import type {
  ActionType,
  Condition,
  ConditionField,
  ConditionOperator,
  ListType,
  PolicyLimits,
  Rule,
  RuleAction,
  RuleMatch,
  RuleTrigger,
  SpamDetection,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// From zod issues to ValidationError

/** `["actions", 1, "type"]` → `actions[1].type`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '');
}

/** The name a message gives the whole input when the input itself is wrong. */
const ROOT = 'body';

/** The keys each object of one kind of input takes, by JSON path with indices left out. */
type KnownKeys = Readonly<Record<string, readonly string[]>>;

function invalid(field: string, rule: string, phrase: string): ValidationError {
  return new ValidationError(field, rule, `${field} ${phrase}`);
}

function toValidationError(issue: z.core.$ZodIssue, knownKeys: KnownKeys): ValidationError {
  const at = jsonPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const field = at === '' ? key : `${at}.${key}`;
    const known = knownKeys[at.replace(/\[\d+\]/g, '')];
    return invalid(field, 'unknown_field', `is not a known field${known ? `; ${at === '' ? 'the body' : at} takes ${known.join(', ')}` : ''}`);
  }
  const field = at === '' ? ROOT : at;
  const rule =
    issue.code === 'invalid_type'
      ? issue.input === undefined
        ? 'required'
        : 'type'
      : issue.code === 'too_small' || issue.code === 'too_big'
        ? 'range'
        : issue.code === 'invalid_value'
          ? 'one_of'
          : issue.code === 'invalid_format'
            ? 'format'
            : 'invalid';
  return invalid(field, rule, issue.message);
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, knownKeys: KnownKeys): T {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw toValidationError(result.error.issues[0]!, knownKeys);
  return result.data;
}

/** Zod's `error` option: "is required" when the value is missing, else "must be <what>". */
const expected = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

const object = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.strictObject(shape, { error: (issue) => (issue.code === 'invalid_type' ? (issue.input === undefined ? 'is required' : 'must be a JSON object') : undefined) });

const oneOf = (values: readonly string[]) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? 'is required' : `must be one of ${values.join(', ')}${typeof issue.input === 'string' ? ` (got "${printable(issue.input)}")` : ''}`,
});

/** Control characters shown escaped, so a message stays on one line. */
function printable(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text).slice(1, -1);
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** A name of a policy, rule or list: 1–128 characters after trimming, one line. */
const nameSchema = z
  .string(expected('a string'))
  .trim()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .refine((name) => !CONTROL.test(name), 'must not contain control characters');

/** A description: free text up to 1000 characters, or null; an empty one is stored as null. */
const descriptionSchema = z
  .string(expected('a string or null'))
  .trim()
  .max(1000, 'must be at most 1000 characters')
  .nullable()
  .transform((text) => (text === '' ? null : text));

// ---------------------------------------------------------------------------------------------
// Policies

const LIMIT_PHRASE = 'must be -1 (unlimited) or a whole number ≥ 0';

/** PRODUCT.md "Policies": every numeric limit is -1 (unlimited) or a whole number ≥ 0. */
// null in an update: the limit goes back to the installation default (the service drops the key).
const limitValue = z.number({ error: LIMIT_PHRASE }).int(LIMIT_PHRASE).min(-1, LIMIT_PHRASE).nullable().optional();

/**
 * A media type (RFC 6838 §4.2 restricted-name) or a range of them: `image/png`, `image/*`, and
 * `*` + `/*` for every type (so a policy can lift an installation default that restricts types).
 */
const RESTRICTED_NAME = '[a-z0-9][a-z0-9!#$&^_.+-]{0,126}';
const MEDIA_RANGE = new RegExp(`^(?:\\*/\\*|${RESTRICTED_NAME}/(?:${RESTRICTED_NAME}|\\*))$`);

const mediaRange = z
  .string(expected('a MIME type such as application/pdf or image/*'))
  .trim()
  .toLowerCase()
  .regex(MEDIA_RANGE, 'must be a MIME type such as application/pdf, or image/* for a whole top-level type');

const LIMIT_NAMES = [
  'limit_attachment_size_limit',
  'limit_attachment_count_limit',
  'limit_attachment_allowed_types',
  'limit_size_total_mime',
  'limit_storage_total',
  'limit_count_daily_message_received',
  'limit_count_daily_email_sent',
  'limit_inbox_retention_period',
  'limit_spam_retention_period',
] as const satisfies readonly (keyof PolicyLimits)[];

const limitsSchema = object({
  limit_attachment_size_limit: limitValue,
  limit_attachment_count_limit: limitValue,
  limit_attachment_allowed_types: z
    .array(mediaRange, expected('an array of MIME types'))
    .max(200, 'must list at most 200 MIME types')
    .transform((types) => [...new Set(types)])
    .nullable()
    .optional(),
  limit_size_total_mime: limitValue,
  limit_storage_total: limitValue,
  limit_count_daily_message_received: limitValue,
  limit_count_daily_email_sent: limitValue,
  limit_inbox_retention_period: limitValue,
  limit_spam_retention_period: limitValue,
});

const SPAM_SENSITIVITY_PHRASE = 'must be a number from 0.1 (lenient) to 5.0 (strict)';

const spamDetectionSchema = object({
  use_list_dnsbl: z.boolean(expected('true or false')).optional(),
  use_header_anomaly_detection: z.boolean(expected('true or false')).optional(),
  spam_sensitivity: z.number({ error: SPAM_SENSITIVITY_PHRASE }).min(0.1, SPAM_SENSITIVITY_PHRASE).max(5, SPAM_SENSITIVITY_PHRASE).optional(),
});

const policySchema = (mode: 'create' | 'update') =>
  object({
    name: mode === 'create' ? nameSchema : nameSchema.optional(),
    limits: limitsSchema.optional(),
    spam_detection: spamDetectionSchema.optional(),
  });
const POLICY_KEYS: KnownKeys = {
  '': ['name', 'limits', 'spam_detection'],
  limits: LIMIT_NAMES,
  spam_detection: ['use_list_dnsbl', 'use_header_anomaly_detection', 'spam_sensitivity'],
};

export interface PolicyInput {
  name?: string;
  limits?: PolicyLimits;
  spam_detection?: SpamDetection;
}

/** Absent keys are left out (not set to undefined), so a merge `{...stored, ...input}` keeps them. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * PRODUCT.md "Policies": inbox retention must exceed spam retention. Checked when both are set
 * and neither is -1 (unlimited); run it again on the merge of an update with the stored policy.
 */
export function checkRetention(limits: PolicyLimits): void {
  const inbox = limits.limit_inbox_retention_period;
  const spam = limits.limit_spam_retention_period;
  if (inbox == null || spam == null || inbox === -1 || spam === -1) return;
  if (spam >= inbox) {
    throw invalid(
      'limits.limit_spam_retention_period',
      'below_inbox_retention',
      `(${spam} days) must be below limits.limit_inbox_retention_period (${inbox} days): Junk mail is kept for a shorter time than INBOX mail`,
    );
  }
}

/** A policy body: `name` (required on create), `limits`, `spam_detection`. */
export function parsePolicyInput(input: unknown, mode: 'create'): PolicyInput & { name: string };
export function parsePolicyInput(input: unknown, mode: 'update'): PolicyInput;
export function parsePolicyInput(input: unknown, mode: 'create' | 'update'): PolicyInput {
  const parsed = parseWith(policySchema(mode), input, POLICY_KEYS);
  const result: PolicyInput = {};
  if (parsed.name !== undefined) result.name = parsed.name;
  if (parsed.limits !== undefined) {
    result.limits = withoutUndefined(parsed.limits) as PolicyLimits;
    checkRetention(result.limits);
  }
  if (parsed.spam_detection !== undefined) result.spam_detection = withoutUndefined(parsed.spam_detection);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Rules

const CONDITION_FIELDS = [
  'from.address',
  'from.domain',
  'from.tld',
  'recipient.address',
  'recipient.domain',
  'recipient.tld',
  'outbound.type',
] as const satisfies readonly ConditionField[];
const OPERATORS = ['is', 'is_not', 'contains', 'in_list'] as const satisfies readonly ConditionOperator[];
const ACTION_TYPES = [
  'block',
  'mark_as_spam',
  'assign_to_folder',
  'mark_as_read',
  'mark_as_starred',
  'archive',
  'trash',
] as const satisfies readonly ActionType[];
const TRIGGERS = ['inbound', 'outbound'] as const satisfies readonly RuleTrigger[];

const PRIORITY_PHRASE = 'must be a whole number from 0 to 1000 (lower runs first)';
const MAX_CONDITIONS = 50;
const MAX_ACTIONS = 10;
const MAX_VALUE = 500;
const MAX_FOLDER = 255;
const MAX_LISTS_PER_CONDITION = 50;

/**
 * A condition's value: a string or, for in_list, an array of list ids (as the hosted API sends
 * them). zod tells the two shapes apart only; what each must hold is checked by conditionValue,
 * so that an error names the very element (`match.conditions[0].value[2]`).
 */
const conditionSchema = object({
  field: z.enum(CONDITION_FIELDS, oneOf(CONDITION_FIELDS)),
  operator: z.enum(OPERATORS, oneOf(OPERATORS)),
  value: z.union([z.string(), z.array(z.unknown())], expected('a string (for in_list, a list id or an array of list ids)')),
});

const matchSchema = object({
  operator: z.enum(['all', 'any'], oneOf(['all', 'any'])).default('all'),
  conditions: z
    .array(conditionSchema, expected('an array of conditions'))
    .min(1, 'must hold at least one condition')
    .max(MAX_CONDITIONS, `must hold at most ${MAX_CONDITIONS} conditions`),
});

const actionSchema = object({
  type: z.enum(ACTION_TYPES, oneOf(ACTION_TYPES)),
  value: z.string(expected('a string')).nullish(),
});

const actionsSchema = z
  .array(actionSchema, expected('an array of actions'))
  .min(1, 'must hold at least one action')
  .max(MAX_ACTIONS, `must hold at most ${MAX_ACTIONS} actions`);

const prioritySchema = z.number({ error: PRIORITY_PHRASE }).int(PRIORITY_PHRASE).min(0, PRIORITY_PHRASE).max(1000, PRIORITY_PHRASE);
const enabledSchema = z.boolean(expected('true or false'));
const triggerSchema = z.enum(TRIGGERS, oneOf(TRIGGERS));

const ruleSchema = (mode: 'create' | 'update') =>
  mode === 'create'
    ? object({
        name: nameSchema,
        description: descriptionSchema.optional(),
        priority: prioritySchema.default(10),
        enabled: enabledSchema.default(true),
        trigger: triggerSchema.default('inbound'),
        match: matchSchema,
        actions: actionsSchema,
      })
    : object({
        name: nameSchema.optional(),
        description: descriptionSchema.optional(),
        priority: prioritySchema.optional(),
        enabled: enabledSchema.optional(),
        trigger: triggerSchema.optional(),
        match: matchSchema.optional(),
        actions: actionsSchema.optional(),
      });

const RULE_KEYS: KnownKeys = {
  '': ['name', 'description', 'priority', 'enabled', 'trigger', 'match', 'actions'],
  match: ['operator', 'conditions'],
  'match.conditions': ['field', 'operator', 'value'],
  actions: ['type', 'value'],
};

/** The fields of a new rule, defaults applied. */
export interface RuleInput {
  name: string;
  description: string | null;
  priority: number;
  enabled: boolean;
  trigger: RuleTrigger;
  match: RuleMatch;
  actions: RuleAction[];
}

/** What a list id names, as far as rules care. */
export type ResolveList = (id: string) => { type: ListType } | undefined;

type RuleShape = Pick<Rule, 'trigger' | 'match' | 'actions'>;

/** PRODUCT.md "Rules": `recipient.*` and `outbound.type` are fields of outbound rules only. */
const OUTBOUND_ONLY: ReadonlySet<ConditionField> = new Set(['recipient.address', 'recipient.domain', 'recipient.tld', 'outbound.type']);

function checkConditions(conditions: readonly Condition[], trigger: RuleTrigger | undefined, resolveList: ResolveList | undefined): void {
  conditions.forEach((condition, i) => {
    const at = `match.conditions[${i}]`;
    if (trigger === 'inbound' && OUTBOUND_ONLY.has(condition.field)) {
      throw invalid(
        `${at}.field`,
        'outbound_only',
        `${condition.field} is only for outbound rules (this rule's trigger is inbound); inbound rules match on from.address, from.domain and from.tld`,
      );
    }
    const kind = listTypeOfField(condition.field);
    if (kind === null) {
      // outbound.type: compose or reply, compared with is / is_not.
      if (condition.operator !== 'is' && condition.operator !== 'is_not') {
        throw invalid(`${at}.operator`, 'outbound_type_operator', `must be is or is_not for outbound.type (got ${condition.operator})`);
      }
      if (condition.value !== 'compose' && condition.value !== 'reply') {
        const got = typeof condition.value === 'string' ? `"${printable(condition.value)}"` : 'an array';
        throw invalid(`${at}.value`, 'outbound_type_value', `must be compose or reply for outbound.type (got ${got})`);
      }
      return;
    }
    if (condition.operator === 'in_list' && resolveList) {
      const ids = typeof condition.value === 'string' ? [condition.value] : condition.value;
      ids.forEach((id, j) => {
        const where = typeof condition.value === 'string' ? `${at}.value` : `${at}.value[${j}]`;
        const list = resolveList(id);
        if (list === undefined) throw invalid(where, 'list_not_found', `names no list: there is no list with id "${printable(id)}"`);
        if (list.type !== kind) {
          throw invalid(
            where,
            'list_type',
            `names ${list.type === 'address' ? 'an' : 'a'} ${list.type} list, but ${condition.field} is compared with ${kind} lists only (a list's type must match the field)`,
          );
        }
      });
    }
  });
}

function checkActions(actions: readonly RuleAction[], trigger: RuleTrigger | undefined): void {
  const block = actions.findIndex((a) => a.type === 'block');
  if (block !== -1 && actions.length > 1) {
    // Name the action that keeps the block from being alone.
    const at = block === 0 ? 1 : block;
    throw invalid(`actions[${at}].type`, 'block_alone', 'is not allowed here: block cannot be combined with other actions (a blocked message gets no other action)');
  }
  const first = new Map<string, number>();
  actions.forEach((action, i) => {
    const earlier = first.get(action.type);
    if (earlier !== undefined) {
      throw invalid(`actions[${i}].type`, 'duplicate', `${action.type} appears twice (also actions[${earlier}]); a rule takes each action once`);
    }
    first.set(action.type, i);
    if (trigger === 'outbound' && action.type === 'mark_as_spam') {
      throw invalid(
        `actions[${i}].type`,
        'inbound_only',
        'mark_as_spam is for inbound rules only: outbound actions apply to the Sent copy, which is not spam; use assign_to_folder, archive or trash',
      );
    }
    if (action.type === 'assign_to_folder') {
      const problem = folderProblem(action.value);
      if (problem) throw invalid(`actions[${i}].value`, 'folder', problem);
    } else if (action.value !== undefined) {
      throw invalid(`actions[${i}].value`, 'no_value', `must be left out: ${action.type} takes no value`);
    }
  });
}

/** PRODUCT.md "Rules": assign_to_folder names a folder by name or path (`Clients/Acme`). */
function folderProblem(value: string | undefined): string | null {
  if (value === undefined || value === '') return "is required for assign_to_folder: the folder's name or path, such as Clients/Acme";
  if (value.length > MAX_FOLDER) return `must be at most ${MAX_FOLDER} characters`;
  const problem = checkMailboxName(value);
  return problem === null ? null : `is not a folder name: ${problem}`;
}

/**
 * The rules that tie fields together, on a whole rule: the trigger and the fields and actions
 * it allows, block alone, assign_to_folder's value, outbound.type's values and, when
 * `resolveList` is given, each in_list naming a list of the field's type. The service runs it
 * on the merge of an update with the stored rule.
 */
export function checkRuleConsistency(rule: RuleShape, resolveList?: ResolveList): void {
  checkConditions(rule.match.conditions, rule.trigger, resolveList);
  checkActions(rule.actions, rule.trigger);
}

/**
 * A condition's value, trimmed: a non-empty string of at most 500 characters or, for in_list
 * only, 1–50 list ids (duplicates dropped). outbound.type values are keywords and lower-cased;
 * other strings keep their case (list ids are exact; is and contains ignore case anyway).
 */
function conditionValue(condition: { field: ConditionField; operator: ConditionOperator; value: string | unknown[] }, at: string): string | string[] {
  const { value } = condition;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') throw invalid(at, 'required', 'must not be empty');
    if (text.length > MAX_VALUE) throw invalid(at, 'range', `must be at most ${MAX_VALUE} characters`);
    return condition.field === 'outbound.type' ? text.toLowerCase() : text;
  }
  if (condition.operator !== 'in_list') throw invalid(at, 'type', `must be a string; only in_list takes an array (of list ids)`);
  if (value.length === 0) throw invalid(at, 'range', 'must name at least one list');
  if (value.length > MAX_LISTS_PER_CONDITION) throw invalid(at, 'range', `must name at most ${MAX_LISTS_PER_CONDITION} lists`);
  const ids = value.map((id, j) => {
    if (typeof id !== 'string') throw invalid(`${at}[${j}]`, 'type', 'must be a string (a list id)');
    const text = id.trim();
    if (text === '') throw invalid(`${at}[${j}]`, 'required', 'must not be empty');
    if (text.length > MAX_VALUE) throw invalid(`${at}[${j}]`, 'range', `must be at most ${MAX_VALUE} characters`);
    return text;
  });
  return [...new Set(ids)];
}

function normalizeMatch(match: { operator: 'all' | 'any'; conditions: { field: ConditionField; operator: ConditionOperator; value: string | unknown[] }[] }): RuleMatch {
  return {
    operator: match.operator,
    conditions: match.conditions.map((c, i) => ({ field: c.field, operator: c.operator, value: conditionValue(c, `match.conditions[${i}].value`) })),
  };
}

function normalizeActions(actions: { type: ActionType; value?: string | null | undefined }[]): RuleAction[] {
  return actions.map((a) => {
    // null, and an empty value on an action that takes none, are the same as no value.
    const value = a.value?.trim();
    return value === undefined || (value === '' && a.type !== 'assign_to_folder') ? { type: a.type } : { type: a.type, value };
  });
}

/**
 * A rule body. On create `name`, `match` and `actions` are required and the defaults applied
 * (priority 10, enabled, inbound, match operator all). On update every field is optional;
 * `match` and `actions` replace the stored ones wholly and are checked against the trigger when
 * the update names one — run checkRuleConsistency on the merged rule for the rest.
 */
export function parseRuleInput(input: unknown, mode: 'create', resolveList: ResolveList): RuleInput;
export function parseRuleInput(input: unknown, mode: 'update', resolveList: ResolveList): Partial<RuleInput>;
export function parseRuleInput(input: unknown, mode: 'create' | 'update', resolveList: ResolveList): Partial<RuleInput> {
  const parsed = parseWith(ruleSchema(mode), input, RULE_KEYS);
  const result: Partial<RuleInput> = {};
  if (parsed.name !== undefined) result.name = parsed.name;
  if (parsed.description !== undefined) result.description = parsed.description;
  else if (mode === 'create') result.description = null;
  if (parsed.priority !== undefined) result.priority = parsed.priority;
  if (parsed.enabled !== undefined) result.enabled = parsed.enabled;
  if (parsed.trigger !== undefined) result.trigger = parsed.trigger;
  if (parsed.match !== undefined) {
    result.match = normalizeMatch(parsed.match);
    checkConditions(result.match.conditions, result.trigger, resolveList);
  }
  if (parsed.actions !== undefined) {
    result.actions = normalizeActions(parsed.actions);
    checkActions(result.actions, result.trigger);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Lists

const LIST_TYPES = ['address', 'domain', 'tld'] as const satisfies readonly ListType[];

const listSchema = (mode: 'create' | 'update') =>
  object({
    name: mode === 'create' ? nameSchema : nameSchema.optional(),
    description: descriptionSchema.optional(),
    type: mode === 'create' ? z.enum(LIST_TYPES, oneOf(LIST_TYPES)) : z.enum(LIST_TYPES, oneOf(LIST_TYPES)).optional(),
  });

export interface ListInput {
  name: string;
  description: string | null;
  type: ListType;
}

/**
 * A list body: `name` and `type` required on create, `description` optional. On update every
 * field is optional; whether a `type` given there differs from the stored one (it cannot change)
 * is for the service to say.
 */
export function parseListInput(input: unknown, mode: 'create'): ListInput;
export function parseListInput(input: unknown, mode: 'update'): Partial<ListInput>;
export function parseListInput(input: unknown, mode: 'create' | 'update'): Partial<ListInput> {
  const parsed = parseWith(listSchema(mode), input, { '': ['name', 'description', 'type'] });
  const result: Partial<ListInput> = {};
  if (parsed.name !== undefined) result.name = parsed.name;
  if (parsed.description !== undefined) result.description = parsed.description;
  else if (mode === 'create') result.description = null;
  if (parsed.type !== undefined) result.type = parsed.type;
  return result;
}

const MAX_ITEMS = 1000;
const MAX_ITEM_LENGTH = 500;

const itemsSchema = object({
  items: z
    .array(z.unknown(), expected('an array of strings'))
    .min(1, 'must hold at least one item')
    .max(MAX_ITEMS, `must hold at most ${MAX_ITEMS} items per request; send the rest in further requests`),
});

type ItemCheck = { ok: true; item: string } | { ok: false; reason: string };

/** RFC 1035 §2.3.1 as relaxed by RFC 1123 §2.1: letters, digits, hyphens; no hyphen at either end. */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * One label in its A-label form (RFC 5890): an ASCII label as it is, a Unicode one through
 * domainToASCII — one label at a time, so that URL syntax (`a/b`) or a full-width dot in the
 * input can never make the URL parser return a shorter or different name.
 */
function labelItem(label: string): ItemCheck {
  if (label === '') return { ok: false, reason: 'it has an empty label (a leading or double dot)' };
  const ascii = /^[\x00-\x7f]*$/.test(label) ? label : domainToASCII(label);
  if (ascii === '' || ascii.includes('.')) return { ok: false, reason: `"${printable(label)}" is not a valid internationalized label` };
  if (ascii.length > 63) return { ok: false, reason: 'it has a label longer than 63 characters' };
  if (ascii.startsWith('-') || ascii.endsWith('-')) return { ok: false, reason: 'a label starts or ends with a hyphen' };
  if (!LABEL.test(ascii)) return { ok: false, reason: 'it may hold only letters, digits, hyphens and dots' };
  return { ok: true, item: ascii };
}

/**
 * A domain item: at least two labels, no trailing dot, at most 253 characters (RFC 1035 §2.3.4).
 * `inAddress`: the domain of an address item, where a hint about tld lists would mislead.
 */
function domainItem(value: string, inAddress = false): ItemCheck {
  if (value.endsWith('.')) return { ok: false, reason: 'it must not end with a dot (write example.com, not example.com.)' };
  const labels: string[] = [];
  for (const label of value.split('.')) {
    const checked = labelItem(label);
    if (!checked.ok) return checked;
    labels.push(checked.item);
  }
  if (labels.length < 2) return { ok: false, reason: `it needs at least two labels, such as example.com${inAddress ? '' : ' (a TLD belongs in a tld list)'}` };
  // RFC 3696 §2: a top-level label is never all digits; this refuses IPv4 addresses.
  if (/^\d+$/.test(labels.at(-1)!)) return { ok: false, reason: 'it ends in an all-digit label (an IP address is not a domain)' };
  const item = labels.join('.');
  if (item.length > 253) return { ok: false, reason: 'it is longer than 253 characters' };
  return { ok: true, item };
}

/** A tld item: one label, a leading dot allowed and dropped (`.io` → `io`), A-label for IDN. */
function tldItem(value: string): ItemCheck {
  const label = value.startsWith('.') ? value.slice(1) : value;
  if (label.includes('.')) return { ok: false, reason: 'it must be a single label such as com or io (a domain belongs in a domain list)' };
  const checked = labelItem(label);
  if (!checked.ok) return checked;
  if (/^\d+$/.test(checked.item)) return { ok: false, reason: 'it is all digits, which no top-level domain is (RFC 3696 §2)' };
  return checked;
}

/** RFC 5322 §3.2.3 atext: the characters of a dot-atom local part. */
const ATEXT = /^[a-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;

/**
 * An address item: an RFC 5322 addr-spec `local@domain` with a dot-atom local part (the quoted
 * form is refused, as for accounts) of at most 64 octets (RFC 5321 §4.5.3.1.1) and a domain as
 * for domain lists.
 */
function addressItem(value: string): ItemCheck {
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return { ok: false, reason: 'expected local-part@domain' };
  const local = value.slice(0, at);
  if (local.startsWith('"')) return { ok: false, reason: 'quoted local parts are not supported' };
  if (local.length > 64) return { ok: false, reason: 'the local part is longer than 64 characters' };
  const atoms = local.split('.');
  if (atoms.some((atom) => atom === '')) return { ok: false, reason: 'the local part has a leading, trailing or double dot' };
  if (!atoms.every((atom) => ATEXT.test(atom))) return { ok: false, reason: 'the local part holds characters an address cannot have' };
  const domain = domainItem(value.slice(at + 1), true);
  if (!domain.ok) return { ok: false, reason: `in the domain, ${domain.reason}` };
  const item = `${local}@${domain.item}`;
  if (item.length > 254) return { ok: false, reason: 'it is longer than 254 characters (RFC 5321 §4.5.3.1.3)' };
  return { ok: true, item };
}

const ITEM_CHECKS: Record<ListType, (value: string) => ItemCheck> = {
  address: addressItem,
  domain: domainItem,
  tld: tldItem,
};

/**
 * The items of a `{"items": [...]}` body for a list of `type`: 1–1000 per request, each
 * trimmed, lower-cased and checked for the type; duplicates dropped, first occurrence kept.
 */
export function parseListItems(input: unknown, type: ListType): string[] {
  const { items } = parseWith(itemsSchema, input, { '': ['items'] });
  const out = new Set<string>();
  items.forEach((raw, i) => {
    const field = `items[${i}]`;
    if (typeof raw !== 'string') throw invalid(field, 'type', `must be a string (a ${type})`);
    if (raw.length > MAX_ITEM_LENGTH) throw invalid(field, 'range', `must be at most ${MAX_ITEM_LENGTH} characters`);
    const value = raw.trim().toLowerCase();
    if (value === '') throw invalid(field, 'required', 'must not be empty');
    const checked = ITEM_CHECKS[type](value);
    if (!checked.ok) throw invalid(field, 'format', `"${printable(raw.trim())}" is not a valid ${type}: ${checked.reason}`);
    out.add(checked.item);
  });
  return [...out];
}
