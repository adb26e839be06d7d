// Pieces the governance pages share: a time as a readable UTC <time>, and a secret shown once
// (an API key, a webhook's signing secret) on a page no cache keeps.
import type { WebRequest } from '../context.js';
import { html, type Html } from '../html.js';

/** Unix seconds as a readable UTC time in a <time> element; "never" for null. */
export function when(seconds: number | null | undefined, never = 'never'): Html {
  if (seconds === null || seconds === undefined) return html`${never}`;
  const iso = new Date(seconds * 1000).toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

/** A page that shows a secret once: no cache may keep it, and no referrer carries the page. */
export function secretPage(w: WebRequest): void {
  w.reply.header('cache-control', 'no-store');
}

/** A secret shown once, with a copy button (app.js un-hides it) and the warning. */
export function secretBox(id: string, label: string, secret: string, warning: string): Html {
  return html`<div class="secret" role="status">
<p><strong>${label}</strong></p>
<p><code id="${id}">${secret}</code> <button type="button" data-copy="#${id}" hidden>Copy</button></p>
<p>${warning}</p>
</div>`;
}
