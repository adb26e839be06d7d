import { describe, expect, it } from 'vitest';
import { evaluateRules, RuleEvaluationError } from '../../src/policy/evaluate.js';
import type { Condition, ListItems, MessageContext, Rule, RuleAction, RuleTrigger } from '../../src/policy/types.js';

let serial = 0;
function rule(overrides: Partial<Rule> & { conditions?: Condition[] } = {}): Rule {
  serial++;
  const { conditions, ...rest } = overrides;
  return {
    id: `r${serial}`,
    applicationId: 'app',
    name: `rule ${serial}`,
    description: null,
    priority: 10,
    enabled: true,
    trigger: 'inbound',
    match: { operator: 'all', conditions: conditions ?? [{ field: 'from.domain', operator: 'contains', value: '.' }] },
    actions: [{ type: 'mark_as_read' }],
    createdAt: 1000 + serial,
    updatedAt: 1000 + serial,
    ...rest,
  };
}

const lists = new Map<string, ListItems>([
  ['addr', { type: 'address', items: new Set(['boss@example.com']) }],
  ['dom', { type: 'domain', items: new Set(['example.com', 'xn--bcher-kva.de']) }],
  ['tld', { type: 'tld', items: new Set(['xyz', 'ru']) }],
]);

const inbound = (from: string, recipients = ['agent@agents.test']): MessageContext => ({ stage: 'smtp_rcpt', from, recipients });
const outbound = (recipients: string[], outboundType?: 'compose' | 'reply'): MessageContext => ({
  stage: 'outbound_send',
  from: 'agent@agents.test',
  recipients,
  ...(outboundType ? { outboundType } : {}),
});

/** Whether one rule with one condition matches. */
function holds(condition: Condition, ctx: MessageContext, trigger: RuleTrigger = 'inbound'): boolean {
  const r = rule({ trigger, conditions: [condition] });
  return evaluateRules([r], lists, ctx, trigger).matchedRuleIds.includes(r.id);
}

describe('conditions on the sender', () => {
  it.each<[string, Condition, string, boolean]>([
    ['address is, same case', { field: 'from.address', operator: 'is', value: 'alice@mail.example.com' }, 'alice@mail.example.com', true],
    ['address is, other case', { field: 'from.address', operator: 'is', value: 'ALICE@Mail.Example.COM' }, 'alice@mail.example.com', true],
    ['address is, other address', { field: 'from.address', operator: 'is', value: 'bob@mail.example.com' }, 'alice@mail.example.com', false],
    ['address is_not, other address', { field: 'from.address', operator: 'is_not', value: 'bob@mail.example.com' }, 'alice@mail.example.com', true],
    ['address is_not, same address', { field: 'from.address', operator: 'is_not', value: 'Alice@mail.example.com' }, 'alice@mail.example.com', false],
    ['address contains', { field: 'from.address', operator: 'contains', value: 'LICE@' }, 'alice@mail.example.com', true],
    ['address contains, absent', { field: 'from.address', operator: 'contains', value: 'zed' }, 'alice@mail.example.com', false],
    ['domain is the part after @', { field: 'from.domain', operator: 'is', value: 'mail.example.com' }, 'alice@mail.example.com', true],
    ['domain is, parent domain', { field: 'from.domain', operator: 'is', value: 'example.com' }, 'alice@mail.example.com', false],
    ['domain is_not', { field: 'from.domain', operator: 'is_not', value: 'example.com' }, 'alice@mail.example.com', true],
    ['domain contains', { field: 'from.domain', operator: 'contains', value: 'EXAMPLE' }, 'alice@mail.example.com', true],
    ['domain contains, only in the local part', { field: 'from.domain', operator: 'contains', value: 'alice' }, 'alice@mail.example.com', false],
    ['tld is the last label', { field: 'from.tld', operator: 'is', value: 'com' }, 'alice@mail.example.com', true],
    ['tld is, other tld', { field: 'from.tld', operator: 'is', value: 'org' }, 'alice@mail.example.com', false],
    ['tld is_not', { field: 'from.tld', operator: 'is_not', value: 'org' }, 'alice@mail.example.com', true],
    ['tld contains', { field: 'from.tld', operator: 'contains', value: 'o' }, 'alice@mail.example.com', true],
    ['domain of an empty sender', { field: 'from.domain', operator: 'is_not', value: 'example.com' }, '', true],
  ])('%s', (_name, condition, from, expected) => {
    expect(holds(condition, inbound(from))).toBe(expected);
  });
});

describe('in_list', () => {
  it.each<[string, Condition, string, boolean]>([
    ['address list, listed', { field: 'from.address', operator: 'in_list', value: 'addr' }, 'boss@example.com', true],
    ['address list, listed in other case', { field: 'from.address', operator: 'in_list', value: 'addr' }, 'BOSS@Example.com', true],
    ['address list, same domain only', { field: 'from.address', operator: 'in_list', value: 'addr' }, 'clerk@example.com', false],
    ['domain list, the domain', { field: 'from.domain', operator: 'in_list', value: 'dom' }, 'a@example.com', true],
    ['domain list, a subdomain', { field: 'from.domain', operator: 'in_list', value: 'dom' }, 'a@mail.eu.example.com', true],
    ['domain list, not at a label boundary', { field: 'from.domain', operator: 'in_list', value: 'dom' }, 'a@notexample.com', false],
    ['domain list, listed name inside another', { field: 'from.domain', operator: 'in_list', value: 'dom' }, 'a@example.com.evil.org', false],
    ['domain list, Unicode domain against its A-label item', { field: 'from.domain', operator: 'in_list', value: 'dom' }, 'a@bücher.de', true],
    ['tld list, listed', { field: 'from.tld', operator: 'in_list', value: 'tld' }, 'a@spam.xyz', true],
    ['tld list, listed label not last', { field: 'from.tld', operator: 'in_list', value: 'tld' }, 'a@xyz.example.com', false],
    ['recipient domain list', { field: 'recipient.domain', operator: 'in_list', value: 'dom' }, 'agent@agents.test', false],
  ])('%s', (_name, condition, from, expected) => {
    expect(holds(condition, inbound(from))).toBe(expected);
  });

  it.each<[string, Condition]>([
    ['a list id that does not exist', { field: 'from.domain', operator: 'in_list', value: 'gone' }],
    ['a tld field with a domain list', { field: 'from.tld', operator: 'in_list', value: 'dom' }],
    ['an address field with a tld list', { field: 'from.address', operator: 'in_list', value: 'tld' }],
    ['a domain field with an address list', { field: 'recipient.domain', operator: 'in_list', value: 'addr' }],
  ])('fails closed on %s', (_name, condition) => {
    expect(() => holds(condition, inbound('a@example.com'))).toThrow(RuleEvaluationError);
  });

  it.each<[string, string[], string, boolean]>([
    ['in either of two domain lists', ['dom', 'dom2'], 'a@partner.net', true],
    ['in the first of two', ['dom', 'dom2'], 'a@example.com', true],
    ['in neither', ['dom', 'dom2'], 'a@other.net', false],
  ])('with several list ids: %s', (_name, ids, from, expected) => {
    const withSecond = new Map(lists).set('dom2', { type: 'domain', items: new Set(['partner.net']) });
    const r = rule({ conditions: [{ field: 'from.domain', operator: 'in_list', value: ids }] });
    expect(evaluateRules([r], withSecond, inbound(from), 'inbound').matchedRuleIds).toEqual(expected ? [r.id] : []);
  });

  it.each<[string, Condition]>([
    ['one of several list ids does not exist', { field: 'from.domain', operator: 'in_list', value: ['dom', 'gone'] }],
    ['one of several lists has the wrong type', { field: 'from.domain', operator: 'in_list', value: ['dom', 'tld'] }],
    ['no list id at all', { field: 'from.domain', operator: 'in_list', value: [] }],
    ['an array for is', { field: 'from.domain', operator: 'is', value: ['example.com'] }],
  ])('fails closed when %s', (_name, condition) => {
    expect(() => holds(condition, inbound('a@example.com'))).toThrow(RuleEvaluationError);
  });

  it('fails closed even when an earlier condition of an any-match already holds', () => {
    const r = rule({
      match: {
        operator: 'any',
        conditions: [
          { field: 'from.domain', operator: 'is', value: 'example.com' },
          { field: 'from.domain', operator: 'in_list', value: 'gone' },
        ],
      },
    });
    expect(() => evaluateRules([r], lists, inbound('a@example.com'), 'inbound')).toThrow(/list gone does not exist/);
  });
});

describe('conditions on recipients (outbound)', () => {
  const two = ['a@one.test', 'b@mail.two.org'];
  it.each<[string, Condition, string[], boolean]>([
    ['address is, any recipient', { field: 'recipient.address', operator: 'is', value: 'B@mail.two.org' }, two, true],
    ['address is, none', { field: 'recipient.address', operator: 'is', value: 'c@two.org' }, two, false],
    ['address is_not, one recipient equals', { field: 'recipient.address', operator: 'is_not', value: 'a@one.test' }, two, false],
    ['address is_not, no recipient equals', { field: 'recipient.address', operator: 'is_not', value: 'c@one.test' }, two, true],
    ['domain contains, any recipient', { field: 'recipient.domain', operator: 'contains', value: 'two' }, two, true],
    ['domain is', { field: 'recipient.domain', operator: 'is', value: 'one.test' }, two, true],
    ['tld is, any recipient', { field: 'recipient.tld', operator: 'is', value: 'org' }, two, true],
    ['tld is_not, one recipient has it', { field: 'recipient.tld', operator: 'is_not', value: 'org' }, two, false],
    ['address in_list', { field: 'recipient.address', operator: 'in_list', value: 'addr' }, ['x@y.test', 'boss@example.com'], true],
    ['domain in_list, subdomain', { field: 'recipient.domain', operator: 'in_list', value: 'dom' }, ['x@deep.mail.example.com'], true],
    ['tld in_list', { field: 'recipient.tld', operator: 'in_list', value: 'tld' }, two, false],
    ['is with no recipients', { field: 'recipient.address', operator: 'is', value: 'a@one.test' }, [], false],
    ['is_not with no recipients', { field: 'recipient.address', operator: 'is_not', value: 'a@one.test' }, [], true],
  ])('%s', (_name, condition, recipients, expected) => {
    expect(holds(condition, outbound(recipients, 'compose'), 'outbound')).toBe(expected);
  });
});

describe('outbound.type', () => {
  it.each<[Condition, 'compose' | 'reply', boolean]>([
    [{ field: 'outbound.type', operator: 'is', value: 'compose' }, 'compose', true],
    [{ field: 'outbound.type', operator: 'is', value: 'REPLY' }, 'reply', true],
    [{ field: 'outbound.type', operator: 'is', value: 'reply' }, 'compose', false],
    [{ field: 'outbound.type', operator: 'is_not', value: 'reply' }, 'compose', true],
    [{ field: 'outbound.type', operator: 'is_not', value: 'compose' }, 'compose', false],
  ])('%o on a %s', (condition, type, expected) => {
    expect(holds(condition, outbound(['x@y.test'], type), 'outbound')).toBe(expected);
  });

  it.each<[string, Condition, MessageContext]>([
    ['the message has no outbound type', { field: 'outbound.type', operator: 'is', value: 'compose' }, outbound(['x@y.test'])],
    ['a value other than compose or reply', { field: 'outbound.type', operator: 'is', value: 'forward' }, outbound(['x@y.test'], 'compose')],
    ['contains', { field: 'outbound.type', operator: 'contains', value: 'compose' }, outbound(['x@y.test'], 'compose')],
  ])('fails closed when %s', (_name, condition, ctx) => {
    expect(() => holds(condition, ctx, 'outbound')).toThrow(RuleEvaluationError);
  });
});

describe('match operator', () => {
  const yes: Condition = { field: 'from.tld', operator: 'is', value: 'com' };
  const no: Condition = { field: 'from.tld', operator: 'is', value: 'org' };
  it.each<['all' | 'any', Condition[], boolean]>([
    ['all', [yes, yes], true],
    ['all', [yes, no], false],
    ['all', [], true],
    ['any', [no, yes], true],
    ['any', [no, no], false],
    ['any', [], false],
  ])('%s of %j', (operator, conditions, expected) => {
    const r = rule({ match: { operator, conditions } });
    expect(evaluateRules([r], lists, inbound('a@example.com'), 'inbound').matchedRuleIds).toEqual(expected ? [r.id] : []);
  });
});

describe('which rules run, and in what order', () => {
  const ctx = inbound('a@example.com');
  const run = (rules: Rule[], trigger: RuleTrigger = 'inbound') => evaluateRules(rules, lists, ctx, trigger);

  it('runs lower priorities first, then earlier creations, then lower ids', () => {
    const late = rule({ id: 'late', priority: 20, actions: [{ type: 'trash' }] });
    const tieB = rule({ id: 'b', priority: 5, createdAt: 50, actions: [{ type: 'archive' }] });
    const tieA = rule({ id: 'a', priority: 5, createdAt: 50, actions: [{ type: 'mark_as_starred' }] });
    const first = rule({ id: 'first', priority: 5, createdAt: 10, actions: [{ type: 'mark_as_read' }] });
    const decision = run([late, tieB, tieA, first]);
    expect(decision.matchedRuleIds).toEqual(['first', 'a', 'b', 'late']);
    expect(decision.actions.map((a) => a.type)).toEqual(['mark_as_read', 'mark_as_starred', 'archive', 'trash']);
  });

  it.each<[string, Partial<Rule>, RuleTrigger, boolean]>([
    ['an enabled inbound rule on inbound mail', {}, 'inbound', true],
    ['a disabled rule', { enabled: false }, 'inbound', false],
    ['an outbound rule on inbound mail', { trigger: 'outbound' }, 'inbound', false],
    ['an inbound rule on outbound mail', { trigger: 'inbound' }, 'outbound', false],
    ['an outbound rule on outbound mail', { trigger: 'outbound' }, 'outbound', true],
  ])('%s runs: %s', (_name, overrides, trigger, runs) => {
    const r = rule(overrides);
    expect(run([r], trigger).matchedRuleIds).toEqual(runs ? [r.id] : []);
  });

  it('does not reorder the array it is given', () => {
    const rules = [rule({ priority: 9 }), rule({ priority: 1 })];
    const ids = rules.map((r) => r.id);
    run(rules);
    expect(rules.map((r) => r.id)).toEqual(ids);
  });

  it('does not fail on a broken rule that does not run', () => {
    const broken = rule({ enabled: false, conditions: [{ field: 'from.domain', operator: 'in_list', value: 'gone' }] });
    expect(run([broken]).matchedRuleIds).toEqual([]);
  });
});

describe('actions', () => {
  const ctx = inbound('a@example.com');
  const run = (rules: Rule[]) => evaluateRules(rules, lists, ctx, 'inbound');

  it('stops at a matching block, which comes alone', () => {
    const read = rule({ priority: 1, actions: [{ type: 'mark_as_read' }] });
    const block = rule({ priority: 2, actions: [{ type: 'block' }] });
    const trash = rule({ priority: 3, actions: [{ type: 'trash' }] });
    expect(run([trash, block, read])).toEqual({ blocked: true, actions: [{ type: 'block' }], matchedRuleIds: [read.id, block.id] });
  });

  it('goes on past a block rule that does not match', () => {
    const block = rule({ priority: 1, actions: [{ type: 'block' }], conditions: [{ field: 'from.tld', operator: 'is', value: 'org' }] });
    const read = rule({ priority: 2 });
    expect(run([block, read])).toEqual({ blocked: false, actions: [{ type: 'mark_as_read' }], matchedRuleIds: [read.id] });
  });

  it('accumulates the actions of every matching rule in order, each type and value once', () => {
    const one = rule({ priority: 1, actions: [{ type: 'mark_as_read' }, { type: 'assign_to_folder', value: 'Clients/Acme' }] });
    const two = rule({ priority: 2, actions: [{ type: 'mark_as_read' }, { type: 'assign_to_folder', value: 'Other' }, { type: 'mark_as_spam' }] });
    const three = rule({ priority: 3, actions: [{ type: 'assign_to_folder', value: 'Clients/Acme' }] });
    const expected: RuleAction[] = [
      { type: 'mark_as_read' },
      { type: 'assign_to_folder', value: 'Clients/Acme' },
      { type: 'assign_to_folder', value: 'Other' },
      { type: 'mark_as_spam' },
    ];
    expect(run([three, two, one])).toEqual({ blocked: false, actions: expected, matchedRuleIds: [one.id, two.id, three.id] });
  });

  it('decides nothing when no rule matches', () => {
    expect(run([])).toEqual({ blocked: false, actions: [], matchedRuleIds: [] });
  });

  it.each<[string, Rule]>([
    ['an unknown action', rule({ actions: [{ type: 'forward' as never }] })],
    ['an unknown field', rule({ conditions: [{ field: 'subject' as never, operator: 'is', value: 'x' }] })],
    ['an unknown operator', rule({ conditions: [{ field: 'from.domain', operator: 'matches' as never, value: 'x' }] })],
    ['an empty value', rule({ conditions: [{ field: 'from.domain', operator: 'contains', value: '' }] })],
    ['an unknown match operator', rule({ match: { operator: 'none' as never, conditions: [] } })],
  ])('fails closed on %s', (_name, broken) => {
    expect(() => run([broken])).toThrow(RuleEvaluationError);
  });
});
