// Team members (admins only): the list with role, sign-in and MFA status; invite (the mail goes
// from the organization's system account through the delivery pipeline), re-send and revoke
// invitations; change a role, reset a member's MFA, remove a member (their sessions end with
// them). The last admin can be neither demoted nor removed: the service answers 409, shown as
// the form's error.
import type { InvitationLink } from '../../dashboard/team.js';
import type { WicketError } from '../../errors.js';
import type { TeamRole } from '../../store/store.js';
import { type Outcome, type Page, redirect, type WebRequest, get, post } from '../context.js';
import { actionButton, checkbox, csrfField, field, type FieldErrors, formError, formErrors } from '../forms.js';
import { html, type Html } from '../html.js';
import { requestOrigin, sendInvitationMail } from '../invitation-mail.js';
import { timeElement } from './activity.js';

const PATH = '/dashboard/team';

const STATUS: Record<WicketError['kind'], number> = { invalid: 400, not_found: 404, conflict: 409, unavailable: 503 };

type TeamForm = 'invite' | 'members' | 'invitations';

interface TeamPageState {
  errors?: FieldErrors;
  which?: TeamForm;
  values?: { name?: string; email?: string; admin?: boolean };
  /** An invitation whose mail did not go: its link, to pass on by hand. */
  unsent?: { link: InvitationLink; url: string; reason: string };
  status?: number;
}

function signInStatus(m: { signedIn: boolean; lastSignInAt: number | null }): Html {
  if (m.signedIn) return html`<span class="badge ok">signed in now</span>${m.lastSignInAt !== null ? html`<br><span class="hint">since ${timeElement(m.lastSignInAt)}</span>` : ''}`;
  return m.lastSignInAt !== null ? html`last ${timeElement(m.lastSignInAt)}` : html`never signed in`;
}

function unsentPanel(state: TeamPageState): Html {
  const unsent = state.unsent;
  if (!unsent) return html``;
  const { invitation } = unsent.link;
  return html`<section class="notice" role="status" aria-labelledby="unsent-title">
<h2 id="unsent-title">Invitation for ${invitation.email} created — no email was sent</h2>
<p>Why: ${unsent.reason}.</p>
<p>Send this link to ${invitation.name} yourself. It works once and expires ${timeElement(invitation.expiresAt)}; it is not shown again (re-send makes a new one).</p>
<p><code id="invite-link" class="secret">${unsent.url}</code> <button data-copy="#invite-link" hidden>Copy</button></p>
</section>`;
}

function teamPage(w: WebRequest, state: TeamPageState = {}): Page {
  const team = w.services.team;
  const members = team.listMembers();
  const invitations = team.listInvitations();
  const names = new Map(members.map((m) => [m.id, m.name]));
  const errorsFor = (form: TeamForm): FieldErrors => (state.which === form ? (state.errors ?? {}) : {});
  const inviteErrors = errorsFor('invite');
  const values = state.values ?? {};
  const self = w.signedIn!.user.id;
  if (state.unsent) w.reply.header('cache-control', 'no-store');
  return {
    title: 'Team',
    section: 'team',
    status: state.status ?? 200,
    body: html`<h1>Team</h1>
${unsentPanel(state)}
<h2 id="members-title">Members</h2>
${formError(errorsFor('members'))}
<table class="list" aria-labelledby="members-title">
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Sign-in</th><th scope="col">Two-factor</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
${members.map(
  (m) => html`<tr>
<td>${m.name}${m.id === self ? html` <span class="badge">you</span>` : ''}</td>
<td>${m.email}</td>
<td>${m.role === 'admin' ? 'Admin' : 'Member'}</td>
<td>${signInStatus(m)}</td>
<td>${m.mfaEnabled ? html`<span class="badge ok">on</span>` : html`<span class="badge bad">off</span>`}</td>
<td>
${
  m.role === 'admin'
    ? actionButton(w, `${PATH}/members/${encodeURIComponent(m.id)}/role`, 'Make member', { fields: { role: 'member' }, confirm: `Make ${m.email} a member? They lose access to the admin pages.` })
    : actionButton(w, `${PATH}/members/${encodeURIComponent(m.id)}/role`, 'Make admin', { fields: { role: 'admin' }, confirm: `Make ${m.email} an admin?` })
}
${
  m.mfaEnabled
    ? actionButton(w, `${PATH}/members/${encodeURIComponent(m.id)}/reset-mfa`, 'Reset two-factor', {
        confirm: `Reset two-factor authentication of ${m.email}? Their app and recovery codes stop working; they sign in with the password alone until they set it up again.`,
      })
    : ''
}
${actionButton(w, `${PATH}/members/${encodeURIComponent(m.id)}/remove`, 'Remove', {
  danger: true,
  confirm: `Remove ${m.email} from the team? Their sessions end at once.`,
})}
</td>
</tr>`,
)}
</tbody>
</table>

<h2>Invite someone</h2>
<p>They get an email with a link that works once and expires after 72 hours; it is sent from the system account set in <a href="/dashboard/organization">Organization</a>.</p>
${formError(inviteErrors)}
<form method="post" action="${PATH}/invite">
${csrfField(w)}
${field('Name', 'name', { value: values.name, required: true, autocomplete: 'off', error: inviteErrors.name })}
${field('Email', 'email', { type: 'email', value: values.email, required: true, autocomplete: 'off', error: inviteErrors.email })}
${checkbox('Admin (manages the organization, the team and the activity log)', 'admin', values.admin === true)}
${inviteErrors.role ? html`<p class="field-error">${inviteErrors.role}</p>` : ''}
<button type="submit">Send invitation</button>
</form>

<h2 id="invitations-title">Pending invitations</h2>
${formError(errorsFor('invitations'))}
${
  invitations.length === 0
    ? html`<p>None.</p>`
    : html`<table class="list" aria-labelledby="invitations-title">
<thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Invited by</th><th scope="col">Expires</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
${invitations.map(
  (i) => html`<tr>
<td>${i.email}</td>
<td>${i.name}</td>
<td>${i.role === 'admin' ? 'Admin' : 'Member'}</td>
<td>${i.invitedBy ? (names.get(i.invitedBy) ?? 'a removed member') : 'CLI'}</td>
<td>${i.expired ? html`<span class="badge bad">expired</span> ` : ''}${timeElement(i.expiresAt)}</td>
<td>
${actionButton(w, `${PATH}/invitations/${encodeURIComponent(i.id)}/resend`, 'Re-send', { confirm: `Send ${i.email} a new link? The old one stops working.` })}
${actionButton(w, `${PATH}/invitations/${encodeURIComponent(i.id)}/revoke`, 'Revoke', { danger: true, confirm: `Revoke the invitation of ${i.email}?` })}
</td>
</tr>`,
)}
</tbody>
</table>`
}`,
  };
}

/** Mails the link; when it cannot go, the page shows the link with the reason instead. */
async function deliver(w: WebRequest, link: InvitationLink, verb: string): Promise<Outcome> {
  const user = w.signedIn!.user;
  const origin = requestOrigin(w.req, w.deps.config.hostname);
  const result = await sendInvitationMail(w.deps, {
    link,
    origin,
    inviter: `${user.name} (${user.email})`,
    req: w.req,
  });
  if (!result.sent) return teamPage(w, { unsent: { link, url: origin + link.path, reason: result.reason } });
  w.flash(`Invitation ${verb} to ${link.invitation.email} from ${result.from}.`);
  return redirect(PATH);
}

function failed(w: WebRequest, err: unknown, which: TeamForm, values?: TeamPageState['values']): Page {
  const errors = formErrors(err);
  const kind = (err as WicketError).kind;
  return teamPage(w, { errors, which, values, status: STATUS[kind] ?? 400 });
}

async function invite(w: WebRequest): Promise<Outcome> {
  const values = { name: w.form.get('name') ?? '', email: w.form.get('email') ?? '', admin: w.form.get('admin') === 'on' };
  let link: InvitationLink;
  try {
    link = await w.services.team.invite({ name: values.name, email: values.email, role: values.admin ? 'admin' : 'member' }, w.actor);
  } catch (err) {
    return failed(w, err, 'invite', values);
  }
  return deliver(w, link, 'sent');
}

async function resend(w: WebRequest): Promise<Outcome> {
  let link: InvitationLink;
  try {
    link = await w.services.team.resend(w.params.id ?? '', w.actor);
  } catch (err) {
    return failed(w, err, 'invitations');
  }
  return deliver(w, link, 're-sent');
}

async function revoke(w: WebRequest): Promise<Outcome> {
  const id = w.params.id ?? '';
  const email = w.services.team.listInvitations().find((i) => i.id === id)?.email;
  try {
    await w.services.team.revokeInvitation(id, w.actor);
  } catch (err) {
    return failed(w, err, 'invitations');
  }
  w.flash(`Invitation of ${email ?? 'that person'} revoked; its link no longer works.`);
  return redirect(PATH);
}

async function changeRole(w: WebRequest): Promise<Outcome> {
  const id = w.params.id ?? '';
  const role = w.form.get('role') ?? '';
  let email: string;
  try {
    // The service refuses a role other than admin or member.
    ({ email } = await w.services.team.changeRole(id, role as TeamRole, w.actor));
  } catch (err) {
    return failed(w, err, 'members');
  }
  w.flash(`${email} is now ${role === 'admin' ? 'an admin' : 'a member'}.`);
  // An admin who made themselves a member can no longer open this page.
  return redirect(id === w.signedIn!.user.id && role !== 'admin' ? '/dashboard' : PATH);
}

async function resetMfa(w: WebRequest): Promise<Outcome> {
  let email: string;
  try {
    ({ email } = await w.services.team.resetMfa(w.params.id ?? '', w.actor));
  } catch (err) {
    return failed(w, err, 'members');
  }
  w.flash(`Two-factor authentication of ${email} is reset.`);
  return redirect(PATH);
}

async function remove(w: WebRequest): Promise<Outcome> {
  let email: string;
  try {
    // The service deletes the member's sessions with them.
    ({ email } = await w.services.team.remove(w.params.id ?? '', w.actor));
  } catch (err) {
    return failed(w, err, 'members');
  }
  w.flash(`${email} is removed from the team and signed out.`);
  return redirect(PATH);
}

export const TEAM_ROUTES = [
  get(PATH, 'admin', (w) => teamPage(w)),
  post(`${PATH}/invite`, 'admin', invite),
  post(`${PATH}/invitations/:id/resend`, 'admin', resend),
  post(`${PATH}/invitations/:id/revoke`, 'admin', revoke),
  post(`${PATH}/members/:id/role`, 'admin', changeRole),
  post(`${PATH}/members/:id/reset-mfa`, 'admin', resetMfa),
  post(`${PATH}/members/:id/remove`, 'admin', remove),
];
