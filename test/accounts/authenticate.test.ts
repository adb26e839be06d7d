import { describe, expect, it } from 'vitest';
import { verifyAppPassword } from '../../src/accounts/app-password.js';
import { Authenticator } from '../../src/accounts/authenticate.js';
import { GOOD_PASSWORD, openWorld } from '../helpers/services.js';

const remote = { address: '198.51.100.20' };

async function setup(throttle = { maxFailures: 5, lockoutSeconds: 300, failureDelayMs: 0 }) {
  const w = openWorld();
  await w.services.domains.add('agents.example.com');
  const withPassword = await w.services.accounts.create(w.appId, { email: 'sales@agents.example.com', appPassword: GOOD_PASSWORD });
  const withoutPassword = await w.services.accounts.create(w.appId, { email: 'nopass@agents.example.com' });
  const compared: string[] = [];
  const auth = new Authenticator(w.store, {
    bcryptCost: 4,
    throttle,
    verify: (password, hash) => {
      compared.push(hash);
      return verifyAppPassword(password, hash);
    },
  });
  // Wire password resets to the cache, as createServices does.
  w.store.changes.subscribe((c) => {
    if (c.type === 'grant.updated' && c.passwordChanged) auth.forget(c.accountId);
  });
  return { ...w, auth, compared, withPassword, withoutPassword };
}

describe('authenticate', () => {
  it('accepts the app password, with the address in any case', async () => {
    const { auth, withPassword } = await setup();
    const result = await auth.authenticate('Sales@Agents.Example.com', GOOD_PASSWORD, remote);
    expect(result).toMatchObject({ ok: true, account: { id: withPassword.id } });
  });

  it('refuses a wrong password', async () => {
    const { auth } = await setup();
    expect(await auth.authenticate('sales@agents.example.com', 'MySecureP4ssword!2025', remote)).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
  });

  it('always refuses an account without an app password, still paying one bcrypt comparison', async () => {
    const { auth, compared } = await setup();
    for (const attempt of ['', GOOD_PASSWORD, 'anything']) {
      expect(await auth.authenticate('nopass@agents.example.com', attempt, remote)).toEqual({ ok: false, reason: 'no_app_password' });
    }
    expect(compared).toHaveLength(3);
  });

  it('compares an unknown address against a dummy hash of the same cost', async () => {
    const { auth, compared } = await setup();
    expect(await auth.authenticate('ghost@agents.example.com', GOOD_PASSWORD, remote)).toEqual({ ok: false, reason: 'unknown_account' });
    expect(await auth.authenticate('not an address', GOOD_PASSWORD, remote)).toEqual({ ok: false, reason: 'unknown_account' });
    expect(compared).toHaveLength(2);
    expect(compared[0]).toMatch(/^\$2b\$04\$/);
  });

  it('caches a success so the next login skips bcrypt, and a reset invalidates it at once', async () => {
    const { auth, compared, services, appId } = await setup();
    await auth.authenticate('sales@agents.example.com', GOOD_PASSWORD, remote);
    await auth.authenticate('sales@agents.example.com', GOOD_PASSWORD, remote);
    await auth.authenticate('sales@agents.example.com', GOOD_PASSWORD, remote);
    expect(compared).toHaveLength(1);
    expect(auth.counters()).toMatchObject({ successes: 3, cacheHits: 2 });

    await services.accounts.update(appId, 'sales@agents.example.com', { appPassword: 'AnotherSecureP4ssword' });
    expect(await auth.authenticate('sales@agents.example.com', GOOD_PASSWORD, remote)).toMatchObject({ ok: false });
    expect(await auth.authenticate('sales@agents.example.com', 'AnotherSecureP4ssword', remote)).toMatchObject({ ok: true });
  });

  it('concurrent logins with the same password share one bcrypt comparison; other passwords get their own', async () => {
    const { auth, compared } = await setup();
    const results = await Promise.all([
      ...Array.from({ length: 20 }, () => auth.authenticate('sales@agents.example.com', GOOD_PASSWORD, remote)),
      auth.authenticate('sales@agents.example.com', 'MySecureP4ssword!2025', remote),
    ]);
    expect(results.slice(0, 20).every((r) => r.ok)).toBe(true);
    expect(results[20]).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(compared).toHaveLength(2);
    // Nothing is left pending: a later wrong attempt pays its own comparison.
    await auth.authenticate('sales@agents.example.com', 'MySecureP4ssword!2025', remote);
    expect(compared).toHaveLength(3);
  });

  it('simultaneous guesses from many addresses at one account: no more compared than the budget', async () => {
    const { auth, compared } = await setup({ maxFailures: 5, lockoutSeconds: 300, failureDelayMs: 0 });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => auth.authenticate('sales@agents.example.com', `WrongPassword${i}xxxxxxx`, { address: `203.0.113.${i + 1}` })),
    );
    // Comparisons under way count against the account, so only five ever start.
    expect(compared).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.reason === 'invalid_credentials')).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(35);
    // Fifty clients of the owner reconnecting together share one comparison and are not refused.
    const { auth: fresh } = await setup({ maxFailures: 5, lockoutSeconds: 300, failureDelayMs: 0 });
    const owner = await Promise.all(Array.from({ length: 50 }, () => fresh.authenticate('sales@agents.example.com', GOOD_PASSWORD, remote)));
    expect(owner.every((r) => r.ok)).toBe(true);
  });

  it("the owner gets in from an address it has logged in from, while guessers have locked the account", async () => {
    const { auth } = await setup({ maxFailures: 3, lockoutSeconds: 300, failureDelayMs: 0 });
    const home = { address: '192.0.2.10' };
    expect(await auth.authenticate('sales@agents.example.com', GOOD_PASSWORD, home)).toMatchObject({ ok: true });
    for (let i = 0; i < 3; i++) await auth.authenticate('sales@agents.example.com', `WrongPassword${i}xxxxxxx`, { address: `203.0.113.${i + 1}` });
    expect(await auth.authenticate('sales@agents.example.com', GOOD_PASSWORD, { address: '203.0.113.99' })).toMatchObject({ ok: false, reason: 'throttled' });
    expect(await auth.authenticate('sales@agents.example.com', GOOD_PASSWORD, home)).toMatchObject({ ok: true });
    // The owner's login did not reopen the account to the guessers.
    expect(await auth.authenticate('sales@agents.example.com', 'WrongPasswordxxxxxxxxx', { address: '203.0.113.50' })).toMatchObject({ ok: false, reason: 'throttled' });
  });

  it('a reset by another process (no change event here) still invalidates the cache', async () => {
    const { auth, store, withPassword } = await setup();
    await auth.authenticate('sales@agents.example.com', GOOD_PASSWORD, remote);
    // Write the new hash straight to the store, as the CLI in another process would.
    const { hashAppPassword } = await import('../../src/accounts/app-password.js');
    const other = new Authenticator(store, { bcryptCost: 4, throttle: { maxFailures: 5, lockoutSeconds: 60, failureDelayMs: 0 } });
    store.directory.updateAccount(withPassword.id, { passwordHash: await hashAppPassword('AnotherSecureP4ssword', 4) });
    expect(await auth.authenticate('sales@agents.example.com', GOOD_PASSWORD, remote)).toMatchObject({ ok: false });
    expect(await other.authenticate('sales@agents.example.com', 'AnotherSecureP4ssword', remote)).toMatchObject({ ok: true });
  });

  it('removing the app password refuses the next login, cached or not', async () => {
    const { auth, services, appId } = await setup();
    expect(await auth.authenticate('sales@agents.example.com', GOOD_PASSWORD, remote)).toMatchObject({ ok: true });
    await services.accounts.update(appId, 'sales@agents.example.com', { appPassword: null });
    expect(await auth.authenticate('sales@agents.example.com', GOOD_PASSWORD, remote)).toEqual({ ok: false, reason: 'no_app_password' });
  });

  it('throttles a remote after repeated failures, even for the right password, and says for how long', async () => {
    const { auth } = await setup({ maxFailures: 3, lockoutSeconds: 120, failureDelayMs: 0 });
    for (let i = 0; i < 3; i++) await auth.authenticate('sales@agents.example.com', `WrongPassword${i}xxxxxxx`, remote);
    const result = await auth.authenticate('sales@agents.example.com', GOOD_PASSWORD, remote);
    expect(result).toMatchObject({ ok: false, reason: 'throttled' });
    expect(result.ok === false && result.retryAfterSeconds).toBeGreaterThan(100);
    expect(auth.isThrottled(remote.address)).toBe(true);
    expect(auth.isThrottled('198.51.100.99')).toBe(false);
    expect(auth.counters()).toMatchObject({ failures: 3, throttled: 1, throttle: { lockedRemotes: 1, lockedAccounts: 1 } });
  });

  it('waits the growing delay before answering a failure', async () => {
    const { auth } = await setup({ maxFailures: 10, lockoutSeconds: 60, failureDelayMs: 40 });
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await auth.authenticate('sales@agents.example.com', 'WrongPasswordxxxxxxx1', remote);
      waits.push(performance.now() - started);
    }
    // Behaviour, not speed: each failure waits at least its delay (40, 80, 160 ms).
    expect(waits[0]).toBeGreaterThanOrEqual(39);
    expect(waits[1]).toBeGreaterThanOrEqual(79);
    expect(waits[2]).toBeGreaterThanOrEqual(159);
  });
});
