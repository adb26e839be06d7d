// Sign-in (password, then the TOTP code when enrolled), sign-out, and the first-run setup page.
// Every failure answers SIGN_IN_FAILED after the team service's throttle (it never says whether
// the email exists); the session token only ever travels in an HttpOnly cookie.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SignInResult } from '../../dashboard/team.js';
import { type Page, redirect, type WebRequest, get, post, type Outcome } from '../context.js';
import { clearCookie, readCookie, SESSION_COOKIE, setCookie } from '../cookies.js';
import { csrfField, field, type FieldErrors, formError, formErrors } from '../forms.js';
import { html } from '../html.js';

/** Only our own paths: `next` must not send a member to another site after sign-in. */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith('/dashboard') && !next.startsWith('//') && !next.includes('\\') ? next : '/dashboard';
}

const secure = (req: FastifyRequest): boolean => req.protocol === 'https';

export function startSession(reply: FastifyReply, req: FastifyRequest, result: Extract<SignInResult, { ok: true }>): void {
  setCookie(reply, SESSION_COOKIE, result.token, { secure: secure(req), maxAgeSeconds: result.maxAgeSeconds });
}

function signInPage(w: WebRequest, email: string, error?: string, status = 200): Page {
  const setup = !w.services.team.hasUsers();
  return {
    title: 'Sign in',
    status,
    body: html`<section class="narrow">
<h1>Sign in</h1>
${setup ? html`<p class="notice">No team member exists yet. Create the first admin with <code>wicket user create --admin you@example.com</code>, or open the setup link printed in the server log.</p>` : ''}
${error ? html`<p class="form-error" role="alert">${error}</p>` : ''}
<form method="post" action="/dashboard/sign-in">
${csrfField(w)}
<input type="hidden" name="next" value="${safeNext(w.query.next ?? w.form.get('next'))}">
${field('Email', 'email', { type: 'email', value: email, required: true, autocomplete: 'username' })}
${field('Password', 'password', { type: 'password', required: true, autocomplete: 'current-password' })}
<button type="submit">Sign in</button>
</form>
</section>`,
  };
}

function codePage(w: WebRequest, error?: string, status = 200): Page {
  return {
    title: 'Two-factor code',
    status,
    body: html`<section class="narrow">
<h1>Two-factor code</h1>
<p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
${error ? html`<p class="form-error" role="alert">${error}</p>` : ''}
<form method="post" action="/dashboard/sign-in/code">
${csrfField(w)}
${field('Code', 'code', { required: true, autocomplete: 'one-time-code', inputmode: 'numeric' })}
<button type="submit">Continue</button>
</form>
<form method="post" action="/dashboard/sign-out">${csrfField(w)}<button type="submit" class="link">Cancel</button></form>
</section>`,
  };
}

/** The failure's message; a throttled one also tells the browser when to try again. */
function failure(result: Extract<SignInResult, { ok: false }>, w: WebRequest): string {
  if (result.reason === 'throttled' && result.retryAfterSeconds) w.reply.header('retry-after', String(result.retryAfterSeconds));
  return result.message;
}

async function signIn(w: WebRequest): Promise<Outcome> {
  const email = w.form.get('email') ?? '';
  const result = await w.services.team.signIn(email, w.form.get('password') ?? '', undefined, w.req.ip);
  if (!result.ok) return signInPage(w, email, failure(result, w), result.reason === 'throttled' ? 429 : 401);
  // A session this browser had before is ended: one browser, one session.
  w.services.team.signOut(readCookie(w.req, SESSION_COOKIE));
  startSession(w.reply, w.req, result);
  if (result.needsMfa) return redirect('/dashboard/sign-in/code');
  if (result.mustEnrol) return redirect('/dashboard/profile/mfa');
  return redirect(safeNext(w.form.get('next')));
}

async function submitCode(w: WebRequest): Promise<Outcome> {
  const result = await w.services.team.completeMfa(readCookie(w.req, SESSION_COOKIE) ?? '', w.form.get('code') ?? '', w.req.ip);
  if (!result.ok) {
    if (result.reason === 'expired') return redirect('/dashboard/sign-in');
    return codePage(w, failure(result, w), result.reason === 'throttled' ? 429 : 401);
  }
  startSession(w.reply, w.req, result);
  return redirect('/dashboard');
}

function signOut(w: WebRequest): Outcome {
  w.services.team.signOut(readCookie(w.req, SESSION_COOKIE));
  clearCookie(w.reply, SESSION_COOKIE, secure(w.req));
  return redirect('/dashboard/sign-in');
}

function setupPage(w: WebRequest, values: { email?: string; name?: string }, errors: FieldErrors = {}, status = 200): Page {
  const token = w.query.token ?? w.form.get('token') ?? '';
  return {
    title: 'Set up Wicket',
    status,
    body: html`<section class="narrow">
<h1>Create the first admin</h1>
<p>This page works once, with the setup link from the server log, while no team member exists.</p>
${formError(errors)}
<form method="post" action="/dashboard/setup">
${csrfField(w)}
<input type="hidden" name="token" value="${token}">
${field('Your name', 'name', { value: values.name, autocomplete: 'name', error: errors.name })}
${field('Email', 'email', { type: 'email', value: values.email, required: true, autocomplete: 'username', error: errors.email })}
${field('Password', 'password', {
  type: 'password',
  required: true,
  autocomplete: 'new-password',
  hint: 'At least 12 characters.',
  error: errors.password,
  extra: html` data-password-rules="team" minlength="12" maxlength="128"`,
})}
<button type="submit">Create admin and sign in</button>
</form>
</section>`,
  };
}

async function setup(w: WebRequest): Promise<Outcome> {
  const values = { email: w.form.get('email') ?? '', name: w.form.get('name') ?? '' };
  const password = w.form.get('password') ?? '';
  try {
    await w.services.team.completeSetup(w.form.get('token') ?? '', { email: values.email, name: values.name || undefined, password });
  } catch (err) {
    const errors = formErrors(err);
    return setupPage(w, values, errors, errors._form ? 404 : 400);
  }
  const result = await w.services.team.signIn(values.email, password, undefined, w.req.ip);
  if (!result.ok) return redirect('/dashboard/sign-in');
  startSession(w.reply, w.req, result);
  w.flash('Welcome! You are the first admin. Next: enrol in two-factor authentication from your profile.');
  return redirect('/dashboard');
}

export const AUTH_ROUTES = [
  get('/dashboard/sign-in', 'public', (w) => (w.signedIn?.stage === 'full' ? redirect(safeNext(w.query.next)) : signInPage(w, ''))),
  post('/dashboard/sign-in', 'public', signIn),
  get('/dashboard/sign-in/code', 'mfa', (w) => codePage(w)),
  post('/dashboard/sign-in/code', 'mfa', submitCode),
  post('/dashboard/sign-out', 'public', signOut),
  get('/dashboard/setup', 'public', (w) => (w.services.team.hasUsers() ? redirect('/dashboard/sign-in') : setupPage(w, {}))),
  post('/dashboard/setup', 'public', setup),
];
