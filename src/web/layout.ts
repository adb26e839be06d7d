// The page shell: skip link, header with navigation, notice, main. Plain semantic markup that
// reads on a phone-width screen (style.css) and works without JavaScript; app.js only adds
// conveniences (copy buttons, live password rules, live inbox).
import type { Application } from '../store/types.js';
import { appPath, type Page, type WebRequest } from './context.js';
import { html, type Html } from './html.js';

interface NavItem {
  href: string;
  label: string;
  section: string;
}

function navigation(w: WebRequest): { top: NavItem[]; app: NavItem[] } {
  const signedIn = w.signedIn;
  if (!signedIn || signedIn.stage !== 'full') return { top: [], app: [] };
  const top: NavItem[] = [
    { href: '/dashboard', label: 'Applications', section: 'applications' },
    { href: '/dashboard/domains', label: 'Domains', section: 'domains' },
  ];
  if (signedIn.user.role === 'admin') {
    top.push({ href: '/dashboard/organization', label: 'Organization', section: 'organization' });
    top.push({ href: '/dashboard/team', label: 'Team', section: 'team' });
    top.push({ href: '/dashboard/activity', label: 'Activity', section: 'activity' });
  }
  top.push({ href: '/dashboard/profile', label: 'Profile', section: 'profile' });
  const app: NavItem[] = w.application ? applicationNavigation(w.application) : [];
  return { top, app };
}

function applicationNavigation(application: Application): NavItem[] {
  return [
    { href: appPath(application, '/accounts'), label: 'Accounts', section: 'accounts' },
    { href: appPath(application, '/workspaces'), label: 'Workspaces', section: 'workspaces' },
    { href: appPath(application, '/policies'), label: 'Policies', section: 'policies' },
    { href: appPath(application, '/rules'), label: 'Rules', section: 'rules' },
    { href: appPath(application, '/lists'), label: 'Lists', section: 'lists' },
    { href: appPath(application, '/webhooks'), label: 'Webhooks', section: 'webhooks' },
    { href: appPath(application, '/api-keys'), label: 'API keys', section: 'api-keys' },
    { href: appPath(application, '/queue'), label: 'Outbound queue', section: 'queue' },
  ];
}

const navList = (items: NavItem[], current: string | undefined, label: string): Html =>
  html`<nav aria-label="${label}"><ul>${items.map(
    (item) => html`<li><a href="${item.href}"${item.section === current ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
  )}</ul></nav>`;

export function renderPage(w: WebRequest, page: Page): string {
  const { top, app } = navigation(w);
  const signedIn = w.signedIn;
  const org = w.services.team.organization();
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · Wicket</title>
<link rel="stylesheet" href="/dashboard/assets/style.css">
<script src="/dashboard/assets/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/dashboard">Wicket<span class="org">${org.name}</span></a>
  ${top.length ? navList(top, page.section, 'Main') : ''}
  ${
    signedIn
      ? html`<form method="post" action="/dashboard/sign-out" class="sign-out">
  <input type="hidden" name="_csrf" value="${w.csrf}">
  <span class="who">${signedIn.user.email}</span> <button type="submit" class="link">Sign out</button>
</form>`
      : ''
  }
</header>
${
  w.application
    ? html`<div class="app-bar"><p class="app-name">Application: <a href="${appPath(w.application, '/accounts')}">${w.application.name}</a> <a class="switch" href="/dashboard">switch</a></p>${navList(app, page.section, 'Application')}</div>`
    : ''
}
<main id="main" tabindex="-1">
${w.notice ? html`<p class="notice" role="status">${w.notice}</p>` : ''}
${page.body}
</main>
</body>
</html>
`;
  return doc.text;
}

/** A small page for errors (403, 404, 400 …) in the same shell. */
export function errorPage(status: number, title: string, message: string): Page {
  return { status, title, body: html`<h1>${title}</h1><p class="error-text">${message}</p><p><a href="/dashboard">Back to the dashboard</a></p>` };
}
