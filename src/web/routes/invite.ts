// Accepting an invitation: /invite/<token> (the link of the mail) shows who invited, the email
// and the role, and asks for a password; the member then joins and is signed in — or sent to
// the MFA enrol page first when the organization requires it. Every unusable link (unknown,
// used, replaced, expired) gets one 404 answer, INVITATION_INVALID.
//
// The token stays out of logs: the form posts it in its body to /invite/accept (the POST's URL
// carries nothing), and the request log redacts /invite/<token> (src/api/app.ts).
import { INVITATION_INVALID } from '../../dashboard/team.js';
import { NotFoundError } from '../../errors.js';
import type { Invitation } from '../../store/store.js';
import { type Outcome, type Page, redirect, type WebRequest, get, post } from '../context.js';
import { readCookie, SESSION_COOKIE } from '../cookies.js';
import { csrfField, type FieldErrors, formError, formErrors } from '../forms.js';
import { html } from '../html.js';
import { timeElement } from './activity.js';
import { startSession } from './auth.js';
import { teamPasswordField } from './profile.js';

function openInvitation(w: WebRequest, token: string): Invitation {
  const invitation = w.services.team.invitation(token);
  if (!invitation) throw new NotFoundError(INVITATION_INVALID);
  return invitation;
}

function acceptPage(w: WebRequest, token: string, errors: FieldErrors = {}, status = 200): Page {
  const invitation = openInvitation(w, token);
  const team = w.services.team;
  const org = team.organization();
  const inviter = invitation.invitedBy ? team.listMembers().find((m) => m.id === invitation.invitedBy) : undefined;
  // The page holds the token in its form: not for caches.
  w.reply.header('cache-control', 'no-store');
  return {
    title: `Join ${org.name}`,
    status,
    body: html`<section class="narrow">
<h1>Join ${org.name} on Wicket</h1>
<p>${inviter ? html`${inviter.name} (${inviter.email})` : 'An administrator'} invited you to join as ${invitation.role === 'admin' ? 'an admin' : 'a member'}.</p>
<dl class="facts">
<dt>Email</dt><dd>${invitation.email}</dd>
<dt>Name</dt><dd>${invitation.name}</dd>
<dt>Role</dt><dd>${invitation.role === 'admin' ? 'Admin' : 'Member'}</dd>
<dt>Link expires</dt><dd>${timeElement(invitation.expiresAt)}</dd>
</dl>
${formError(errors)}
<form method="post" action="/invite/accept">
${csrfField(w)}
<input type="hidden" name="token" value="${token}">
<input type="hidden" name="username" value="${invitation.email}" autocomplete="username">
${teamPasswordField('Choose a password', 'password', errors.password)}
<button type="submit">Join and sign in</button>
</form>
</section>`,
  };
}

async function accept(w: WebRequest): Promise<Outcome> {
  const token = w.form.get('token') ?? '';
  const password = w.form.get('password') ?? '';
  const team = w.services.team;
  let email: string;
  try {
    ({ email } = await team.accept(token, password));
  } catch (err) {
    // An unusable link is the gate's 404 page; a password that breaks a rule, the form again.
    if (err instanceof NotFoundError) throw err;
    const errors = formErrors(err);
    return acceptPage(w, token, errors, errors._form ? 409 : 400);
  }
  const result = await team.signIn(email, password, undefined, w.req.ip);
  if (!result.ok) return redirect('/dashboard/sign-in');
  // A session this browser had before (another member) ends: one browser, one session.
  team.signOut(readCookie(w.req, SESSION_COOKIE));
  startSession(w.reply, w.req, result);
  return redirect(result.mustEnrol ? '/dashboard/profile/mfa' : '/dashboard');
}

export const INVITE_ROUTES = [
  get('/invite/:token', 'public', (w) => acceptPage(w, w.params.token ?? '')),
  post('/invite/accept', 'public', accept),
];
