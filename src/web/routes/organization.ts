// Organization settings (admins only): name, contact email, the system account invitation
// mails are sent from, and the "require MFA for everyone" switch. The switch signs nobody out:
// members without MFA are made to enrol at their next sign-in (TeamService.updateOrganization).
import type { OrganizationPatch } from '../../store/store.js';
import { type Outcome, type Page, redirect, type WebRequest, get, post } from '../context.js';
import { actionButton, csrfField, field, type FieldErrors, formError, formErrors } from '../forms.js';
import { html } from '../html.js';

const PATH = '/dashboard/organization';

interface Values {
  name?: string;
  contact_email?: string;
  system_account_email?: string;
}

function organizationPage(w: WebRequest, errors: FieldErrors = {}, values: Values = {}, status = 200): Page {
  const team = w.services.team;
  const org = team.organization();
  const withoutMfa = team.listMembers().filter((m) => !m.mfaEnabled);
  return {
    title: 'Organization',
    section: 'organization',
    status,
    body: html`<h1>Organization</h1>
${formError(errors)}
<form method="post" action="${PATH}">
${csrfField(w)}
${field('Name', 'name', { value: values.name ?? org.name, required: true, autocomplete: 'organization', error: errors.name })}
${field('Contact email', 'contact_email', {
  type: 'email',
  value: values.contact_email ?? org.contactEmail ?? '',
  autocomplete: 'email',
  hint: 'Who to write to about this organization. Optional.',
  error: errors.contact_email,
})}
${field('System account', 'system_account_email', {
  type: 'email',
  value: values.system_account_email ?? org.systemAccountEmail ?? '',
  hint: 'The agent account invitation mails are sent from, such as noreply@yourdomain.example. It must exist already. Leave empty to send no mail (the invitation link is then shown to copy).',
  error: errors.system_account_email,
})}
<button type="submit">Save settings</button>
</form>

<h2>Require two-factor authentication</h2>
<p>Now: ${org.requireMfa ? html`<span class="badge ok">required</span> every member must use two-factor authentication.` : html`<span class="badge">not required</span>`}</p>
${
  withoutMfa.length > 0
    ? html`<p>${withoutMfa.length} member${withoutMfa.length === 1 ? ' has' : 's have'} no two-factor authentication: ${withoutMfa.map((m, i) => html`${i > 0 ? ', ' : ''}${m.email}`)}.${
        org.requireMfa ? '' : ' When it is required, they are made to set it up at their next sign-in. Nobody is signed out and nobody is emailed.'
      }</p>`
    : ''
}
${
  org.requireMfa
    ? actionButton(w, `${PATH}/require-mfa`, 'Stop requiring two-factor authentication', { fields: { require_mfa: 'off' }, confirm: 'Stop requiring two-factor authentication?' })
    : actionButton(w, `${PATH}/require-mfa`, 'Require two-factor authentication for everyone', {
        fields: { require_mfa: 'on' },
        confirm: 'Require two-factor authentication for every member? Members without it must set it up at their next sign-in.',
      })
}`,
  };
}

async function save(w: WebRequest): Promise<Outcome> {
  const values: Values = {
    name: w.form.get('name') ?? '',
    contact_email: w.form.get('contact_email') ?? '',
    system_account_email: w.form.get('system_account_email') ?? '',
  };
  const patch: OrganizationPatch = {
    name: values.name!,
    contactEmail: values.contact_email!.trim() === '' ? null : values.contact_email!,
    systemAccountEmail: values.system_account_email!.trim() === '' ? null : values.system_account_email!,
  };
  try {
    // The service records the change in the activity log.
    await w.services.team.updateOrganization(patch, w.actor);
  } catch (err) {
    return organizationPage(w, formErrors(err), values, 400);
  }
  w.flash('Organization settings saved.');
  return redirect(PATH);
}

async function requireMfa(w: WebRequest): Promise<Outcome> {
  const on = w.form.get('require_mfa') === 'on';
  await w.services.team.setRequireMfa(on, w.actor);
  w.flash(on ? 'Two-factor authentication is now required: members without it set it up at their next sign-in.' : 'Two-factor authentication is no longer required.');
  return redirect(PATH);
}

export const ORGANIZATION_ROUTES = [
  get(PATH, 'admin', (w) => organizationPage(w)),
  post(PATH, 'admin', save),
  post(`${PATH}/require-mfa`, 'admin', requireMfa),
];
