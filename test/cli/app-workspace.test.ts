import { describe, expect, it } from 'vitest';
import { expectRefused, seededDirs, wicket, wicketOk } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('wicket app', () => {
  it('starts with the default application; create, list and delete others', async () => {
    const dir = tempDir();
    const initial = (await wicketOk(dir, ['app', 'list', '--json'])).json;
    expect(initial).toHaveLength(1);
    expect(initial[0]).toMatchObject({ name: 'default', default: true, account_count: 0 });
    const created = (await wicketOk(dir, ['app', 'create', 'staging', '--json'])).json;
    expect(Object.keys(created).sort()).toEqual(['account_count', 'created_at', 'default', 'default_workspace_id', 'id', 'name', 'updated_at']);
    expect(created).toMatchObject({ name: 'staging', default: false });
    const workspaces = (await wicketOk(dir, ['workspace', 'list', '--application', created.id, '--json'])).json;
    expect(workspaces).toEqual([expect.objectContaining({ id: created.default_workspace_id, default: true, application_id: created.id })]);
    expect((await wicketOk(dir, ['app', 'list'])).stdout).toMatch(/^Applications \(2\)\nNAME +ID +DEFAULT +ACCOUNTS +CREATED\ndefault +\S+ +yes +0 /);
    expect((await wicketOk(dir, ['app', 'delete', 'staging', '--yes', '--json'])).json).toMatchObject({ deleted: true, name: 'staging' });
    expect((await wicketOk(dir, ['app', 'list', '--json'])).json).toHaveLength(1);
  });

  it('delete with accounts needs --force, and takes the accounts with it', async () => {
    const dir = tempDir();
    await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
    await wicketOk(dir, ['app', 'create', 'customer-1']);
    await wicketOk(dir, ['account', 'create', 'c1@agents.example.com', '--application', 'customer-1']);
    const refused = await wicket(dir, ['app', 'delete', 'customer-1', '--yes']);
    expect(refused).toMatchObject({ code: 1, stderr: 'wicket: application "customer-1" still has 1 account; delete it first or force the deletion\n' });
    const forced = await wicketOk(dir, ['app', 'delete', 'customer-1', '--yes', '--force', '--json']);
    expect(forced.json).toMatchObject({ accounts_deleted: 1 });
    // The address is free again.
    await wicketOk(dir, ['account', 'create', 'c1@agents.example.com']);
  });
});

describe('wicket workspace', () => {
  it('create, list, get and delete; accounts of a deleted workspace move to the default', async () => {
    const dir = tempDir();
    await wicketOk(dir, ['domain', 'add', 'sales.example.com']);
    const ws = (await wicketOk(dir, ['workspace', 'create', 'Sales', '--domain', 'sales.example.com', '--auto-group', '--json'])).json;
    expect(Object.keys(ws).sort()).toEqual([
      'account_count', 'application_id', 'auto_group', 'created_at', 'default', 'domain', 'id', 'name', 'policy_id', 'rule_ids', 'updated_at', 'workspace_id',
    ]);
    expect(ws).toMatchObject({ name: 'Sales', domain: 'sales.example.com', auto_group: true, default: false, policy_id: null, rule_ids: [] });
    // auto_group placement through the CLI.
    const acct = (await wicketOk(dir, ['account', 'create', 'rep@sales.example.com', '--json'])).json;
    expect(acct.workspace_id).toBe(ws.id);
    const list = (await wicketOk(dir, ['workspace', 'list', '--json'])).json;
    expect(list.map((w: { name: string; account_count: number }) => [w.name, w.account_count])).toEqual([['Default', 0], ['Sales', 1]]);
    expect((await wicketOk(dir, ['workspace', 'get', 'sales', '--json'])).json).toMatchObject({ id: ws.id, account_count: 1 });
    expect((await wicketOk(dir, ['workspace', 'get', ws.id])).stdout).toMatch(/Auto-group: +yes \(new accounts on sales\.example\.com land here\)/);
    const deleted = (await wicketOk(dir, ['workspace', 'delete', 'Sales', '--yes', '--json'])).json;
    expect(deleted).toEqual({ deleted: true, id: ws.id, name: 'Sales', accounts_moved: 1 });
    const defaultId = list[0].id;
    expect((await wicketOk(dir, ['account', 'get', acct.id, '--json'])).json.workspace_id).toBe(defaultId);
  });

  const seeded = seededDirs(async (dir) => {
    await wicketOk(dir, ['domain', 'add', 'sales.example.com']);
    await wicketOk(dir, ['workspace', 'create', 'Sales', '--domain', 'sales.example.com', '--auto-group']);
  });

  it.each([
    [['workspace', 'create', 'Sales'], 1, 'wicket: a workspace named "Sales" already exists in this application'],
    [['workspace', 'create', 'Other', '--auto-group'], 1, 'wicket: auto_group needs a domain to group accounts by'],
    [['workspace', 'create', 'Other', '--domain', 'unknown.example'], 1, 'wicket: domain unknown.example is not registered'],
    [['workspace', 'create', 'Other', '--domain', 'sales.example.com', '--auto-group'], 1, 'wicket: another workspace already auto-groups sales.example.com in this application'],
    [['workspace', 'get', 'nope'], 1, 'wicket: workspace nope not found in this application'],
    [['workspace', 'delete', 'Default', '--yes'], 1, 'wicket: the default workspace cannot be deleted'],
    [['workspace', 'delete', 'Sales'], 2, 'wicket: refusing to delete workspace "Sales" without --yes (standard input is not a terminal)'],
    [['workspace', 'list', '--application', 'nope'], 1, 'wicket: application nope not found'],
    [['app', 'create', 'default'], 1, 'wicket: application "default" already exists'],
    [['app', 'create', '../etc'], 1, 'wicket: an application name is 1 to 64 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit'],
    [['app', 'delete', 'default', '--yes'], 1, 'wicket: the default application cannot be deleted'],
    [['app', 'delete', 'nope', '--yes'], 1, 'wicket: application nope not found'],
  ])('wicket %j → exit %i', async (args, code, message) => {
    await expectRefused(await seeded(), args, code, message);
  });
});
