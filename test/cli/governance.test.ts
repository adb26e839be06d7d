// wicket policy|rule|list|overview, workspace update and account evaluations, through the real CLI.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { expectRefused, seededDirs, wicket, wicketOk } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Runs SQL on a data directory's store while no CLI process has it open. */
function sql(dir: string, statement: string, ...params: unknown[]): void {
  const db = new Database(join(dir, 'data', 'wicket.db'));
  try {
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}

const POLICY = {
  limits: { limit_count_daily_email_sent: 200, limit_attachment_size_limit: 10485760, limit_inbox_retention_period: 30, limit_spam_retention_period: 7 },
  spam_detection: { use_list_dnsbl: true },
};

// Each CLI run starts a process (about 3 s on a busy 2-core machine); the longer scenarios run a dozen.
describe('wicket list, policy, rule, workspace update, overview, account evaluations', { timeout: 180_000 }, () => {
  it('builds a list, a policy and a rule, attaches them to the default workspace and shows the tree', async () => {
    const dir = tempDir();
    await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
    await wicketOk(dir, ['account', 'create', 'bot@agents.example.com']);

    // A bad item is named by its place and nothing is created.
    await expectRefused(
      dir,
      ['list', 'create', '--name', 'Blocked', '--type', 'domain', '--item', 'spam.example', '--item', 'bad..example'],
      1,
      'wicket: items[1] "bad..example" is not a valid domain: it has an empty label (a leading or double dot)',
    );
    const list = (await wicketOk(dir, ['list', 'create', '--name', 'Blocked', '--type', 'domain', '--item', 'Spam.Example', '--item', 'junk.test', 'spam.example', '--json'])).json;
    expect(list).toMatchObject({ name: 'Blocked', type: 'domain', items_count: 2, description: null });
    expect((await wicketOk(dir, ['list', 'items', 'blocked'])).stdout).toBe('junk.test\nspam.example\n');

    const policy = (await wicketOk(dir, ['policy', 'create', '--name', 'Strict', '--data', JSON.stringify({ name: 'ignored', ...POLICY }), '--json'])).json;
    expect(policy).toMatchObject({ name: 'Strict', limits: POLICY.limits, spam_detection: { use_list_dnsbl: true, spam_sensitivity: 1 } });

    const rule = (
      await wicketOk(dir, [
        'rule', 'create', '--name', 'Block spammers', '--priority', '5',
        '--condition', `from.domain,in_list,${list.id}`, '--action', 'block', '--json',
      ])
    ).json;
    expect(rule).toMatchObject({
      name: 'Block spammers', priority: 5, enabled: true, trigger: 'inbound',
      match: { operator: 'all', conditions: [{ field: 'from.domain', operator: 'in_list', value: [list.id] }] },
      actions: [{ type: 'block' }],
    });

    const ws = (await wicketOk(dir, ['workspace', 'update', 'Default', '--policy', policy.id, '--rules', rule.id, '--json'])).json;
    expect(ws).toMatchObject({ name: 'Default', default: true, policy_id: policy.id, rule_ids: [rule.id], account_count: 1 });
    expect((await wicketOk(dir, ['workspace', 'get', 'Default'])).stdout).toContain(`Policy:     "Strict" (${policy.id})`);

    const tree = await wicketOk(dir, ['overview']);
    expect(tree.stderr).toBe('');
    expect(tree.stdout).toMatch(/^Application "default" \(\S+\)\n└─ Workspace "Default" \(\S+\): default\n/);
    expect(tree.stdout).toContain(`   ├─ Policy "Strict" (${policy.id}): attachment ≤ 10 MiB, sent/day 200, inbox kept 30d, spam kept 7d\n`);
    expect(tree.stdout).toContain(`   │  └─ "Block spammers" (${rule.id}): inbound, priority 5, enabled\n`);
    expect(tree.stdout).toContain(`   │  └─ "Blocked" (${list.id}): domain, 2 items\n`);
    expect(tree.stdout).toContain('      └─ bot@agents.example.com\n');
    expect(tree.stdout).not.toContain('MISSING');
    const json = (await wicketOk(dir, ['tree', '--json'])).json;
    expect(json.missing).toEqual([]);
    expect(json.workspaces).toHaveLength(1);
    expect(json.workspaces[0]).toMatchObject({
      id: ws.id,
      policy: { id: policy.id, name: 'Strict' },
      rules: [{ id: rule.id, name: 'Block spammers' }],
      lists: [{ id: list.id, name: 'Blocked', items_count: 2 }],
      accounts: [{ email: 'bot@agents.example.com' }],
    });
    expect(json.unattached).toEqual({ policies: [], rules: [], lists: [] });

    // What is in use cannot go.
    await expectRefused(dir, ['list', 'delete', 'Blocked', '--yes'], 1, 'wicket: list "Blocked" is used by rule "Block spammers" (in_list); change or delete that rule first');
    await expectRefused(
      dir,
      ['policy', 'delete', 'Strict', '--yes'],
      1,
      'wicket: policy "Strict" is attached to workspace "Default"; detach it first (wicket workspace update "Default" --no-policy)',
    );

    // A bad action on update names the flag; a malformed one is a usage error.
    await expectRefused(
      dir,
      ['rule', 'update', rule.id, '--action', 'explode'],
      1,
      'wicket: actions[0].type must be one of block, mark_as_spam, assign_to_folder, mark_as_read, mark_as_starred, archive, trash (got "explode") (--action "explode")',
    );
    await expectRefused(
      dir,
      ['rule', 'update', rule.id, '--action', '=Junk'],
      2,
      'wicket: --action "=Junk" is not type or type=value, such as mark_as_read or assign_to_folder=Clients/Acme',
    );
    await expectRefused(
      dir,
      ['rule', 'update', rule.id, '--action', 'block', '--action', 'mark_as_read'],
      1,
      'wicket: actions[1].type is not allowed here: block cannot be combined with other actions (a blocked message gets no other action) (--action "mark_as_read")',
    );

    // No evaluations yet: an empty result.
    expect(await wicketOk(dir, ['account', 'evaluations', 'bot@agents.example.com'])).toMatchObject({
      stdout: 'Rule evaluations (0) of bot@agents.example.com, newest first\n',
      stderr: '',
    });
    expect((await wicketOk(dir, ['account', 'evaluations', 'bot@agents.example.com', '--json'])).json).toEqual([]);

    // Detach, then delete in order.
    const detached = (await wicketOk(dir, ['workspace', 'update', 'Default', '--no-policy', '--no-rules', '--json'])).json;
    expect(detached).toMatchObject({ policy_id: null, rule_ids: [] });
    expect((await wicketOk(dir, ['policy', 'delete', 'Strict', '--yes', '--json'])).json).toEqual({ deleted: true, id: policy.id, name: 'Strict' });
    expect((await wicketOk(dir, ['rule', 'delete', 'Block spammers', '--yes', '--json'])).json).toEqual({ deleted: true, id: rule.id, name: 'Block spammers', detached_from: 0 });
    expect((await wicketOk(dir, ['list', 'delete', list.id, '--yes'])).stdout).toBe(`List "Blocked" deleted (${list.id}) with its 2 item(s)\n`);
  });

  it('overview marks references to deleted objects MISSING, warns, and exits 0', async () => {
    const dir = tempDir();
    const list = (await wicketOk(dir, ['list', 'create', '--name', 'Bad', '--type', 'tld', '--item', '.zip', '--json'])).json;
    const policy = (await wicketOk(dir, ['policy', 'create', '--name', 'P', '--json'])).json;
    const kept = (await wicketOk(dir, ['rule', 'create', '--name', 'Kept', '--condition', `from.tld,in_list,${list.id}`, '--action', 'mark_as_spam', '--json'])).json;
    const gone = (await wicketOk(dir, ['rule', 'create', '--name', 'Gone', '--condition', 'from.address,is,a@b.example', '--action', 'trash', '--json'])).json;
    await wicketOk(dir, ['workspace', 'update', 'Default', '--policy', 'P', '--rules', 'Kept,Gone']);
    // Behind the services' back, as a restore of an old backup or a hand edit would leave it.
    sql(dir, 'DELETE FROM policies WHERE id = ?', policy.id);
    sql(dir, 'DELETE FROM rules WHERE id = ?', gone.id);
    sql(dir, 'DELETE FROM lists WHERE id = ?', list.id);

    const result = await wicket(dir, ['overview']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Policy: MISSING policy ${policy.id}\n`);
    expect(result.stdout).toContain(`MISSING rule ${gone.id}\n`);
    expect(result.stdout).toContain(`MISSING list ${list.id} (named by rule "Kept")\n`);
    expect(result.stderr).toBe(
      `wicket: warning: 3 missing references (marked MISSING): workspace "Default" names policy ${policy.id}, which no longer exists; ` +
        `workspace "Default" names rule ${gone.id}, which no longer exists; rule "Kept" names list ${list.id} in in_list, which no longer exists\n`,
    );
    const json = await wicket(dir, ['overview', '--json']);
    expect(json.code).toBe(0);
    const tree = JSON.parse(json.stdout);
    expect(tree.missing.map((m: { kind: string; id: string }) => [m.kind, m.id])).toEqual([['policy', policy.id], ['rule', gone.id], ['list', list.id]]);
    expect(tree.workspaces[0]).toMatchObject({
      policy: { id: policy.id, missing: true },
      rules: [{ id: kept.id }, { id: gone.id, missing: true }],
      lists: [{ id: list.id, missing: true, rule_ids: [kept.id] }],
    });
    expect((await wicketOk(dir, ['rule', 'get', 'Kept'])).stdout).toContain(`Condition:   from.tld in_list MISSING list ${list.id}\n`);
  });

  it('list add and remove take a file in requests of 1,000; items prints every page', async () => {
    const dir = tempDir();
    await wicketOk(dir, ['list', 'create', '--name', 'Many', '--type', 'address']);
    const addresses = Array.from({ length: 2500 }, (_, i) => `user${String(i).padStart(4, '0')}@example.com`);
    const file = join(dir, 'addresses.txt');
    // A bad line far into the file: named by its place and line, and nothing is added.
    writeFileSync(file, [...addresses.slice(0, 1800), 'not-an-address', ...addresses.slice(1800)].join('\n'));
    await expectRefused(
      dir,
      ['list', 'add', 'Many', '--file', file],
      1,
      `wicket: items[1800] "not-an-address" is not a valid address: expected local-part@domain (${file} line 1801)`,
    );
    writeFileSync(file, `${addresses.join('\r\n')}\r\n\r\n`);
    const added = (await wicketOk(dir, ['list', 'add', 'Many', 'First@Example.com', '--file', file, '--json'])).json;
    expect(added).toMatchObject({ added: 2501, already_present: 0, list: { items_count: 2501 } });
    expect((await wicketOk(dir, ['list', 'add', 'Many', 'user0000@example.com'])).stdout).toBe('Added 0 item(s) to list "Many" (1 already there); it holds 2501\n');
    const items = (await wicketOk(dir, ['list', 'items', 'Many'])).stdout.trimEnd().split('\n');
    expect(items).toEqual(['first@example.com', ...addresses].sort());
    const removed = (await wicketOk(dir, ['list', 'remove', 'Many', 'nobody@example.com', '--file', '-', '--json'], { input: addresses.slice(0, 1200).join('\n') })).json;
    expect(removed).toMatchObject({ removed: 1200, not_present: 1, list: { items_count: 1301 } });
    expect((await wicketOk(dir, ['list', 'items', 'Many', '--json'])).json).toHaveLength(1301);
  });

  it('flags merge over --data and --data-file; --condition and --match-operator keep the rest of the match', async () => {
    const dir = tempDir();
    const fromStdin = (
      await wicketOk(dir, ['policy', 'create', '--data-file', '-', '--json'], { input: JSON.stringify({ name: 'From stdin', limits: { limit_storage_total: -1 } }) })
    ).json;
    expect(fromStdin).toMatchObject({ name: 'From stdin', limits: { limit_storage_total: -1 } });
    const updated = (await wicketOk(dir, ['policy', 'update', 'From stdin', '--name', 'Renamed', '--data', '{"limits": {"limit_storage_total": null}}', '--json'])).json;
    expect(updated).toMatchObject({ name: 'Renamed', limits: {} });

    const file = join(dir, 'rule.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'From file',
        trigger: 'outbound',
        match: { operator: 'any', conditions: [{ field: 'recipient.domain', operator: 'is', value: 'example.org' }] },
        actions: [{ type: 'archive' }],
      }),
    );
    const rule = (await wicketOk(dir, ['rule', 'create', '--data-file', file, '--disabled', '--priority', '7', '--json'])).json;
    expect(rule).toMatchObject({ name: 'From file', trigger: 'outbound', enabled: false, priority: 7, match: { operator: 'any' }, actions: [{ type: 'archive' }] });

    // --condition alone keeps the operator "any"; --match-operator alone keeps the conditions.
    const a = (await wicketOk(dir, ['rule', 'update', rule.id, '--condition', 'outbound.type,is,reply', '--condition', 'recipient.address,contains,a,b', '--json'])).json;
    expect(a.match).toEqual({
      operator: 'any',
      conditions: [
        { field: 'outbound.type', operator: 'is', value: 'reply' },
        { field: 'recipient.address', operator: 'contains', value: 'a,b' },
      ],
    });
    const b = (await wicketOk(dir, ['rule', 'update', 'From file', '--match-operator', 'all', '--enabled', '--action', 'assign_to_folder=Clients/Acme', '--action', 'mark_as_read', '--json'])).json;
    expect(b).toMatchObject({ enabled: true, match: { operator: 'all', conditions: a.match.conditions } });
    expect(b.actions).toEqual([{ type: 'assign_to_folder', value: 'Clients/Acme' }, { type: 'mark_as_read' }]);
  });

  it('account evaluations prints the audit trail, newest first, with rule names', async () => {
    const dir = tempDir();
    await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
    const account = (await wicketOk(dir, ['account', 'create', 'bot@agents.example.com', '--json'])).json;
    const rule = (await wicketOk(dir, ['rule', 'create', '--name', 'Spam', '--condition', 'from.domain,is,spam.example', '--action', 'mark_as_spam', '--json'])).json;
    const insert = `INSERT INTO rule_evaluations (id, account_id, stage, message_id, input, matched_rule_ids, applied_actions, error, evaluated_at, seq)
                    VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`;
    const input = (from: string) => JSON.stringify({ stage: 'smtp_rcpt', from, recipients: ['bot@agents.example.com'] });
    sql(dir, insert, 'e1', account.id, 'smtp_rcpt', input('a@spam.example'), JSON.stringify([rule.id]), JSON.stringify({ marked_as_spam: true }), null, 1796000000, 1);
    sql(dir, insert, 'e2', account.id, 'smtp_rcpt', input('b@other.example'), JSON.stringify(['gone-rule']), '{}', 'store unavailable', 1796000060, 2);
    const { stdout } = await wicketOk(dir, ['account', 'evaluations', account.id]);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Rule evaluations (2) of bot@agents.example.com, newest first');
    expect(lines[1]).toMatch(/^TIME +STAGE +FROM +TO +MATCHED RULES +ACTIONS +ERROR$/);
    expect(lines[2]).toMatch(/^\S+ +smtp_rcpt +b@other\.example +bot@agents\.example\.com +gone-rule \(deleted\) +- +store unavailable$/);
    expect(lines[3]).toMatch(/^\S+ +smtp_rcpt +a@spam\.example +bot@agents\.example\.com +Spam +marked_as_spam +-$/);
    const json = (await wicketOk(dir, ['account', 'evaluations', 'bot@agents.example.com', '--limit', '1', '--json'])).json;
    expect(json).toEqual([expect.objectContaining({ id: 'e2', grant_id: account.id, evaluation_stage: 'smtp_rcpt', matched_rule_ids: ['gone-rule'], error: 'store unavailable' })]);
  });

  const seeded = seededDirs(async (dir) => {
    await wicketOk(dir, ['domain', 'add', 'sales.example.com']);
    await wicketOk(dir, ['workspace', 'create', 'Sales', '--domain', 'sales.example.com']);
    await wicketOk(dir, ['list', 'create', '--name', 'Domains', '--type', 'domain']);
    await wicketOk(dir, ['policy', 'create', '--name', 'Twin']);
    await wicketOk(dir, ['policy', 'create', '--name', 'Twin']);
    await wicketOk(dir, ['rule', 'create', '--name', 'R', '--condition', 'from.domain,is,x.example', '--action', 'archive']);
  });

  it.each([
    [['policy', 'create', '--data', '{"name": "x",'], 1, /^wicket: --data is not valid JSON: .+$/],
    [['policy', 'create', '--data', '[]'], 1, 'wicket: --data must be a JSON object, such as {"name": "…"}'],
    [['policy', 'create', '--data', '{}', '--data-file', 'x.json'], 2, 'wicket: give either --data or --data-file, not both'],
    [['policy', 'create', '--data-file', 'nope.json'], 1, 'wicket: --data-file nope.json: no such file'],
    [['policy', 'create'], 1, 'wicket: name is required (give --name, or "name" in the JSON)'],
    [['policy', 'create', '--name', 'x', '--data', '{"limits": {"limit_spam_retention_period": 9, "limit_inbox_retention_period": 9}}'], 1,
      'wicket: limits.limit_spam_retention_period (9 days) must be below limits.limit_inbox_retention_period (9 days): Junk mail is kept for a shorter time than INBOX mail'],
    [['policy', 'get', 'Twin'], 1, /^wicket: 2 policies are named "Twin"; give the id: \S+, \S+$/],
    [['policy', 'update', 'nope', '--name', 'x'], 1, 'wicket: policy nope not found in this application'],
    [['policy', 'update', 'R'], 2, 'wicket: nothing to update: give --name, --data or --data-file'],
    [['rule', 'create', '--name', 'x', '--condition', 'from.domain,is', '--action', 'block'], 2,
      'wicket: --condition "from.domain,is" is not field,operator,value, such as from.domain,is,example.com or from.domain,in_list,<list-id>[,<list-id>…]'],
    [['rule', 'create', '--name', 'x', '--condition', 'from.domain,in_list,nope', '--action', 'block'], 1,
      'wicket: match.conditions[0].value[0] names no list: there is no list with id "nope" (--condition "from.domain,in_list,nope")'],
    [['rule', 'create', '--name', 'x', '--action', 'block'], 1, 'wicket: match is required (give --condition field,operator,value)'],
    [['rule', 'create', '--name', 'x', '--condition', 'from.domain,is,a.example'], 1, 'wicket: actions is required (give --action type[=value])'],
    [['rule', 'create', '--name', 'x', '--condition', 'from.domain,is,a.example', '--action', 'block', '--priority', 'high'], 2,
      "wicket: option '--priority <n>' argument 'high' is invalid. expected a whole number from 0 to 1000 (lower runs first)."],
    [['rule', 'create', '--name', 'x', '--condition', 'from.domain,is,a.example', '--action', 'block', '--enabled', '--disabled'], 2,
      'wicket: give either --enabled or --disabled, not both'],
    [['rule', 'update', 'R'], 2, 'wicket: nothing to update: give a flag such as --name, --condition, --action, --enabled, --disabled or --data'],
    [['rule', 'delete', 'R'], 2, 'wicket: refusing to delete rule "R" without --yes (standard input is not a terminal)'],
    [['list', 'create', '--name', 'x'], 1, 'wicket: type is required'],
    [['list', 'add', 'Domains'], 2, 'wicket: give the items (one or more domains) or --file <path>'],
    [['list', 'add', 'Domains', 'a.example', 'com'], 1,
      'wicket: items[1] "com" is not a valid domain: it needs at least two labels, such as example.com (a TLD belongs in a tld list)'],
    [['list', 'delete', 'Domains'], 2, 'wicket: refusing to delete list "Domains" and its 0 item(s) without --yes (standard input is not a terminal)'],
    [['list', 'get', 'nope'], 1, 'wicket: list nope not found in this application'],
    [['workspace', 'update', 'Sales'], 2, 'wicket: nothing to update: give --name, --policy, --no-policy, --rules, --no-rules, --auto-group or --no-auto-group'],
    [['workspace', 'update', 'Default', '--name', 'Main'], 1, 'wicket: the default workspace takes only --policy and --rules'],
    [['workspace', 'update', 'Sales', '--rules', 'R,nope'], 1, 'wicket: rule nope not found in this application'],
    [['workspace', 'update', 'Sales', '--policy', 'Twin'], 1, /^wicket: 2 policies are named "Twin"; give the id: \S+, \S+$/],
    [['account', 'evaluations', 'nobody@sales.example.com'], 1, 'wicket: account nobody@sales.example.com not found'],
    [['account', 'evaluations', 'x', '--limit', '0'], 2, "wicket: option '--limit <n>' argument '0' is invalid. expected a whole number from 1 to 1000."],
    [['overview', '--application', 'nope'], 1, 'wicket: application nope not found'],
  ] as [string[], number, string | RegExp][])('wicket %j → exit %i', async (args, code, message) => {
    const dir = await seeded();
    if (typeof message === 'string') {
      await expectRefused(dir, args, code, message);
      return;
    }
    const result = await wicket(dir, args);
    expect(result).toMatchObject({ code, stdout: '' });
    expect(result.stderr.trimEnd()).toMatch(message);
    expect(result.stderr.split('\n')).toHaveLength(2);
  });

  it('workspace update renames, switches auto-group and attaches by name', async () => {
    const dir = await seeded();
    await wicketOk(dir, ['policy', 'update', (await wicketOk(dir, ['policy', 'list', '--json'])).json[0].id, '--name', 'Only']);
    const ws = (await wicketOk(dir, ['workspace', 'update', 'Sales', '--name', 'Sales EU', '--auto-group', '--policy', 'only', '--rules', 'R', '--json'])).json;
    expect(ws).toMatchObject({ name: 'Sales EU', auto_group: true, domain: 'sales.example.com', policy_id: expect.any(String), rule_ids: [expect.any(String)] });
    const off = (await wicketOk(dir, ['workspace', 'update', 'sales eu', '--no-auto-group', '--rules', '', '--json'])).json;
    expect(off).toMatchObject({ auto_group: false, rule_ids: [], policy_id: ws.policy_id });
    const text = (await wicketOk(dir, ['overview'])).stdout;
    expect(text).toContain('Workspace "Sales EU" (');
    expect(text).toContain('└─ Not used by any workspace\n');
    expect(text).toMatch(/Rules \(1\)\n.*"R" \(\S+\): inbound, priority 10, enabled\n/);
  });
});
