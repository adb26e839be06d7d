// The HTTP listener: the REST API (/v3, on fastify — see app.ts) and, beside it on the same
// port, health, readiness, client setup (autoconfig, Autodiscover, Apple profile) and the web
// dashboard (src/web).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ClientSetupService } from '../accounts/client-setup.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import type { TlsMaterial } from '../tls.js';
import { VERSION } from '../version.js';
import { type ApiDeps, createApi } from './app.js';
import { routeClientSetup } from './client-setup/routes.js';
import { openApiRoutes } from './openapi.js';
import { sendJson } from './respond.js';
import { ROUTES } from './routes/index.js';
import { dashboardPath, registerDashboard } from '../web/dashboard.js';

export interface HttpDeps extends ApiDeps {
  /** The certificate, served when WICKET_HTTP_TLS is on. */
  tls?: TlsMaterial;
  store: Store;
  log: Logger;
  /** False once shutdown begins, so load balancers stop sending traffic. */
  isAccepting: () => boolean;
  clientSetup: ClientSetupService;
}

function route(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): void | Promise<void> {
  const url = new URL(req.url ?? '/', 'http://wicket.invalid');
  const path = url.pathname;
  const clientSetup = routeClientSetup(req, res, url, deps.clientSetup);
  if (clientSetup !== false) return clientSetup === true ? undefined : clientSetup;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendJson(res, 405, { error: { type: 'method_not_allowed', message: `${req.method} is not allowed on ${path}` } });
    return;
  }
  switch (path) {
    case '/healthz':
      // Liveness: the process answers.
      sendJson(res, 200, { status: 'ok', version: VERSION });
      return;
    case '/readyz': {
      // Readiness: the store answers and the server is not shutting down.
      const ready = deps.isAccepting() && deps.store.ping();
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable' });
      return;
    }
    default:
      sendJson(res, 404, { error: { type: 'not_found', message: `no route for ${path}` } });
  }
}

/** The paths the REST API answers; everything else is the plain router above. */
const apiPath = (path: string): boolean => path === '/v3' || path.startsWith('/v3/') || path === '/metrics';

export async function createHttpServer(deps: HttpDeps): Promise<Server> {
  const fallback = (req: IncomingMessage, res: ServerResponse) => {
    const fail = (err: unknown) => {
      deps.log.error({ err, path: req.url }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: { type: 'internal_error', message: 'internal error' } });
      else res.destroy();
    };
    try {
      const done = route(req, res, deps);
      if (done instanceof Promise) done.catch(fail);
    } catch (err) {
      fail(err);
    }
  };
  const { server } = await createApi(deps, {
    routes: [...ROUTES, ...openApiRoutes(ROUTES)],
    claims: (path) => apiPath(path) || dashboardPath(path),
    fallback,
    tls: deps.config.httpTls ? deps.tls : undefined,
    extend: (app) => registerDashboard(app, deps),
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  return server;
}
