// Browser tests in real headless Chromium (Debian's package, driven by playwright-core): one
// browser per test file, a fresh context (cookies, storage) per test and per person, the whole
// gateway per test. Screenshots go to test/artifacts/ (git-ignored) for a person to look at.
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { TEAM_PASSWORD } from '../helpers/web.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Two slow cores, a browser and the whole gateway: generous, and never a measurement. */
export const BROWSER_TEST_TIMEOUT = 90_000;
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** Launches Chromium once for the file (beforeAll) and closes it after; a missing one fails. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`the browser tests need Chromium at ${CHROMIUM}: install it with \`apt-get install chromium\` (.ci/run does)`);
    }
    // --no-sandbox: the tests run as root, where Chromium's own sandbox cannot start.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  }, BROWSER_TEST_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser did not start (see the beforeAll error)');
    return browser;
  };
}

/** The gateway with cheap bcrypt, as the HTTP tests start it. */
export const startGateway = (): Promise<TestGateway> => startTestGateway({ WICKET_BCRYPT_COST: '4' });

export const baseUrl = (g: TestGateway): string => `http://127.0.0.1:${g.ports.http}`;

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Uncaught script errors of the dashboard's own pages (app.js): none expected. */
  errors: string[];
  /** Every console message of every frame, e.g. Chromium's CSP and sandbox reports. */
  console: string[];
}

/**
 * A new browser context (its own cookie jar: another person, or another browser of the same
 * one) with one page on the gateway. Dialogs from `data-confirm` are accepted, as a person
 * clicking OK would. Closed when the test ends.
 */
export async function openPerson(browser: Browser, g: TestGateway, viewport = { width: 1280, height: 900 }): Promise<Person> {
  const context = await browser.newContext({ baseURL: baseUrl(g), viewport });
  context.setDefaultTimeout(20_000);
  onTestFinished(async () => {
    await context.close();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const messages: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => messages.push(`${msg.type()}: ${msg.text()}`));
  page.on('dialog', (dialog) => void dialog.accept());
  return { context, page, errors, console: messages };
}

/** A full-page PNG under test/artifacts/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The path of the page now, e.g. `/dashboard/profile/mfa`. */
export const pathOf = (page: Page): string => new URL(page.url()).pathname;

/** Signs in through the form; the caller checks where it landed. */
export async function signIn(page: Page, email: string, password = TEAM_PASSWORD): Promise<void> {
  await page.goto('/dashboard/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await clickThrough(page, page.getByRole('button', { name: 'Sign in' }));
}

/**
 * Clicks a link, or a button that submits a form, and waits for the page it leads to (after
 * any redirects) to have loaded: what follows reads that page, not the one before.
 */
export async function clickThrough(page: Page, target: Locator): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), target.click()]);
}

export { Authenticator } from '../helpers/totp.js';

/** No horizontal scrolling: the page fits its viewport (phone width). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}


/** Delivers a raw message over SMTP to the MX port, as another mail server would. */
export async function deliver(g: TestGateway, to: string, raw: string): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: g.ports.mx, secure: false, tls: { rejectUnauthorized: false } });
  try {
    await transport.sendMail({ envelope: { from: 'bob@sender.example', to: [to] }, raw });
  } finally {
    transport.close();
  }
}

/** A tiny HTTP server that records every request (a sender's tracking pixel). */
export async function trackerServer(): Promise<{ port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    // A 1×1 transparent GIF.
    res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store' });
    res.end(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, hits };
}

/** Polls until `check` holds (for what arrives on its own: mail, a server's hit). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return check();
}
