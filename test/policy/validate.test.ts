import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import type { ListType } from '../../src/policy/types.js';
import {
  checkRetention,
  checkRuleConsistency,
  jsonPath,
  parseListInput,
  parseListItems,
  parsePolicyInput,
  parseRuleInput,
} from '../../src/policy/validate.js';

/** The ValidationError `run` throws (fails the test when it throws nothing or something else). */
function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

const lists: Record<string, ListType> = { 'list-addr': 'address', 'list-dom': 'domain', 'list-tld': 'tld' };
const resolveList = (id: string) => (lists[id] ? { type: lists[id] } : undefined);

const goodRule = {
  name: 'Block spammy TLDs',
  match: { operator: 'any', conditions: [{ field: 'from.tld', operator: 'in_list', value: 'list-tld' }] },
  actions: [{ type: 'block' }],
};

describe('jsonPath', () => {
  it.each([
    [[], ''],
    [['limits', 'limit_storage_total'], 'limits.limit_storage_total'],
    [['actions', 1, 'type'], 'actions[1].type'],
    [['items', 3], 'items[3]'],
  ])('%j → %s', (path, expected) => expect(jsonPath(path)).toBe(expected));
});

describe('policies', () => {
  it('accepts a full policy, lower-casing and de-duplicating MIME types', () => {
    const policy = parsePolicyInput(
      {
        name: '  Default  ',
        limits: {
          limit_attachment_size_limit: 10 * 1024 * 1024,
          limit_attachment_count_limit: 10,
          limit_attachment_allowed_types: ['Image/*', 'application/PDF', 'image/*', ' text/plain '],
          limit_size_total_mime: -1,
          limit_storage_total: 0,
          limit_count_daily_message_received: 1000,
          limit_count_daily_email_sent: 200,
          limit_inbox_retention_period: 30,
          limit_spam_retention_period: 7,
        },
        spam_detection: { use_list_dnsbl: true, use_header_anomaly_detection: false, spam_sensitivity: 0.1 },
      },
      'create',
    );
    expect(policy).toEqual({
      name: 'Default',
      limits: {
        limit_attachment_size_limit: 10485760,
        limit_attachment_count_limit: 10,
        limit_attachment_allowed_types: ['image/*', 'application/pdf', 'text/plain'],
        limit_size_total_mime: -1,
        limit_storage_total: 0,
        limit_count_daily_message_received: 1000,
        limit_count_daily_email_sent: 200,
        limit_inbox_retention_period: 30,
        limit_spam_retention_period: 7,
      },
      spam_detection: { use_list_dnsbl: true, use_header_anomaly_detection: false, spam_sensitivity: 0.1 },
    });
  });

  it('leaves out what an update does not name', () => {
    expect(parsePolicyInput({ limits: { limit_storage_total: 5 } }, 'update')).toEqual({ limits: { limit_storage_total: 5 } });
    expect(parsePolicyInput({}, 'update')).toEqual({});
  });

  it.each([
    ['inbox unlimited', { limit_inbox_retention_period: -1, limit_spam_retention_period: 400 }],
    ['spam unlimited', { limit_inbox_retention_period: 30, limit_spam_retention_period: -1 }],
    ['only one set', { limit_spam_retention_period: 400 }],
    ['spam below inbox', { limit_inbox_retention_period: 30, limit_spam_retention_period: 29 }],
    ['*/* for every type', { limit_attachment_allowed_types: ['*/*'] }],
    ['no type at all', { limit_attachment_allowed_types: [] }],
  ])('accepts limits with %s', (_name, limits) => {
    expect(parsePolicyInput({ limits }, 'update').limits).toEqual(limits);
  });

  it.each<[string, unknown, 'create' | 'update', string, RegExp]>([
    ['no name on create', { limits: {} }, 'create', 'name', /name is required/],
    ['an empty name', { name: '   ' }, 'create', 'name', /must not be empty/],
    ['a long name', { name: 'x'.repeat(129) }, 'create', 'name', /at most 128/],
    ['a name with a line break', { name: 'a\nb' }, 'update', 'name', /control characters/],
    ['a body that is not an object', [], 'update', 'body', /JSON object/],
    ['an unknown top-level key', { name: 'p', limit: {} }, 'create', 'limit', /not a known field.*name, limits, spam_detection/],
    ['a negative limit other than -1', { limits: { limit_storage_total: -2 } }, 'update', 'limits.limit_storage_total', /must be -1 \(unlimited\) or a whole number ≥ 0/],
    ['a fractional limit', { limits: { limit_attachment_count_limit: 1.5 } }, 'update', 'limits.limit_attachment_count_limit', /-1 \(unlimited\) or a whole number/],
    ['a limit as a string', { limits: { limit_size_total_mime: '100' } }, 'update', 'limits.limit_size_total_mime', /-1 \(unlimited\) or a whole number/],
    ['an unknown limit', { limits: { limit_count_daily_message_per_grant: 5 } }, 'update', 'limits.limit_count_daily_message_per_grant', /not a known field; limits takes limit_attachment_size_limit/],
    ['spam retention equal to inbox retention', { limits: { limit_inbox_retention_period: 30, limit_spam_retention_period: 30 } }, 'update', 'limits.limit_spam_retention_period', /must be below limits.limit_inbox_retention_period/],
    ['spam retention above inbox retention', { limits: { limit_inbox_retention_period: 7, limit_spam_retention_period: 30 } }, 'update', 'limits.limit_spam_retention_period', /\(30 days\).*\(7 days\)/],
    ['a MIME type without a subtype', { limits: { limit_attachment_allowed_types: ['image'] } }, 'update', 'limits.limit_attachment_allowed_types[0]', /MIME type/],
    ['a MIME range on the type', { limits: { limit_attachment_allowed_types: ['application/pdf', '*/png'] } }, 'update', 'limits.limit_attachment_allowed_types[1]', /MIME type/],
    ['allowed types as a string', { limits: { limit_attachment_allowed_types: 'image/*' } }, 'update', 'limits.limit_attachment_allowed_types', /array of MIME types/],
    ['spam sensitivity below 0.1', { spam_detection: { spam_sensitivity: 0.05 } }, 'update', 'spam_detection.spam_sensitivity', /0\.1 \(lenient\) to 5\.0 \(strict\)/],
    ['spam sensitivity above 5', { spam_detection: { spam_sensitivity: 5.5 } }, 'update', 'spam_detection.spam_sensitivity', /0\.1 \(lenient\) to 5\.0/],
    ['a string for a boolean', { spam_detection: { use_list_dnsbl: 'yes' } }, 'update', 'spam_detection.use_list_dnsbl', /true or false/],
    ['an unknown spam setting', { spam_detection: { use_spf: true } }, 'update', 'spam_detection.use_spf', /not a known field/],
  ])('refuses %s', (_name, input, mode, field, message) => {
    const error = refusal(() => parsePolicyInput(input, mode as 'update'));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(field)).toBe(true);
    expect(error.message).not.toMatch(/Invalid input/);
  });

  it('takes null for a limit in an update: the service returns it to the installation default', () => {
    expect(parsePolicyInput({ limits: { limit_count_daily_email_sent: null } }, 'update').limits).toEqual({ limit_count_daily_email_sent: null });
  });

  it('checkRetention re-checks a merged policy', () => {
    expect(() => checkRetention({ limit_inbox_retention_period: 10, limit_spam_retention_period: 3 })).not.toThrow();
    expect(refusal(() => checkRetention({ limit_inbox_retention_period: 3, limit_spam_retention_period: 10 })).rule).toBe('below_inbox_retention');
  });
});

describe('rules', () => {
  it('applies the defaults on create', () => {
    expect(parseRuleInput(goodRule, 'create', resolveList)).toEqual({
      name: 'Block spammy TLDs',
      description: null,
      priority: 10,
      enabled: true,
      trigger: 'inbound',
      match: goodRule.match,
      actions: [{ type: 'block' }],
    });
  });

  it('normalizes values: trims, lower-cases outbound.type, drops a null value, defaults the match operator', () => {
    const parsed = parseRuleInput(
      {
        name: 'Replies to Acme',
        description: '',
        trigger: 'outbound',
        priority: 0,
        enabled: false,
        match: {
          conditions: [
            { field: 'outbound.type', operator: 'is', value: ' Reply ' },
            { field: 'recipient.domain', operator: 'in_list', value: 'list-dom' },
          ],
        },
        actions: [{ type: 'assign_to_folder', value: ' Clients/Acme ' }, { type: 'mark_as_read', value: null }],
      },
      'create',
      resolveList,
    );
    expect(parsed).toMatchObject({
      description: null,
      priority: 0,
      enabled: false,
      match: {
        operator: 'all',
        conditions: [
          { field: 'outbound.type', operator: 'is', value: 'reply' },
          { field: 'recipient.domain', operator: 'in_list', value: 'list-dom' },
        ],
      },
      actions: [{ type: 'assign_to_folder', value: 'Clients/Acme' }, { type: 'mark_as_read' }],
    });
  });

  it.each([
    ['block', { type: 'block' }],
    ['assign_to_folder', { type: 'assign_to_folder', value: 'Sent/Acme' }],
    ['mark_as_read', { type: 'mark_as_read' }],
    ['mark_as_starred', { type: 'mark_as_starred' }],
    ['archive', { type: 'archive' }],
    ['trash', { type: 'trash' }],
  ])('allows %s on an outbound rule', (_name, action) => {
    expect(parseRuleInput({ ...goodRule, trigger: 'outbound', actions: [action] }, 'create', resolveList).actions).toEqual([action]);
  });

  it('takes several list ids for in_list, as the hosted API sends them, dropping duplicates', () => {
    const parsed = parseRuleInput(
      { ...goodRule, match: { conditions: [{ field: 'from.domain', operator: 'in_list', value: ['list-dom', ' list-dom2 ', 'list-dom'] }] } },
      'create',
      (id) => (id.startsWith('list-dom') ? { type: 'domain' } : undefined),
    );
    expect(parsed.match.conditions[0]!.value).toEqual(['list-dom', 'list-dom2']);
  });

  it('accepts an update of one field', () => {
    expect(parseRuleInput({ priority: 1000 }, 'update', resolveList)).toEqual({ priority: 1000 });
  });

  const withCondition = (condition: object, extra: object = {}) => ({ ...goodRule, ...extra, match: { operator: 'all', conditions: [condition] } });
  const withActions = (actions: object[], extra: object = {}) => ({ ...goodRule, ...extra, actions });

  it.each<[string, unknown, string, RegExp]>([
    ['no name', { match: goodRule.match, actions: goodRule.actions }, 'name', /name is required/],
    ['no match', { name: 'r', actions: goodRule.actions }, 'match', /match is required/],
    ['no actions', { name: 'r', match: goodRule.match }, 'actions', /actions is required/],
    ['priority -1', { ...goodRule, priority: -1 }, 'priority', /whole number from 0 to 1000/],
    ['priority 1001', { ...goodRule, priority: 1001 }, 'priority', /whole number from 0 to 1000/],
    ['priority 2.5', { ...goodRule, priority: 2.5 }, 'priority', /whole number from 0 to 1000/],
    ['an unknown trigger', { ...goodRule, trigger: 'both' }, 'trigger', /one of inbound, outbound \(got "both"\)/],
    ['enabled as a string', { ...goodRule, enabled: 'true' }, 'enabled', /true or false/],
    ['an unknown top-level key', { ...goodRule, policy_id: 'p' }, 'policy_id', /not a known field/],
    ['an unknown match operator', { ...goodRule, match: { operator: 'none', conditions: goodRule.match.conditions } }, 'match.operator', /one of all, any/],
    ['no conditions', { ...goodRule, match: { operator: 'all', conditions: [] } }, 'match.conditions', /at least one condition/],
    ['51 conditions', { ...goodRule, match: { conditions: Array.from({ length: 51 }, () => ({ field: 'from.tld', operator: 'is', value: 'ru' })) } }, 'match.conditions', /at most 50/],
    ['an unknown field', withCondition({ field: 'from.name', operator: 'is', value: 'x' }), 'match.conditions[0].field', /one of from.address.*\(got "from.name"\)/],
    ['an unknown operator', withCondition({ field: 'from.domain', operator: 'matches', value: 'x' }), 'match.conditions[0].operator', /one of is, is_not, contains, in_list \(got "matches"\)/],
    ['an empty value', withCondition({ field: 'from.domain', operator: 'is', value: ' ' }), 'match.conditions[0].value', /must not be empty/],
    ['a number as value', withCondition({ field: 'from.domain', operator: 'is', value: 5 }), 'match.conditions[0].value', /must be a string/],
    ['an unknown key in a condition', withCondition({ field: 'from.domain', operator: 'is', value: 'x', negate: true }), 'match.conditions[0].negate', /not a known field; match.conditions\[0\] takes field, operator, value/],
    ['recipient.* on an inbound rule', withCondition({ field: 'recipient.address', operator: 'is', value: 'a@b.c' }), 'match.conditions[0].field', /only for outbound rules/],
    ['outbound.type on an inbound rule', withCondition({ field: 'outbound.type', operator: 'is', value: 'reply' }), 'match.conditions[0].field', /only for outbound rules/],
    ['outbound.type with contains', withCondition({ field: 'outbound.type', operator: 'contains', value: 'reply' }, { trigger: 'outbound' }), 'match.conditions[0].operator', /is or is_not/],
    ['outbound.type forward', withCondition({ field: 'outbound.type', operator: 'is', value: 'forward' }, { trigger: 'outbound' }), 'match.conditions[0].value', /compose or reply/],
    ['in_list with a list that does not exist', withCondition({ field: 'from.domain', operator: 'in_list', value: 'nope' }), 'match.conditions[0].value', /no list with id "nope"/],
    ['in_list with a domain list on from.tld', withCondition({ field: 'from.tld', operator: 'in_list', value: 'list-dom' }), 'match.conditions[0].value', /names a domain list, but from.tld is compared with tld lists only/],
    ['in_list with a tld list on from.address', withCondition({ field: 'from.address', operator: 'in_list', value: 'list-tld' }), 'match.conditions[0].value', /names a tld list/],
    ['in_list with an address list on recipient.domain', withCondition({ field: 'recipient.domain', operator: 'in_list', value: 'list-addr' }, { trigger: 'outbound' }), 'match.conditions[0].value', /names an? address list/],
    ['an array of list ids with a missing list', withCondition({ field: 'from.domain', operator: 'in_list', value: ['list-dom', 'nope'] }), 'match.conditions[0].value[1]', /no list with id "nope"/],
    ['an array of list ids with a wrong type', withCondition({ field: 'from.domain', operator: 'in_list', value: ['list-tld'] }), 'match.conditions[0].value[0]', /names a tld list/],
    ['an array of list ids holding a number', withCondition({ field: 'from.domain', operator: 'in_list', value: ['list-dom', 3] }), 'match.conditions[0].value[1]', /must be a string \(a list id\)/],
    ['an empty array of list ids', withCondition({ field: 'from.domain', operator: 'in_list', value: [] }), 'match.conditions[0].value', /at least one list/],
    ['an array for is', withCondition({ field: 'from.domain', operator: 'is', value: ['example.com'] }), 'match.conditions[0].value', /only in_list takes an array/],
    ['no value', withCondition({ field: 'from.domain', operator: 'is' }), 'match.conditions[0].value', /value is required/],
    ['no actions in the array', withActions([]), 'actions', /at least one action/],
    ['11 actions', withActions(Array.from({ length: 11 }, () => ({ type: 'trash' }))), 'actions', /at most 10/],
    ['block and another action', withActions([{ type: 'block' }, { type: 'mark_as_read' }]), 'actions[1].type', /block cannot be combined with other actions/],
    ['another action and block', withActions([{ type: 'trash' }, { type: 'archive' }, { type: 'block' }]), 'actions[2].type', /block cannot be combined/],
    ['an unknown action', withActions([{ type: 'forward' }]), 'actions[0].type', /one of block, mark_as_spam/],
    ['an action twice', withActions([{ type: 'trash' }, { type: 'trash' }]), 'actions[1].type', /appears twice \(also actions\[0\]\)/],
    ['assign_to_folder without a value', withActions([{ type: 'assign_to_folder' }]), 'actions[0].value', /folder's name or path/],
    ['assign_to_folder with an empty value', withActions([{ type: 'mark_as_read' }, { type: 'assign_to_folder', value: '  ' }]), 'actions[1].value', /folder's name or path/],
    ['a folder name over 255 characters', withActions([{ type: 'assign_to_folder', value: 'x'.repeat(256) }]), 'actions[0].value', /at most 255/],
    ['a folder name with a control character', withActions([{ type: 'assign_to_folder', value: 'a\tb' }]), 'actions[0].value', /control characters/],
    ['a folder path with an empty level', withActions([{ type: 'assign_to_folder', value: 'Clients//Acme' }]), 'actions[0].value', /empty level/],
    ['a value on mark_as_read', withActions([{ type: 'mark_as_read', value: 'yes' }]), 'actions[0].value', /mark_as_read takes no value/],
    ['mark_as_spam on an outbound rule', withActions([{ type: 'mark_as_spam' }], { trigger: 'outbound' }), 'actions[0].type', /mark_as_spam is for inbound rules only/],
    ['an unknown key in an action', withActions([{ type: 'trash', folder: 'x' }]), 'actions[0].folder', /not a known field/],
  ])('refuses %s', (_name, input, field, message) => {
    const error = refusal(() => parseRuleInput(input, 'create', resolveList));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/Invalid input/);
  });

  it('checks match and actions of an update against the trigger it names', () => {
    const error = refusal(() => parseRuleInput({ trigger: 'inbound', match: { conditions: [{ field: 'recipient.tld', operator: 'is', value: 'ru' }] } }, 'update', resolveList));
    expect(error.field).toBe('match.conditions[0].field');
  });

  it('leaves the trigger checks of an update without a trigger to checkRuleConsistency', () => {
    const update = parseRuleInput({ actions: [{ type: 'mark_as_spam' }] }, 'update', resolveList);
    expect(update).toEqual({ actions: [{ type: 'mark_as_spam' }] });
    const merged = { trigger: 'outbound' as const, match: { operator: 'all' as const, conditions: [] }, actions: update.actions! };
    expect(refusal(() => checkRuleConsistency(merged)).field).toBe('actions[0].type');
  });

  it('checkRuleConsistency refuses a stored outbound match after the trigger changes to inbound', () => {
    const merged = {
      trigger: 'inbound' as const,
      match: { operator: 'all' as const, conditions: [{ field: 'from.tld' as const, operator: 'is' as const, value: 'ru' }, { field: 'outbound.type' as const, operator: 'is' as const, value: 'reply' }] },
      actions: [{ type: 'trash' as const }],
    };
    expect(refusal(() => checkRuleConsistency(merged)).field).toBe('match.conditions[1].field');
    expect(() => checkRuleConsistency({ ...merged, trigger: 'outbound' })).not.toThrow();
  });

  it('checkRuleConsistency checks lists when given a resolver', () => {
    const rule = { trigger: 'inbound' as const, match: { operator: 'any' as const, conditions: [{ field: 'from.domain' as const, operator: 'in_list' as const, value: 'list-tld' }] }, actions: [{ type: 'trash' as const }] };
    expect(() => checkRuleConsistency(rule)).not.toThrow();
    expect(refusal(() => checkRuleConsistency(rule, resolveList)).field).toBe('match.conditions[0].value');
  });
});

describe('lists', () => {
  it('parses a new list', () => {
    expect(parseListInput({ name: ' Blocked ', type: 'domain' }, 'create')).toEqual({ name: 'Blocked', description: null, type: 'domain' });
    expect(parseListInput({ description: 'partners' }, 'update')).toEqual({ description: 'partners' });
  });

  it.each<[string, unknown, 'create' | 'update', string, RegExp]>([
    ['no type on create', { name: 'x' }, 'create', 'type', /type is required/],
    ['an unknown type', { name: 'x', type: 'ip' }, 'create', 'type', /one of address, domain, tld \(got "ip"\)/],
    ['an unknown key', { name: 'x', type: 'tld', items: [] }, 'create', 'items', /not a known field/],
    ['a description as a number', { description: 3 }, 'update', 'description', /string or null/],
  ])('refuses %s', (_name, input, mode, field, message) => {
    const error = refusal(() => parseListInput(input, mode as 'update'));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});

describe('list items', () => {
  it.each<[ListType, string[], string[]]>([
    ['address', [' Boss@Example.COM ', 'boss@example.com', "o'brien+tag@sub.example.org"], ['boss@example.com', "o'brien+tag@sub.example.org"]],
    ['address', ['jörg@bücher.de'.replace('ö', 'o')], ['jorg@xn--bcher-kva.de']],
    ['domain', ['Example.COM', 'mail.example.com', 'example.com', 'bücher.de', 'xn--p1ai.xn--p1ai', '1password.com'], ['example.com', 'mail.example.com', 'xn--bcher-kva.de', 'xn--p1ai.xn--p1ai', '1password.com']],
    ['tld', ['.XYZ', 'xyz', 'ru', '.рф', 'xn--p1ai', 'co-op'], ['xyz', 'ru', 'xn--p1ai', 'co-op']],
  ])('normalizes %s items %j', (type, items, expected) => {
    expect(parseListItems({ items }, type)).toEqual(expected);
  });

  it('accepts 1000 items', () => {
    const items = Array.from({ length: 1000 }, (_, i) => `d${i}.example.com`);
    expect(parseListItems({ items }, 'domain')).toHaveLength(1000);
  });

  it.each<[string, ListType, unknown, string, RegExp]>([
    ['no body object', 'domain', ['example.com'], 'body', /JSON object/],
    ['no items key', 'domain', {}, 'items', /items is required/],
    ['an empty array', 'domain', { items: [] }, 'items', /at least one item/],
    ['1001 items', 'domain', { items: Array.from({ length: 1001 }, (_, i) => `d${i}.example.com`) }, 'items', /at most 1000 items per request/],
    ['a number', 'tld', { items: ['com', 7] }, 'items[1]', /must be a string/],
    ['an empty item', 'tld', { items: ['com', '  '] }, 'items[1]', /must not be empty/],
    ['an item over 500 characters', 'domain', { items: [`${'a'.repeat(501)}.com`] }, 'items[0]', /at most 500 characters/],
    ['an address without @', 'address', { items: ['ok@example.com', 'nobody.example.com'] }, 'items[1]', /"nobody.example.com" is not a valid address: expected local-part@domain/],
    ['an address with a space', 'address', { items: ['a b@example.com'] }, 'items[0]', /"a b@example.com" is not a valid address: the local part holds characters/],
    ['an address with a double dot', 'address', { items: ['a..b@example.com'] }, 'items[0]', /double dot/],
    ['an address with a bad domain', 'address', { items: ['a@localhost'] }, 'items[0]', /in the domain, it needs at least two labels/],
    ['a quoted local part', 'address', { items: ['"a b"@example.com'] }, 'items[0]', /quoted local parts/],
    ['a domain with one label', 'domain', { items: ['example.com', 'localhost'] }, 'items[1]', /"localhost" is not a valid domain: it needs at least two labels/],
    ['a domain with a trailing dot', 'domain', { items: ['example.com.'] }, 'items[0]', /must not end with a dot/],
    ['a domain with a leading hyphen', 'domain', { items: ['-bad.example.com'] }, 'items[0]', /starts or ends with a hyphen/],
    ['a domain with an underscore', 'domain', { items: ['a_b.example.com'] }, 'items[0]', /only letters, digits, hyphens and dots/],
    ['a domain with a slash', 'domain', { items: ['a/b.com'] }, 'items[0]', /only letters, digits, hyphens and dots/],
    ['a domain with an empty label', 'domain', { items: ['a..com'] }, 'items[0]', /empty label/],
    ['a domain with a 64-character label', 'domain', { items: [`${'a'.repeat(64)}.com`] }, 'items[0]', /longer than 63/],
    ['an IPv4 address as a domain', 'domain', { items: ['192.168.0.1'] }, 'items[0]', /all-digit label/],
    ['a URL as a domain', 'domain', { items: ['https://example.com'] }, 'items[0]', /only letters, digits, hyphens and dots/],
    ['a domain as a tld', 'tld', { items: ['example.com'] }, 'items[0]', /"example.com" is not a valid tld: it must be a single label/],
    ['an all-digit tld', 'tld', { items: ['123'] }, 'items[0]', /all digits/],
    ['a tld with a hyphen at the end', 'tld', { items: ['com-'] }, 'items[0]', /hyphen/],
    ['a tld with a symbol', 'tld', { items: ['c*m'] }, 'items[0]', /only letters, digits, hyphens/],
  ])('refuses %s', (_name, type, input, field, message) => {
    const error = refusal(() => parseListItems(input, type));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});
