// Sign-in, MFA enrolment and the organization's MFA requirement, in real Chromium through the
// pages as a person uses them: role and label locators (so the markup is accessible), the TOTP
// secret read off the page and the code computed from it, as an authenticator app would.
import { describe, expect, it } from 'vitest';
import { SIGN_IN_FAILED } from '../../src/dashboard/team.js';
import { totp } from '../../src/dashboard/totp.js';
import { member } from '../helpers/web.js';
import { Authenticator, BROWSER_TEST_TIMEOUT, openPerson, pathOf, screenshot, signIn, startGateway, clickThrough, useBrowser } from './helpers.js';
import type { Page } from 'playwright-core';

const browser = useBrowser();

const RECOVERY_CODE = /\b[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}\b/g;

/** On the enrol page: the secret shown for manual entry. */
async function secretOnPage(page: Page): Promise<string> {
  const secret = (await page.locator('#totp-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  return secret;
}

/** Confirms the enrolment with a code; the recovery codes shown once, and the code used. */
async function confirmEnrolment(page: Page, device: Authenticator): Promise<{ codes: string[]; used: string }> {
  const used = await device.next();
  await page.getByLabel('Code').fill(used);
  await clickThrough(page, page.getByRole('button', { name: 'Turn on two-factor authentication' }));
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Two-factor authentication is on');
  return { codes: (await page.locator('#recovery-codes').textContent())?.match(RECOVERY_CODE) ?? [], used };
}

describe('browser: sign-in and two-factor authentication', () => {
  it('signs in with email and password; a wrong password or an unknown email gets the one message', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const g = await startGateway();
    await member(g, 'admin@example.com');
    const { page, context, errors } = await openPerson(browser(), g);

    // A signed-out visit to a page is sent to the sign-in form, and back after it.
    await page.goto('/dashboard/domains');
    expect(pathOf(page)).toBe('/dashboard/sign-in');
    await expect(page.title()).resolves.toBe('Sign in · Wicket');
    await screenshot(page, 'sign-in');

    for (const [email, password] of [
      ['admin@example.com', 'not the right password'],
      ['nobody@example.com', 'not the right password'],
    ] as const) {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await clickThrough(page, page.getByRole('button', { name: 'Sign in' }));
      const alerts = page.getByRole('alert');
      expect(await alerts.count()).toBe(1);
      expect((await alerts.textContent())?.trim()).toBe(SIGN_IN_FAILED);
      // The address stays typed; the password does not come back.
      await expect(page.getByLabel('Email').inputValue()).resolves.toBe(email);
      await expect(page.getByLabel('Password', { exact: true }).inputValue()).resolves.toBe('');
      expect((await context.cookies()).some((c) => c.name === 'wicket_session')).toBe(false);
    }
    await screenshot(page, 'sign-in-error');

    await signIn(page, 'admin@example.com');
    expect(pathOf(page)).toBe('/dashboard');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Applications');
    await expect(page.locator('header .who').textContent()).resolves.toBe('admin@example.com');
    const session = (await context.cookies()).find((c) => c.name === 'wicket_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // Script on the dashboard's own pages cannot read it either.
    await expect(page.evaluate<string>('document.cookie')).resolves.not.toContain('wicket_session');
    await screenshot(page, 'applications');

    await page.goto('/dashboard/domains');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Domains');
    await screenshot(page, 'domains');

    await clickThrough(page, page.getByRole('button', { name: 'Sign out' }));
    expect(pathOf(page)).toBe('/dashboard/sign-in');
    await page.goto('/dashboard');
    expect(pathOf(page)).toBe('/dashboard/sign-in');
    expect(errors).toEqual([]);
  });

  it('enrols from the profile page with the secret shown, then sign-in asks for a code that works once', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const g = await startGateway();
    const admin = await member(g, 'admin@example.com');
    const { page, errors } = await openPerson(browser(), g);
    await signIn(page, 'admin@example.com');

    await clickThrough(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your profile');
    await clickThrough(page, page.getByRole('link', { name: 'Set up two-factor authentication' }));
    expect(pathOf(page)).toBe('/dashboard/profile/mfa');
    const secret = await secretOnPage(page);
    // The QR code is an image the page's CSP lets load (a data: URL), and app.js showed the copy button.
    const qr = page.getByRole('img', { name: /QR code/ });
    await expect(qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).resolves.toBeGreaterThan(0);
    await expect(page.getByRole('button', { name: 'Copy' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'profile-mfa-enrol');

    // A wrong code: the server's message next to the field, the same secret still there.
    await page.getByLabel('Code').fill(totp(secret, Date.now() / 1000 - 3600));
    await clickThrough(page, page.getByRole('button', { name: 'Turn on two-factor authentication' }));
    await expect(page.locator('#f-code-error').textContent()).resolves.toMatch(/code is not right/);
    await expect(page.getByLabel('Code').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await secretOnPage(page)).toBe(secret);

    const device = new Authenticator(secret);
    const { codes, used } = await confirmEnrolment(page, device);
    expect(new Set(codes).size).toBe(10);
    expect(g.gateway.services.team.getUser(admin.id).mfaEnabled).toBe(true);
    await screenshot(page, 'profile-mfa-recovery-codes');
    await clickThrough(page, page.getByRole('link', { name: /continue to the dashboard/ }));
    expect(pathOf(page)).toBe('/dashboard');

    await clickThrough(page, page.getByRole('button', { name: 'Sign out' }));
    await signIn(page, 'admin@example.com');
    expect(pathOf(page)).toBe('/dashboard/sign-in/code');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Two-factor code');
    // Nothing else opens before the code.
    await page.goto('/dashboard');
    expect(pathOf(page)).toBe('/dashboard/sign-in/code');

    // The code that confirmed the enrolment is spent (still inside the ±1 step window, but
    // its step was seen): the one sign-in answer, and the code page again.
    await page.getByLabel('Code').fill(used);
    await clickThrough(page, page.getByRole('button', { name: 'Continue' }));
    expect(pathOf(page)).toBe('/dashboard/sign-in/code');
    expect((await page.getByRole('alert').textContent())?.trim()).toBe(SIGN_IN_FAILED);
    // A fresh code, of a later step, gets in.
    await page.getByLabel('Code').fill(await device.next());
    await clickThrough(page, page.getByRole('button', { name: 'Continue' }));
    expect(pathOf(page)).toBe('/dashboard');
    await page.goto('/dashboard/profile');
    await expect(page.getByText('10 recovery codes left').isVisible()).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it('requires MFA organization-wide: a member signing in is made to enrol first, and then gets in', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const g = await startGateway();
    await member(g, 'admin@example.com');
    await member(g, 'dev@example.com', 'member');
    const admin = await openPerson(browser(), g);
    await signIn(admin.page, 'admin@example.com');
    await clickThrough(admin.page, admin.page.getByRole('link', { name: 'Organization' }));
    await expect(admin.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Organization');
    await expect(admin.page.getByText('2 members have no two-factor authentication').isVisible()).resolves.toBe(true);
    // The button's form asks for confirmation (data-confirm); the dialog is accepted.
    await clickThrough(admin.page, admin.page.getByRole('button', { name: 'Require two-factor authentication for everyone' }));
    await expect(admin.page.getByRole('status').first().textContent()).resolves.toMatch(/now required/);
    await expect(admin.page.getByRole('button', { name: 'Stop requiring two-factor authentication' }).isVisible()).resolves.toBe(true);
    expect(g.gateway.services.team.organization().requireMfa).toBe(true);
    await screenshot(admin.page, 'organization');

    const dev = await openPerson(browser(), g);
    await signIn(dev.page, 'dev@example.com');
    expect(pathOf(dev.page)).toBe('/dashboard/profile/mfa');
    await expect(dev.page.getByRole('status').first().textContent()).resolves.toMatch(/requires two-factor authentication for every member/);
    // No navigation to anywhere else, and every other page sends the member back here.
    expect(await dev.page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    for (const path of ['/dashboard', '/dashboard/domains', '/dashboard/profile', `/dashboard/apps/${g.appId}/accounts`, '/dashboard/team']) {
      await dev.page.goto(path);
      expect(pathOf(dev.page), path).toBe('/dashboard/profile/mfa');
    }
    const { codes } = await confirmEnrolment(dev.page, new Authenticator(await secretOnPage(dev.page)));
    expect(codes).toHaveLength(10);
    await clickThrough(dev.page, dev.page.getByRole('link', { name: /continue to the dashboard/ }));
    expect(pathOf(dev.page)).toBe('/dashboard');
    await expect(dev.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Applications');
    await dev.page.goto(`/dashboard/apps/${g.appId}/accounts`);
    await expect(dev.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Accounts');

    // The admin, signed in before the switch and without MFA, was not signed out.
    await admin.page.reload();
    expect(pathOf(admin.page)).toBe('/dashboard/organization');
    expect(admin.errors).toEqual([]);
    expect(dev.errors).toEqual([]);
  });
});
