// The HTTP listener: health and readiness now; the REST API, autoconfig and the dashboard
// mount their routes here in later issues.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { VERSION } from '../version.js';

export interface HttpDeps {
  store: Store;
  log: Logger;
  /** False once shutdown begins, so load balancers stop sending traffic. */
  isAccepting: () => boolean;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function route(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): void {
  const path = new URL(req.url ?? '/', 'http://wicket.invalid').pathname;
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

export function createHttpServer(deps: HttpDeps): Server {
  const server = createServer((req, res) => {
    try {
      route(req, res, deps);
    } catch (err) {
      deps.log.error({ err, path: req.url }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: { type: 'internal_error', message: 'internal error' } });
      else res.destroy();
    }
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  return server;
}
