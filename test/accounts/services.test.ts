import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors.js';
import { GOOD_PASSWORD, openWorld } from '../helpers/services.js';

async function world() {
  const w = openWorld();
  await w.services.domains.add('agents.example.com');
  await w.services.domains.add('sales.example.com');
  return w;
}

describe('account service', () => {
  it('creates an account with a name and a hashed app password', async () => {
    const { services, appId, store } = await world();
    const a = await services.accounts.create(appId, { email: 'Sales@Agents.example.com', name: 'Sales Agent', appPassword: GOOD_PASSWORD });
    expect(a).toMatchObject({ email: 'sales@agents.example.com', name: 'Sales Agent', grantStatus: 'valid', applicationId: appId });
    expect(a.passwordHash).toMatch(/^\$2b\$04\$/);
    expect(a.workspaceId).toBe(store.directory.defaultWorkspace(appId).id);
  });

  it.each([
    [{ email: 'not-an-address' }, ValidationError, /invalid address/],
    [{ email: 'x@unregistered.example' }, ValidationError, /domain unregistered\.example is not registered/],
    [{ email: 'x@agents.example.com', appPassword: 'Short1a' }, ValidationError, /18 to 40 characters/],
    [{ email: 'x@agents.example.com', appPassword: 'alllowercase1234567' }, ValidationError, /uppercase/],
    [{ email: 'x@agents.example.com', name: 'Evil\r\nBcc: x@y' }, ValidationError, /line break/],
    [{ email: 'x@agents.example.com', name: '' }, ValidationError, /1 to 256/],
    [{ email: 'x@agents.example.com', workspaceId: 'nope' }, NotFoundError, /workspace nope not found/],
  ])('refuses %j and stores nothing', async (input, type, message) => {
    const { services, appId, store } = await world();
    const before = store.stats();
    const attempt = services.accounts.create(appId, input);
    await expect(attempt).rejects.toBeInstanceOf(type);
    await expect(services.accounts.create(appId, input)).rejects.toThrow(message);
    expect(store.stats()).toEqual(before);
  });

  it('refuses a duplicate address, case-insensitively, in any application', async () => {
    const { services, appId } = await world();
    await services.accounts.create(appId, { email: 'sales@agents.example.com' });
    await expect(services.accounts.create(appId, { email: 'SALES@agents.example.com' })).rejects.toThrow(ConflictError);
    const other = services.applications.create('staging');
    await expect(services.accounts.create(other.id, { email: 'sales@AGENTS.example.com' })).rejects.toThrow(
      'account sales@agents.example.com already exists',
    );
  });

  it('places accounts: explicit, then auto-group by domain, then default', async () => {
    const { services, appId, store } = await world();
    const grouped = services.workspaces.create(appId, { name: 'Sales', domain: 'sales.example.com', autoGroup: true });
    const manual = services.workspaces.create(appId, { name: 'Manual' });
    const auto = await services.accounts.create(appId, { email: 'a@sales.example.com' });
    const explicit = await services.accounts.create(appId, { email: 'b@sales.example.com', workspaceId: manual.id });
    const fallback = await services.accounts.create(appId, { email: 'c@agents.example.com' });
    expect(auto.workspaceId).toBe(grouped.id);
    expect(explicit.workspaceId).toBe(manual.id);
    expect(fallback.workspaceId).toBe(store.directory.defaultWorkspace(appId).id);
  });

  it('gets by id or address, only inside the application', async () => {
    const { services, appId } = await world();
    const a = await services.accounts.create(appId, { email: 'sales@agents.example.com' });
    expect(services.accounts.get(appId, a.id).id).toBe(a.id);
    expect(services.accounts.get(appId, 'SALES@agents.example.com').id).toBe(a.id);
    const other = services.applications.create('staging');
    expect(() => services.accounts.get(other.id, a.id)).toThrow(NotFoundError);
    expect(() => services.accounts.get(other.id, 'sales@agents.example.com')).toThrow(NotFoundError);
  });

  it('updates the name, resets and removes the app password, and moves the account', async () => {
    const { services, appId, changes } = await world();
    const a = await services.accounts.create(appId, { email: 'sales@agents.example.com', appPassword: GOOD_PASSWORD });
    const ws = services.workspaces.create(appId, { name: 'Elsewhere' });
    const renamed = await services.accounts.update(appId, a.id, { name: 'Renamed' });
    expect(renamed.name).toBe('Renamed');
    expect(renamed.passwordHash).toBe(a.passwordHash);
    const reset = await services.accounts.update(appId, a.id, { appPassword: 'AnotherSecureP4ssword' });
    expect(reset.passwordHash).not.toBe(a.passwordHash);
    const moved = await services.accounts.update(appId, a.id, { workspaceId: ws.id });
    expect(moved.workspaceId).toBe(ws.id);
    const removed = await services.accounts.update(appId, a.id, { appPassword: null });
    expect(removed.passwordHash).toBeNull();
    expect(changes.filter((c) => c.type === 'grant.updated').map((c) => c.type === 'grant.updated' && c.passwordChanged)).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  it('refuses an update that breaks a rule and changes nothing', async () => {
    const { services, appId } = await world();
    const a = await services.accounts.create(appId, { email: 'sales@agents.example.com', name: 'Sales', appPassword: GOOD_PASSWORD });
    await expect(services.accounts.update(appId, a.id, { appPassword: 'has a space in it 123A' })).rejects.toThrow(/spaces/);
    await expect(services.accounts.update(appId, a.id, { name: 'x'.repeat(257) })).rejects.toThrow(/1 to 256/);
    await expect(services.accounts.update(appId, a.id, {})).rejects.toThrow(/nothing to update/);
    const other = services.applications.create('staging');
    const foreign = services.store.directory.defaultWorkspace(other.id);
    await expect(services.accounts.update(appId, a.id, { workspaceId: foreign.id })).rejects.toThrow(NotFoundError);
    expect(services.accounts.get(appId, a.id)).toEqual(a);
  });
});

describe('workspace service', () => {
  it('creates, lists, gets by id or name, and refuses duplicates', async () => {
    const { services, appId } = await world();
    const ws = services.workspaces.create(appId, { name: 'Sales', domain: 'sales.example.com', autoGroup: true });
    expect(services.workspaces.list(appId).map((w) => w.name)).toEqual(['Default', 'Sales']);
    expect(services.workspaces.get(appId, ws.id).id).toBe(ws.id);
    expect(services.workspaces.get(appId, 'sales').id).toBe(ws.id);
    expect(() => services.workspaces.create(appId, { name: 'SALES' })).toThrow(ConflictError);
    expect(() => services.workspaces.create(appId, { name: 'Sales 2', domain: 'sales.example.com', autoGroup: true })).toThrow(
      /already auto-groups sales\.example\.com/,
    );
  });

  it('refuses auto-group without a domain, and an unregistered domain', async () => {
    const { services, appId } = await world();
    expect(() => services.workspaces.create(appId, { name: 'X', autoGroup: true })).toThrow(/needs a domain/);
    expect(() => services.workspaces.create(appId, { name: 'X', domain: 'nope.example' })).toThrow(/not registered/);
  });

  it('never deletes the default workspace; deleting another moves its accounts to the default', async () => {
    const { services, appId, store } = await world();
    const def = store.directory.defaultWorkspace(appId);
    expect(() => services.workspaces.delete(appId, def.id)).toThrow('the default workspace cannot be deleted');
    const ws = services.workspaces.create(appId, { name: 'Temp' });
    const a = await services.accounts.create(appId, { email: 'a@agents.example.com', workspaceId: ws.id });
    expect(services.workspaces.delete(appId, 'Temp')).toMatchObject({ moved: 1 });
    expect(services.accounts.get(appId, a.id).workspaceId).toBe(def.id);
  });
});

describe('application service', () => {
  it('has a default application with a default workspace from the start', () => {
    const { services } = openWorld();
    const apps = services.applications.list();
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({ name: 'default', isDefault: true });
    expect(services.store.directory.defaultWorkspace(apps[0]!.id).isDefault).toBe(true);
  });

  it('creates applications with their own default workspace; names are unique', () => {
    const { services } = openWorld();
    const staging = services.applications.create('staging');
    expect(services.store.directory.defaultWorkspace(staging.id).applicationId).toBe(staging.id);
    expect(() => services.applications.create('Staging')).toThrow(ConflictError);
    expect(() => services.applications.create('bad/name')).toThrow(ValidationError);
    expect(services.applications.resolve('STAGING').id).toBe(staging.id);
  });

  it('deletes an application: never the default, with accounts only when forced', async () => {
    const { services } = await world();
    expect(() => services.applications.delete('default')).toThrow('the default application cannot be deleted');
    const staging = services.applications.create('staging');
    await services.accounts.create(staging.id, { email: 'a@agents.example.com' });
    expect(() => services.applications.delete('staging')).toThrow(/still has 1 account/);
    expect(services.applications.delete('staging', { force: true })).toMatchObject({ accountsDeleted: 1 });
    expect(() => services.applications.resolve('staging')).toThrow(NotFoundError);
    expect(services.store.directory.findAccountByEmail('a@agents.example.com')).toBeUndefined();
  });
});

describe('domain service', () => {
  it('registers a domain once, normalized', async () => {
    const { services } = openWorld();
    const d = await services.domains.add('Agents.Example.COM.');
    expect(d.domain.name).toBe('agents.example.com');
    expect(d.status).toBe('pending');
    await expect(services.domains.add('agents.example.com')).rejects.toThrow(ConflictError);
    await expect(services.domains.add('not a domain')).rejects.toThrow(ValidationError);
    expect(services.store.directory.dkimKey('agents.example.com')?.privateKeyPem).toMatch(/BEGIN PRIVATE KEY/);
  });

  it('refuses to delete a domain with accounts unless forced', async () => {
    const { services, appId } = await world();
    await services.accounts.create(appId, { email: 'a@agents.example.com' });
    expect(() => services.domains.delete('agents.example.com')).toThrow('domain agents.example.com still has 1 account; delete it first or force the deletion');
    expect(services.domains.delete('agents.example.com', { force: true })).toMatchObject({ accountsDeleted: 1 });
    expect(() => services.domains.get('agents.example.com')).toThrow(NotFoundError);
    expect(services.domains.delete('sales.example.com')).toMatchObject({ accountsDeleted: 0 });
  });
});
