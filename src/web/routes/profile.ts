// The member's own profile: name, password, "sign out everywhere else", and two-factor
// authentication. The enrol page is open to a session that must enrol before anything else
// (access 'enrol'), since the organization's "require MFA" sends such sessions there.
//
// Secrets on these pages: the TOTP secret appears only on the enrol page (it has to, for manual
// entry), and the recovery codes only in the answer to the confirming POST — never on a later
// GET. Both pages are sent with Cache-Control: no-store.
import { PASSWORD_MAX, PASSWORD_MIN } from '../../dashboard/team.js';
import { type Outcome, type Page, redirect, type WebRequest, get, post } from '../context.js';
import { readCookie, SESSION_COOKIE } from '../cookies.js';
import { actionButton, csrfField, field, type FieldErrors, formError, formErrors } from '../forms.js';
import { html, type Html } from '../html.js';
import { qrImage } from '../qr.js';

const PROFILE = '/dashboard/profile';
const MFA = '/dashboard/profile/mfa';

const me = (w: WebRequest) => w.services.team.getUser(w.signedIn!.user.id);
const sessionToken = (w: WebRequest): string | undefined => readCookie(w.req, SESSION_COOKIE);
const noStore = (w: WebRequest): void => void w.reply.header('cache-control', 'no-store');

/** The dashboard password rules, listed under the field and checked live by app.js. */
export function teamPasswordField(label: string, name: string, error: string | undefined): Html {
  const id = `f-${name}`;
  return html`${field(label, name, {
    type: 'password',
    required: true,
    autocomplete: 'new-password',
    error,
    hint: html`<span id="${id}-rules-label">The password must have:</span>`,
    extra: html` data-password-rules="team" minlength="${PASSWORD_MIN}" maxlength="${PASSWORD_MAX}"`,
  })}
<ul class="password-rules" data-rules-for="${id}" aria-labelledby="${id}-rules-label"><li data-rule="length_team">${PASSWORD_MIN} to ${PASSWORD_MAX} characters (a few words make a good one)</li></ul>`;
}

type ProfileForm = 'name' | 'password' | 'sessions';

function profilePage(w: WebRequest, errors: FieldErrors = {}, which?: ProfileForm, values: { name?: string } = {}, status = 200): Page {
  const user = me(w);
  const team = w.services.team;
  const org = team.organization();
  const codesLeft = user.mfaEnabled ? team.recoveryCodesLeft(user.id) : 0;
  const errorsFor = (form: ProfileForm): FieldErrors => (which === form ? errors : {});
  return {
    title: 'Your profile',
    section: 'profile',
    status,
    body: html`<h1>Your profile</h1>
<dl class="facts">
<dt>Email</dt><dd>${user.email}</dd>
<dt>Role</dt><dd>${user.role === 'admin' ? 'Admin' : 'Member'}</dd>
<dt>Two-factor authentication</dt><dd>${
      user.mfaEnabled
        ? html`<span class="badge ok">on</span> ${codesLeft} recovery code${codesLeft === 1 ? '' : 's'} left`
        : html`<span class="badge bad">off</span>${org.requireMfa ? ' (the organization requires it)' : ''}`
    }</dd>
</dl>

<h2>Name</h2>
${formError(errorsFor('name'))}
<form method="post" action="${PROFILE}/name" class="row">
${csrfField(w)}
${field('Name', 'name', { value: values.name ?? user.name, required: true, autocomplete: 'name', error: errorsFor('name').name })}
<button type="submit">Save name</button>
</form>

<h2>Password</h2>
${formError(errorsFor('password'))}
<form method="post" action="${PROFILE}/password">
${csrfField(w)}
<input type="hidden" name="username" value="${user.email}" autocomplete="username">
${field('Current password', 'current_password', {
  type: 'password',
  required: true,
  autocomplete: 'current-password',
  error: errorsFor('password').current_password,
})}
${teamPasswordField('New password', 'new_password', errorsFor('password').new_password)}
<p class="hint">Changing it signs out your other sessions; this one stays.</p>
<button type="submit">Change password</button>
</form>

<h2>Two-factor authentication</h2>
${
  user.mfaEnabled
    ? html`<p>On: signing in asks for a code from your authenticator app. <a href="${MFA}">Manage two-factor authentication</a></p>`
    : html`<p>Off. <a class="button" href="${MFA}">Set up two-factor authentication</a></p>`
}

<h2>Sessions</h2>
${formError(errorsFor('sessions'))}
<p>Signed in on another computer and no longer there? End every session of yours but this one.</p>
${actionButton(w, `${PROFILE}/sign-out-everywhere`, 'Sign out everywhere else', { confirm: 'Sign out all your other sessions?' })}`,
  };
}

async function rename(w: WebRequest): Promise<Outcome> {
  const name = w.form.get('name') ?? '';
  try {
    await w.services.team.rename(w.signedIn!.user.id, name, w.actor);
  } catch (err) {
    return profilePage(w, formErrors(err), 'name', { name }, 400);
  }
  w.flash('Your name is saved.');
  return redirect(PROFILE);
}

async function changePassword(w: WebRequest): Promise<Outcome> {
  try {
    await w.services.team.changePassword(
      w.signedIn!.user.id,
      w.form.get('current_password') ?? '',
      w.form.get('new_password') ?? '',
      w.req.ip,
      sessionToken(w),
    );
  } catch (err) {
    return profilePage(w, formErrors(err), 'password', {}, 400);
  }
  w.flash('Your password is changed; your other sessions were signed out.');
  return redirect(PROFILE);
}

async function signOutElsewhere(w: WebRequest): Promise<Outcome> {
  const ended = await w.services.team.signOutEverywhere(w.signedIn!.user.id, w.actor, sessionToken(w));
  w.flash(ended === 0 ? 'You had no other sessions.' : `Signed out ${ended} other session${ended === 1 ? '' : 's'}.`);
  return redirect(PROFILE);
}

// ---- two-factor authentication ----

async function mfaPage(w: WebRequest, errors: FieldErrors = {}, status = 200): Promise<Page> {
  noStore(w);
  const user = me(w);
  const team = w.services.team;
  const org = team.organization();
  if (user.mfaEnabled) {
    const codesLeft = team.recoveryCodesLeft(user.id);
    return {
      title: 'Two-factor authentication',
      section: 'profile',
      status,
      body: html`<h1>Two-factor authentication</h1>
<p><span class="badge ok">on</span> Signing in asks for a code from your authenticator app. You have ${codesLeft} unused recovery code${codesLeft === 1 ? '' : 's'}.</p>
${formError(errors)}
${
  org.requireMfa
    ? html`<p>The organization requires two-factor authentication, so it cannot be turned off. If you lose your device, sign in with a recovery code, or ask an admin to reset it.</p>`
    : html`<h2>Turn it off</h2>
<form method="post" action="${MFA}/disable" data-confirm="Turn off two-factor authentication? Signing in will then need only your password.">
${csrfField(w)}
${field('Code from your app, or a recovery code', 'code', { required: true, autocomplete: 'one-time-code', error: errors.code })}
<button type="submit" class="danger">Turn off two-factor authentication</button>
</form>`
}
<p><a href="${PROFILE}">Back to your profile</a></p>`,
    };
  }
  // The pending secret, if an enrolment was begun: a reload shows what was already scanned.
  const enrolment = team.pendingEnrolment(user.id) ?? team.beginEnrolment(user.id);
  const forced = w.signedIn!.stage === 'enrol';
  return {
    title: 'Set up two-factor authentication',
    section: 'profile',
    status,
    body: html`<h1>Set up two-factor authentication</h1>
${
  forced
    ? html`<p class="notice" role="status">${org.name} requires two-factor authentication for every member. Set it up to continue; until then this is the only page you can use.</p>`
    : ''
}
${formError(errors)}
<ol>
<li><p>Scan this QR code with an authenticator app (for example Aegis, Google Authenticator, 1Password or FreeOTP).</p>
<p>${await qrImage(enrolment.uri, 'QR code of your two-factor secret; the same secret is shown as text below')}</p></li>
<li><p>Or type the secret into the app by hand (time-based, 6 digits, every 30 seconds, account ${user.email}):</p>
<p><code id="totp-secret" class="secret">${enrolment.secret}</code> <button data-copy="#totp-secret" hidden>Copy</button></p></li>
<li><p>Enter the code the app shows now to confirm.</p>
<form method="post" action="${MFA}">
${csrfField(w)}
${field('Code', 'code', { required: true, autocomplete: 'one-time-code', inputmode: 'numeric', error: errors.code })}
<button type="submit">Turn on two-factor authentication</button>
</form></li>
</ol>
<h2>Start over</h2>
<p>Scanned it into the wrong app, or think someone saw the secret? A new secret replaces this one.</p>
${actionButton(w, `${MFA}/restart`, 'Make a new secret')}`,
  };
}

function recoveryCodesPage(w: WebRequest, codes: string[]): Page {
  noStore(w);
  return {
    title: 'Your recovery codes',
    section: 'profile',
    body: html`<h1>Two-factor authentication is on</h1>
<p class="notice" role="status">Save these recovery codes now, somewhere safe: this is the only time they are shown. Each one works once, in place of a code, if you lose your device.</p>
<pre id="recovery-codes" class="secret">${codes.join('\n')}</pre>
<p><button data-copy="#recovery-codes" hidden>Copy</button></p>
<p><a class="button" href="/dashboard">I saved them — continue to the dashboard</a></p>`,
  };
}

async function confirm(w: WebRequest): Promise<Outcome> {
  const userId = w.signedIn!.user.id;
  let codes: string[];
  try {
    ({ recoveryCodes: codes } = await w.services.team.confirmEnrolment(userId, w.form.get('code') ?? '', w.actor));
  } catch (err) {
    const errors = formErrors(err);
    return mfaPage(w, errors, errors._form ? 409 : 400);
  }
  return recoveryCodesPage(w, codes);
}

function restart(w: WebRequest): Outcome {
  if (!me(w).mfaEnabled) {
    w.services.team.beginEnrolment(w.signedIn!.user.id);
    w.flash('A new secret is ready: scan it again (the old one no longer works).');
  }
  return redirect(MFA);
}

async function disable(w: WebRequest): Promise<Outcome> {
  try {
    await w.services.team.disableMfa(w.signedIn!.user.id, w.form.get('code') ?? '', w.req.ip, w.actor);
  } catch (err) {
    const errors = formErrors(err);
    return mfaPage(w, errors, errors._form ? 409 : 400);
  }
  w.flash('Two-factor authentication is off.');
  return redirect(PROFILE);
}

export const PROFILE_ROUTES = [
  get(PROFILE, 'member', (w) => profilePage(w)),
  post(`${PROFILE}/name`, 'member', rename),
  post(`${PROFILE}/password`, 'member', changePassword),
  post(`${PROFILE}/sign-out-everywhere`, 'member', signOutElsewhere),
  get(MFA, 'enrol', (w) => mfaPage(w)),
  post(MFA, 'enrol', confirm),
  post(`${MFA}/restart`, 'enrol', restart),
  post(`${MFA}/disable`, 'member', disable),
];
