// The invitation email (issue 9): sent through Wicket's own delivery pipeline, as the API's
// send does (composeMessage + sendComposed: a Sent copy, local delivery or the outbound queue),
// from the organization's system account. When there is no system account, or the mail cannot
// go, the invitation still stands and the caller gets the reason to show with the link.
import type { FastifyRequest } from 'fastify';
import type { InvitationLink } from '../dashboard/team.js';
import type { PeerInfo } from '../delivery/trace.js';
import { DeliveryRefused } from '../delivery/refusal.js';
import { WicketError } from '../errors.js';
import { composeMessage, sendComposed } from '../messages/compose.js';
import type { WebDeps } from './context.js';

export type InvitationMailResult = { sent: true; from: string } | { sent: false; reason: string };

// A Host header as browsers send it: a DNS name or an address in brackets, and a port.
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The dashboard's origin as the browser reached it (the link must open the same dashboard);
 * a Host header of another shape falls back to the configured host name.
 */
export function requestOrigin(req: FastifyRequest, fallbackHost: string): string {
  const host = req.headers.host;
  return `${req.protocol}://${host && HOST.test(host) ? host : fallbackHost}`;
}

const utc = (seconds: number): string => new Date(seconds * 1000).toUTCString();

export interface InvitationMail {
  link: InvitationLink;
  /** `https://host:port`, without a trailing slash. */
  origin: string;
  /** Who invited, as the mail names them. */
  inviter: string;
  /** The admin's request: its address and protocol go in the Received trace field. */
  req: FastifyRequest;
}

export function invitationText(orgName: string, mail: InvitationMail): { subject: string; text: string } {
  const { invitation } = mail.link;
  const role = invitation.role === 'admin' ? 'an admin' : 'a member';
  return {
    subject: `You are invited to ${orgName} on Wicket`,
    text: [
      `Hello ${invitation.name},`,
      '',
      `${mail.inviter} invited you to join ${orgName} on Wicket as ${role}.`,
      '',
      'Accept the invitation and choose your password here:',
      '',
      `${mail.origin}${mail.link.path}`,
      '',
      `The link works once and expires on ${utc(invitation.expiresAt)}.`,
      'If you did not expect this invitation, you can ignore this email.',
      '',
    ].join('\r\n'),
  };
}

/** Sends the invitation from the system account; never throws for a mail that cannot go. */
export async function sendInvitationMail(deps: WebDeps, mail: InvitationMail): Promise<InvitationMailResult> {
  const { store, team, accounts } = deps.services;
  const org = team.organization();
  if (!org.systemAccountEmail) {
    return { sent: false, reason: 'no system account is set in the organization settings, so Wicket has no address to send it from' };
  }
  const account = accounts.findInOrganization(org.systemAccountEmail);
  if (!account) return { sent: false, reason: `the system account ${org.systemAccountEmail} does not exist any more` };
  const { invitation } = mail.link;
  const { subject, text } = invitationText(org.name, mail);
  const peer: PeerInfo = { address: mail.req.ip, helo: 'dashboard', protocol: mail.req.protocol === 'https' ? 'HTTPS' : 'HTTP', tls: null };
  try {
    const composed = await composeMessage(
      store,
      deps.pipeline,
      account,
      { to: [{ name: invitation.name, email: invitation.email }], subject, body: text, isPlaintext: true },
      new Date(),
    );
    await sendComposed(store, deps.pipeline, account, composed, peer);
    // With the relay off (the default), mail to another server waits in the queue: the admin
    // must hand the link over, or nobody will ever see it.
    if (deps.config.relay.mode === 'none' && !accounts.findInOrganization(invitation.email)) {
      return {
        sent: false,
        reason: `the mail to ${invitation.email} is held in the outbound queue, because outbound relay is off (WICKET_RELAY=none); set WICKET_RELAY to deliver it`,
      };
    }
    return { sent: true, from: account.email };
  } catch (err) {
    // The invitation's id, never its link: the token stays out of the log.
    if (err instanceof WicketError || err instanceof DeliveryRefused) {
      deps.log.warn({ invitation: invitation.id, from: account.email, reason: err.message }, 'invitation mail not sent');
      return { sent: false, reason: `the mail from ${account.email} was refused: ${err.message}` };
    }
    deps.log.error({ err, invitation: invitation.id, from: account.email }, 'invitation mail failed');
    return { sent: false, reason: 'the mail could not be sent (the server log has the details)' };
  }
}
