// The activity log (admins only): who changed what — a team member, an API key or the CLI —
// newest first, a page at a time (`?before=<id>` continues after the last entry shown).
import type { Activity, User } from '../../store/store.js';
import { type Page, type WebRequest, get } from '../context.js';
import { html, type Html } from '../html.js';

const PATH = '/dashboard/activity';

/**
 * Records a change a member made from the dashboard in the activity log. It goes to disk with
 * the change itself: the gate answers a POST only once the store is durable (dashboard.ts).
 */
export function recordChange(w: WebRequest, action: string, object: { type: string; id?: string | null; detail?: Record<string, unknown> }): void {
  w.services.team.activity.record(w.actor, action, object);
}
const PAGE_SIZE = 50;
const DETAIL_VALUE_MAX = 120;

/** `2026-12-06 11:46:03 UTC`: sortable, readable, and the same for every reader. */
export function utcTime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The time for people and, in `datetime`, for machines. */
export const timeElement = (seconds: number): Html => html`<time datetime="${new Date(seconds * 1000).toISOString()}">${utcTime(seconds)}</time>`;

function who(members: Map<string, User>, entry: Activity): Html {
  if (entry.actorType === 'cli') return html`CLI`;
  if (entry.actorType === 'api_key') return html`API key ${entry.actorLabel ?? entry.actorId ?? ''}`;
  // The member as they are now, or as they were (the label keeps the email of a removed one).
  const user = entry.actorId ? members.get(entry.actorId) : undefined;
  return user ? html`${user.name} <span class="hint">${user.email}</span>` : html`${entry.actorLabel ?? 'a removed member'}`;
}

function detail(entry: Activity): Html {
  const pairs = Object.entries(entry.detail);
  if (pairs.length === 0) return html``;
  const text = (value: unknown): string => {
    const s = typeof value === 'string' ? value : JSON.stringify(value);
    return s.length > DETAIL_VALUE_MAX ? `${s.slice(0, DETAIL_VALUE_MAX)}…` : s;
  };
  return html`<br><span class="hint">${pairs.map(([k, v], i) => html`${i > 0 ? ', ' : ''}${k}: ${text(v)}`)}</span>`;
}

function activityPage(w: WebRequest): Page {
  const raw = w.query.before;
  const before = raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
  // One more than a page tells whether an older page exists.
  const entries = w.services.team.activity.list(PAGE_SIZE + 1, before);
  const more = entries.length > PAGE_SIZE;
  const shown = entries.slice(0, PAGE_SIZE);
  const members = new Map<string, User>(w.services.team.listMembers().map((m) => [m.id, m]));
  return {
    title: 'Activity',
    section: 'activity',
    body: html`<h1>Activity</h1>
<p>Who changed what in this organization: team members in the dashboard, API keys and the <code>wicket</code> command line. Times are UTC.</p>
${
  shown.length === 0
    ? html`<p>${before === null ? 'Nothing has happened yet.' : 'No older entries.'}</p>`
    : html`<table class="list">
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Object</th></tr></thead>
<tbody>
${shown.map(
  (e) => html`<tr>
<td>${timeElement(e.at)}</td>
<td>${who(members, e)}</td>
<td><code>${e.action}</code></td>
<td>${e.objectType}${e.objectId ? html` <code>${e.objectId}</code>` : ''}${detail(e)}</td>
</tr>`,
)}
</tbody>
</table>`
}
<nav class="pager" aria-label="Pages">
${before !== null ? html`<a href="${PATH}">Newest</a>` : ''}
${more ? html`<a href="${PATH}?before=${shown[shown.length - 1]!.id}" rel="next">Older</a>` : ''}
</nav>`,
  };
}

export const ACTIVITY_ROUTES = [get(PATH, 'admin', activityPage)];
