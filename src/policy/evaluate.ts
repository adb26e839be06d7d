// Rules against one message (PRODUCT.md "Rules"): the enabled rules of one trigger, lower
// priority first, each matched against the sender, the recipients and the outbound type; a
// matching `block` ends the run, other actions accumulate. Pure: no store, no clock.
//
// Evaluation fails closed: a rule that cannot be evaluated as written (a list that is gone, a
// list of the wrong type, an unknown field, operator or action, an outbound type the message
// lacks) throws RuleEvaluationError, never "no match". Callers answer SMTP 451 / API 503.
import { domainToASCII } from 'node:url';
import type { Condition, ConditionField, Decision, ListItems, ListType, MessageContext, Rule, RuleAction, RuleTrigger } from './types.js';

/** A rule that cannot be evaluated as stored; the message is refused with a temporary error. */
export class RuleEvaluationError extends Error {
  constructor(
    readonly ruleId: string,
    message: string,
  ) {
    super(`rule ${ruleId}: ${message}`);
    this.name = 'RuleEvaluationError';
  }
}

const ACTION_TYPES: ReadonlySet<string> = new Set(['block', 'mark_as_spam', 'assign_to_folder', 'mark_as_read', 'mark_as_starred', 'archive', 'trash']);

/** The list type a field's `in_list` needs (the field's last segment), or null for `outbound.type`. */
export function listTypeOfField(field: ConditionField): ListType | null {
  switch (field) {
    case 'from.address':
    case 'recipient.address':
      return 'address';
    case 'from.domain':
    case 'recipient.domain':
      return 'domain';
    case 'from.tld':
    case 'recipient.tld':
      return 'tld';
    case 'outbound.type':
      return null;
  }
}

const FIELDS: ReadonlySet<string> = new Set<ConditionField>([
  'from.address',
  'from.domain',
  'from.tld',
  'recipient.address',
  'recipient.domain',
  'recipient.tld',
  'outbound.type',
]);

/** The domain of an address (after the last @), lower case, without a trailing dot; '' when none. */
function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1 ? '' : address.slice(at + 1).replace(/\.$/, '');
}

function tldOf(domain: string): string {
  return domain === '' ? '' : domain.slice(domain.lastIndexOf('.') + 1);
}

/**
 * The forms one address is compared in: as written, and with its domain as A-labels (RFC 5890),
 * the form list items are stored in — so `bücher.de` in a message matches `xn--bcher-kva.de`.
 */
function addressForms(address: string): string[] {
  const lower = address.trim().toLowerCase();
  const domain = domainOf(lower);
  const ascii = domain === '' ? '' : domainToASCII(domain);
  if (ascii === '' || ascii === domain) return [lower];
  return [lower, `${lower.slice(0, lower.lastIndexOf('@') + 1)}${ascii}`];
}

/** The values one address gives a field of `kind`, in every form it is compared in. */
function valuesOf(address: string, kind: ListType): string[] {
  const forms = addressForms(address);
  if (kind === 'address') return forms;
  const domains = forms.map(domainOf);
  return [...new Set(kind === 'domain' ? domains : domains.map(tldOf))];
}

/** A domain and its parents: `mail.example.com`, `example.com`, `com`. */
function domainAndParents(domain: string): string[] {
  const labels = domain.split('.');
  return labels.map((_, i) => labels.slice(i).join('.'));
}

function inList(values: string[], kind: ListType, list: ListItems): boolean {
  // A domain item covers its subdomains: `example.com` matches mail from `mail.example.com`.
  if (kind === 'domain') return values.some((v) => v !== '' && domainAndParents(v).some((d) => list.items.has(d)));
  return values.some((v) => list.items.has(v));
}

/** Whether one condition's positive form (is, contains, in_list) holds for one address. */
function holdsFor(address: string, kind: ListType, condition: Condition, used: readonly ListItems[]): boolean {
  const values = valuesOf(address, kind);
  if (condition.operator === 'in_list') return used.some((list) => inList(values, kind, list));
  const wanted = (condition.value as string).toLowerCase();
  return condition.operator === 'contains' ? values.some((v) => v.includes(wanted)) : values.includes(wanted);
}

/**
 * The lists an `in_list` condition names (one id, or several as the hosted API sends them: the
 * condition holds when any of them holds the value). Every one must exist and hold items of the
 * field's kind, or the rule cannot be evaluated.
 */
function listsFor(rule: Rule, condition: Condition, kind: ListType, lists: ReadonlyMap<string, ListItems>): ListItems[] {
  if (condition.operator !== 'in_list') return [];
  const ids = typeof condition.value === 'string' ? [condition.value] : condition.value;
  return ids.map((id) => {
    const list = lists.get(id);
    if (list === undefined) throw new RuleEvaluationError(rule.id, `list ${id} does not exist`);
    if (list.type !== kind) throw new RuleEvaluationError(rule.id, `list ${id} holds ${list.type} items but ${condition.field} needs ${kind} items`);
    return list;
  });
}

function checkCondition(rule: Rule, condition: Condition): void {
  if (!FIELDS.has(condition.field)) throw new RuleEvaluationError(rule.id, `unknown condition field ${String(condition.field)}`);
  if (!['is', 'is_not', 'contains', 'in_list'].includes(condition.operator)) {
    throw new RuleEvaluationError(rule.id, `unknown condition operator ${String(condition.operator)}`);
  }
  const { value } = condition;
  const usable =
    typeof value === 'string'
      ? value !== ''
      : condition.operator === 'in_list' && Array.isArray(value) && value.length > 0 && value.every((id) => typeof id === 'string' && id !== '');
  if (!usable) throw new RuleEvaluationError(rule.id, `condition on ${condition.field} has no usable value`);
}

/** PRODUCT.md "Rules": `outbound.type` is `compose` or `reply`, compared with is / is_not only. */
function outboundTypeHolds(rule: Rule, condition: Condition, ctx: MessageContext): boolean {
  const wanted = typeof condition.value === 'string' ? condition.value.toLowerCase() : '';
  if (wanted !== 'compose' && wanted !== 'reply') throw new RuleEvaluationError(rule.id, `outbound.type cannot be ${JSON.stringify(condition.value)}`);
  if (condition.operator !== 'is' && condition.operator !== 'is_not') {
    throw new RuleEvaluationError(rule.id, `outbound.type takes is or is_not, not ${condition.operator}`);
  }
  if (ctx.outboundType === undefined) throw new RuleEvaluationError(rule.id, 'the message has no outbound type to compare');
  return (ctx.outboundType === wanted) === (condition.operator === 'is');
}

function conditionHolds(rule: Rule, condition: Condition, lists: ReadonlyMap<string, ListItems>, ctx: MessageContext): boolean {
  checkCondition(rule, condition);
  const kind = listTypeOfField(condition.field);
  if (kind === null) return outboundTypeHolds(rule, condition, ctx);
  const used = listsFor(rule, condition, kind, lists);
  if (condition.field.startsWith('from.')) {
    const holds = holdsFor(ctx.from, kind, condition, used);
    return condition.operator === 'is_not' ? !holds : holds;
  }
  // recipient.*: is / contains / in_list hold when they hold for any recipient; is_not holds
  // when no recipient equals the value.
  const any = ctx.recipients.some((r) => holdsFor(r, kind, condition, used));
  return condition.operator === 'is_not' ? !any : any;
}

function matches(rule: Rule, lists: ReadonlyMap<string, ListItems>, ctx: MessageContext): boolean {
  const { operator, conditions } = rule.match;
  // Every condition is evaluated (no short cut), so a broken one always fails the run, not
  // only on the messages that happen to reach it.
  const results = conditions.map((c) => conditionHolds(rule, c, lists, ctx));
  if (operator === 'all') return results.every(Boolean); // empty: everything matches
  if (operator === 'any') return results.some(Boolean); // empty: nothing matches
  throw new RuleEvaluationError(rule.id, `unknown match operator ${String(operator)}`);
}

/** Lower priority first; equal priorities in creation order, then by id, so the order is total. */
function byPriority(a: Rule, b: Rule): number {
  return a.priority - b.priority || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const actionKey = (action: RuleAction): string => `${action.type}\u0000${action.value ?? ''}`;

/**
 * The decision of `rules` on a message: the enabled rules of `trigger` run in priority order;
 * a matching rule with `block` stops the run and the decision is that block alone; otherwise
 * the actions of every matching rule, in order, each distinct type+value once.
 * Throws RuleEvaluationError when a rule that runs cannot be evaluated (fail closed).
 */
export function evaluateRules(rules: Rule[], lists: ReadonlyMap<string, ListItems>, ctx: MessageContext, trigger: RuleTrigger): Decision {
  const running = rules.filter((r) => r.enabled && r.trigger === trigger).sort(byPriority);
  const matchedRuleIds: string[] = [];
  const actions: RuleAction[] = [];
  const seen = new Set<string>();
  for (const rule of running) {
    if (!matches(rule, lists, ctx)) continue;
    matchedRuleIds.push(rule.id);
    const unknown = rule.actions.find((a) => !ACTION_TYPES.has(a.type));
    if (unknown) throw new RuleEvaluationError(rule.id, `unknown action ${String(unknown.type)}`);
    // PRODUCT.md: block is terminal and alone.
    if (rule.actions.some((a) => a.type === 'block')) return { blocked: true, actions: [{ type: 'block' }], matchedRuleIds };
    for (const action of rule.actions) {
      const key = actionKey(action);
      if (seen.has(key)) continue;
      seen.add(key);
      actions.push(action.value === undefined ? { type: action.type } : { type: action.type, value: action.value });
    }
  }
  return { blocked: false, actions, matchedRuleIds };
}
