// The web dashboard (issue 9), mounted on the HTTP listener's fastify app under /dashboard (and
// /invite/<token> for invitation links). Server-rendered pages with progressive enhancement:
// every page is plain HTML that works without JavaScript; /dashboard/assets/app.js adds copy
// buttons, live password rules and the live inbox. No build step: what `npm start` serves is
// what is in src/web.
//
// Every request goes through one gate (`gate` below): the session from its cookie, the stage
// of that session (code still to come, must enrol, full), the route's access level, and — on
// every POST — the CSRF token and the Origin header. Handlers then only read and call services.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DiskFullError, ValidationError, WicketError } from '../errors.js';
import type { SignedIn } from '../dashboard/team.js';
import { type Outcome, type Page, Redirect, SENT, type WebDeps, type WebRequest, type WebRoute } from './context.js';
import { PRE_COOKIE, readCookie, SESSION_COOKIE, setCookie } from './cookies.js';
import { errorPage, renderPage } from './layout.js';
import { WEB_ROUTES } from './routes/index.js';

/** The paths the dashboard answers (the HTTP listener hands them to fastify). */
export const dashboardPath = (path: string): boolean => path === '/' || path === '/dashboard' || path.startsWith('/dashboard/') || path.startsWith('/invite/');

/** The page every dashboard response but a message's own HTML is served with. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "frame-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

const ASSETS: Record<string, { type: string; body: Buffer }> = {
  'style.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('./assets/style.css', import.meta.url)) },
  'app.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('./assets/app.js', import.meta.url)) },
};

const FORM_LIMIT = 1024 * 1024;
const NOTICES_MAX = 10_000;

/** Where each stage of a session may go; anywhere else it is sent to its page. */
const STAGE_HOME = { mfa: '/dashboard/sign-in/code', enrol: '/dashboard/profile/mfa' } as const;

const isSecure = (req: FastifyRequest): boolean => req.protocol === 'https';

/** A POST from another site: its Origin names another host (browsers send Origin on POST). */
function foreignOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

export async function registerDashboard(app: FastifyInstance, deps: WebDeps): Promise<void> {
  const notices = new Map<string, string>();
  const team = deps.services.team;

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => {
      done(null, new URLSearchParams(body.toString()));
    });
    scope.addHook('onSend', async (_req, reply, payload) => {
      if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', DASHBOARD_CSP);
      reply.header('x-content-type-options', 'nosniff');
      if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'same-origin');
      if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'SAMEORIGIN');
      return payload;
    });

    const send = (w: WebRequest, outcome: Outcome): FastifyReply | undefined => {
      if (outcome === SENT) return w.reply;
      if (outcome instanceof Redirect) return w.reply.redirect(outcome.location, outcome.status);
      return w.reply
        .status(outcome.status ?? 200)
        .type('text/html; charset=utf-8')
        .send(renderPage(w, outcome));
    };

    const pageFor = (err: unknown, req: FastifyRequest): Page => {
      if (err instanceof ValidationError) return errorPage(400, 'That did not work', err.message);
      // As the API: 507 Insufficient Storage (RFC 4918 §11.5), the change not made, reads go on.
      if (err instanceof DiskFullError) return errorPage(507, 'The disk is full', err.message);
      if (err instanceof WicketError) {
        const status = { invalid: 400, not_found: 404, conflict: 409, unavailable: 503 }[err.kind];
        return errorPage(status, status === 404 ? 'Not found' : 'That did not work', err.message);
      }
      const status = (err as { statusCode?: number }).statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        return errorPage(status, 'Bad request', status === 413 ? 'The form is larger than this server accepts.' : 'The request could not be read.');
      }
      // The path without an invitation's token (it opens an account).
      deps.log.error({ err, method: req.method, url: req.url.split('?')[0]!.replace(/^\/invite\/[^/]+/, '/invite/…') }, 'dashboard request failed');
      return errorPage(500, 'Something went wrong', 'The server could not finish this request; the server log has the details.');
    };

    /** The request's context before its route runs (also used by error pages). */
    const context = (req: FastifyRequest, reply: FastifyReply, signedIn: SignedIn | undefined, csrf: string): WebRequest => {
      const noticeKey = signedIn ? `s:${signedIn.session.id}` : `p:${csrf}`;
      // A notice set while signing in was filed under the browser's pre-sign-in token.
      const pre = readCookie(req, PRE_COOKIE);
      const found = [noticeKey, ...(signedIn && pre ? [`p:${pre}`] : [])].find((key) => notices.has(key));
      const notice = found === undefined ? undefined : notices.get(found);
      if (found !== undefined) notices.delete(found);
      return {
        req,
        reply,
        deps,
        services: deps.services,
        params: (req.params ?? {}) as Record<string, string>,
        query: (req.query ?? {}) as Record<string, string>,
        form: req.body instanceof URLSearchParams ? req.body : new URLSearchParams(),
        signedIn,
        csrf,
        application: undefined,
        actor: signedIn ? { type: 'user', id: signedIn.user.id } : { type: 'cli' },
        notice,
        flash: (message) => {
          if (notices.size >= NOTICES_MAX) notices.clear();
          notices.set(noticeKey, message);
        },
      };
    };

    /** The pre-sign-in token: from its cookie, or a new one set now. */
    const preToken = (req: FastifyRequest, reply: FastifyReply): string => {
      const existing = readCookie(req, PRE_COOKIE);
      if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
      const token = randomBytes(32).toString('base64url');
      setCookie(reply, PRE_COOKIE, token, { secure: isSecure(req) });
      return token;
    };

    const gate = async (route: WebRoute, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
      const signedIn = team.session(readCookie(req, SESSION_COOKIE));
      const csrf = signedIn ? signedIn.csrfToken : preToken(req, reply);
      const w = context(req, reply, signedIn, csrf);
      try {
        if (req.method === 'POST') {
          const presented = w.form.get('_csrf') ?? (req.headers['x-csrf-token'] as string | undefined);
          const ok = signedIn ? team.checkCsrf(signedIn, presented) : presented !== undefined && presented === readCookie(req, PRE_COOKIE);
          if (!ok || foreignOrigin(req)) {
            deps.log.warn({ path: req.url.split('?')[0], remote: req.ip }, 'dashboard form refused: missing or wrong CSRF token');
            return send(w, errorPage(403, 'Form refused', 'This form is out of date or did not come from this dashboard. Reload the page and try again.'));
          }
        }
        if (route.access !== 'public') {
          if (!signedIn) {
            if (req.method === 'GET') return send(w, new Redirect(`/dashboard/sign-in?next=${encodeURIComponent(req.url)}`));
            return send(w, errorPage(401, 'Signed out', 'Your session has ended. Sign in again.'));
          }
          const stage = signedIn.stage;
          const allowed = route.access === 'mfa' ? stage === 'mfa' : route.access === 'enrol' ? stage !== 'mfa' : stage === 'full';
          if (!allowed) {
            const home = stage === 'full' ? '/dashboard' : STAGE_HOME[stage];
            return send(w, new Redirect(home));
          }
          if (route.access === 'admin' && signedIn.user.role !== 'admin') {
            return send(w, errorPage(403, 'Admins only', 'Only an organization admin can open this page.'));
          }
        }
        const appId = w.params.app;
        if (appId !== undefined) w.application = deps.services.applications.resolve(appId);
        const outcome = await route.handler(w);
        // As the API does: a change is answered only once it is on disk (group commit).
        if (req.method === 'POST') await deps.services.store.durable();
        return send(w, outcome);
      } catch (err) {
        return send(w, pageFor(err, req));
      }
    };

    for (const route of WEB_ROUTES) {
      scope.route({ method: route.method, url: route.path, handler: (req, reply) => gate(route, req, reply) });
    }
    scope.get('/', (_req, reply) => reply.redirect('/dashboard', 302));
    scope.get('/dashboard/assets/:name', (req, reply) => {
      const asset = ASSETS[(req.params as { name: string }).name];
      if (!asset) return reply.status(404).type('text/plain').send('not found');
      return reply.header('cache-control', 'public, max-age=300').type(asset.type).send(asset.body);
    });
    // Unknown dashboard paths get the dashboard's 404 page (the API's is JSON).
    const notFound = (req: FastifyRequest, reply: FastifyReply) => {
      const w = context(req, reply, team.session(readCookie(req, SESSION_COOKIE)), '');
      return send(w, errorPage(404, 'Not found', `There is no page at ${req.url.split('?')[0]}.`));
    };
    scope.route({ method: ['GET', 'POST'], url: '/dashboard/*', handler: notFound });
    scope.route({ method: ['GET', 'POST'], url: '/invite/*', handler: notFound });
    scope.setErrorHandler((err, req, reply) => {
      const w = context(req, reply, team.session(readCookie(req, SESSION_COOKIE)), '');
      return send(w, pageFor(err, req));
    });
  });
}
