// What every dashboard handler receives, and what it may answer. Handlers are thin: they read
// the form, call one service, and render a page or redirect (ARCHITECTURE principle 1).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Actor, SignedIn } from '../dashboard/team.js';
import type { DeliveryPipeline } from '../delivery/pipeline.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import type { Application } from '../store/types.js';
import type { Html } from './html.js';

export interface WebDeps {
  services: Services;
  pipeline: DeliveryPipeline;
  config: Config;
  log: Logger;
}

/**
 * Who may open a route:
 * - `public`: anyone (sign-in, setup, invitation links);
 * - `mfa`: a session whose password was right and whose code is still to come;
 * - `enrol`: a signed-in member, even one who must enrol in MFA first (the enrol page, sign-out);
 * - `member`: a fully signed-in member; `admin`: an admin (members get 403).
 */
export type Access = 'public' | 'mfa' | 'enrol' | 'member' | 'admin';

export interface WebRequest {
  req: FastifyRequest;
  reply: FastifyReply;
  deps: WebDeps;
  services: Services;
  params: Record<string, string>;
  query: Record<string, string>;
  /** The posted form (application/x-www-form-urlencoded); empty on GET. */
  form: URLSearchParams;
  /** Present on every route but `public` ones (and on public ones when signed in). */
  signedIn: SignedIn | undefined;
  /** The token every form of this page must carry (hidden field `_csrf`). */
  csrf: string;
  /** The application named by `:app` in the path, when the route has one. */
  application: Application | undefined;
  /** The member, for the activity log. */
  actor: Actor;
  /** A one-time notice from the previous request (after a redirect). */
  notice: string | undefined;
  /** Sets the notice the next page shows (after a redirect). */
  flash(message: string): void;
}

/** A full page: the layout wraps `body`. */
export interface Page {
  title: string;
  body: Html;
  status?: number;
  /** Which navigation entry is current. */
  section?: string;
}

export class Redirect {
  constructor(
    readonly location: string,
    readonly status: 303 | 302 = 303,
  ) {}
}

export const redirect = (location: string): Redirect => new Redirect(location);

/** The handler sent the reply itself (a download, an SSE stream, a message's HTML). */
export const SENT = Symbol('sent');

export type Outcome = Page | Redirect | typeof SENT;

export interface WebRoute {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
  handler(w: WebRequest): Outcome | Promise<Outcome>;
}

/** Route modules export a list built with these. */
export const get = (path: string, access: Access, handler: WebRoute['handler']): WebRoute => ({ method: 'GET', path, access, handler });
export const post = (path: string, access: Access, handler: WebRoute['handler']): WebRoute => ({ method: 'POST', path, access, handler });

/** Every path inside an application: `/dashboard/apps/<id>/…`. */
export const appPath = (application: { id: string }, rest = ''): string => `/dashboard/apps/${encodeURIComponent(application.id)}${rest}`;
