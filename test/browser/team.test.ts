// Inviting a team member in real Chromium: the admin sets the organization's system account and
// invites from the Team page; the invitation mail goes through Wicket's own delivery pipeline
// into the invitee's mailbox (a local agent account), where the test reads the link, as the
// invitee would; the link opens in another browser, sets a password and signs in, once.
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { INVITATION_INVALID } from '../../src/dashboard/team.js';
import { folderMessages } from '../helpers/gateway.js';
import { member } from '../helpers/web.js';
import { baseUrl, BROWSER_TEST_TIMEOUT, eventually, openPerson, pathOf, screenshot, signIn, startGateway, clickThrough, useBrowser } from './helpers.js';

const browser = useBrowser();

describe('browser: team invitations', () => {
  it('invites from the Team page; the link in the mail sets a password and signs the new member in, once', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const g = await startGateway();
    await member(g, 'admin@example.com');
    const system = await g.account('system');
    const newbie = await g.account('newbie');
    const admin = await openPerson(browser(), g);
    const page = admin.page;
    await signIn(page, 'admin@example.com');

    // The system account invitations are sent from, set through the settings form.
    await clickThrough(page, page.getByRole('link', { name: 'Organization' }));
    await page.getByLabel('Name', { exact: true }).fill('Acme');
    await page.getByLabel('System account').fill(system.email);
    await clickThrough(page, page.getByRole('button', { name: 'Save settings' }));
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Organization settings saved.');
    await expect(page.getByLabel('System account').inputValue()).resolves.toBe(system.email);
    expect(g.gateway.services.team.organization()).toMatchObject({ name: 'Acme', systemAccountEmail: system.email });

    await clickThrough(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }));
    expect(pathOf(page)).toBe('/dashboard/team');
    const invite = page.locator('form[action="/dashboard/team/invite"]');
    await invite.getByLabel('Name').fill('Newbie Person');
    await invite.getByLabel('Email').fill(newbie.email);
    await clickThrough(page, page.getByRole('button', { name: 'Send invitation' }));
    await expect(page.getByRole('status').first().textContent()).resolves.toBe(`Invitation sent to ${newbie.email} from ${system.email}.`);
    const pending = page.getByRole('table', { name: 'Pending invitations' });
    await expect(pending.getByRole('row').filter({ hasText: newbie.email }).textContent()).resolves.toContain('Newbie Person');
    // The link is in the mail only, never on the admin's page.
    await expect(page.content()).resolves.not.toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);
    await screenshot(page, 'team');

    // The invitee's mail, delivered from the system account.
    expect(await eventually(() => folderMessages(g, newbie, 'INBOX').length === 1)).toBe(true);
    const mail = await simpleParser(folderMessages(g, newbie, 'INBOX')[0]!.raw);
    expect(mail.subject).toBe('You are invited to Acme on Wicket');
    expect(mail.from?.value[0]?.address).toBe(system.email);
    const link = new RegExp(`${baseUrl(g).replace(/\./g, '\\.')}/invite/[A-Za-z0-9_-]{43}`).exec(mail.text ?? '')?.[0];
    expect(link, mail.text).toBeDefined();

    const invitee = await openPerson(browser(), g);
    await invitee.page.goto(link!);
    await expect(invitee.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Join Acme on Wicket');
    await expect(invitee.page.getByText('admin (admin@example.com) invited you to join as a member.').isVisible()).resolves.toBe(true);
    // The rule under the field turns from unmet to met as the password grows.
    const password = invitee.page.getByLabel('Choose a password');
    const rule = invitee.page.locator('ul.password-rules li[data-rule="length_team"]');
    await password.fill('too short');
    await expect(rule.getAttribute('class')).resolves.toBe('unmet');
    await password.fill('a long enough new password');
    await expect(rule.getAttribute('class')).resolves.toBe('met');
    await screenshot(invitee.page, 'invite-accept');
    await clickThrough(invitee.page, invitee.page.getByRole('button', { name: 'Join and sign in' }));
    expect(pathOf(invitee.page)).toBe('/dashboard');
    await expect(invitee.page.locator('header .who').textContent()).resolves.toBe(newbie.email);
    await expect(invitee.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Applications');
    // A member: no admin pages in the navigation, and a 403 when opened anyway.
    expect(await invitee.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).count()).toBe(0);
    const forbidden = await invitee.page.goto('/dashboard/team');
    expect(forbidden?.status()).toBe(403);

    // The admin sees the new member and no pending invitation.
    await page.reload();
    const members = page.getByRole('table', { name: 'Members' });
    await expect(members.getByRole('row').filter({ hasText: newbie.email }).textContent()).resolves.toMatch(/Newbie Person[\s\S]*Member[\s\S]*signed in now/);
    expect(await page.getByRole('table', { name: 'Pending invitations' }).count()).toBe(0);

    // The link works once.
    const again = await openPerson(browser(), g);
    const dead = await again.page.goto(link!);
    expect(dead?.status()).toBe(404);
    await expect(again.page.getByText(INVITATION_INVALID).isVisible()).resolves.toBe(true);
    expect(admin.errors).toEqual([]);
    expect(invitee.errors).toEqual([]);
  });
});
