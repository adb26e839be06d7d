// The REST API on fastify: request ids, API-key auth, zod validation of params, query and body,
// body size limits, and one error shape. Routes are declared in routes/ (see route.ts).
//
// Why fastify: it reads and limits bodies, gives every request an id, parses multipart through
// a maintained plugin (@fastify/multipart) and is fast — while letting the schemas stay zod, the
// single source for validation and for the OpenAPI document.
import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { type TlsMaterial, serverTlsOptions } from '../tls.js';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { DeliveryPipeline } from '../delivery/pipeline.js';
import { DiskFullError, WicketError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import type { ApiKey } from '../store/types.js';
import { ApiError, KIND_STATUS, typeForStatus, unauthorized } from './errors.js';
import { type AnyRoute, type ApiContext, NO_DATA, Paged } from './route.js';

export interface ApiDeps {
  services: Services;
  pipeline: DeliveryPipeline;
  config: Config;
  log: Logger;
}

/** Largest JSON body: a message with attachments, base64 (4/3) plus the JSON around it. */
export const jsonBodyLimit = (config: Config): number => Math.ceil(config.smtp.submissionMaxSize * 1.4) + 64 * 1024;

/** "settings.email: Invalid input: expected string, received undefined" — first three issues. */
export function describeIssues(where: string, error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return `${path || where}: ${issue.message}`;
    })
    .join('; ');
}

function parse(where: 'params' | 'query' | 'body', schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  if (where === 'body' && value === undefined && !schema.safeParse(undefined).success) {
    throw new ApiError(400, 'api.invalid_request_payload', 'a JSON body is required (Content-Type: application/json)');
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError(400, 'api.invalid_request_error', describeIssues(where, result.error));
  return result.data;
}

function authenticate(deps: ApiDeps, req: FastifyRequest): Promise<ApiKey> {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  const check = deps.services.apiKeys.verify(match?.[1] ?? (header ? '' : undefined), req.ip);
  deps.services.metrics.auth('api', check.ok ? 'ok' : check.reason);
  if (check.ok) return Promise.resolve(check.key);
  if (check.reason === 'throttled') {
    const seconds = Math.max(1, Math.ceil((check.retryAfterMs ?? 1000) / 1000));
    return Promise.reject(
      new ApiError(429, 'api.rate_limit_error', `too many failed API keys from this address; retry in ${seconds} s`, {
        'retry-after': String(seconds),
      }),
    );
  }
  if (check.reason !== 'missing') deps.log.warn({ remote: req.ip, reason: check.reason }, 'api key refused');
  // The delay grows with repeated failures (same curve as logins).
  return new Promise((_, reject) => setTimeout(() => reject(unauthorized()), check.delayMs));
}

/**
 * Whether a change is one for the activity log (issue 9): accounts, domains, workspaces,
 * policies, rules, lists and webhooks — not mail itself (messages, folders, attachments), which
 * would drown the log.
 */
const changesConfiguration = (path: string): boolean => !/\/(messages|folders|attachments)(\/|$)/.test(path);

const VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };

/** "grants.update" for PATCH /v3/grants/:grantId, with the id of the object named in the path. */
function recordActivity(deps: ApiDeps, key: ApiKey, spec: AnyRoute, req: FastifyRequest, result: unknown): void {
  const segments = spec.path.split('/').filter((s) => s !== '' && s !== 'v3' && !s.startsWith(':'));
  // POST /v3/connect/custom creates a grant; /v3/domains/:id/verify is "domains.verify".
  const connect = segments[0] === 'connect';
  const resource = connect ? 'grants' : (segments[0] ?? 'api');
  const verb = !connect && segments.length > 1 ? segments.slice(1).join('.') : (VERBS[spec.method] ?? spec.method.toLowerCase());
  const params = (req.params ?? {}) as Record<string, string>;
  const created = result && typeof result === 'object' && 'id' in result ? (result as { id: unknown }).id : undefined;
  const id = Object.values(params).at(-1) ?? (typeof created === 'string' ? created : null);
  deps.services.team.activity.record({ type: 'api_key', id: key.id, label: `${key.name} (${key.prefix}…)` }, `${resource}.${verb}`, {
    type: resource.replace(/s$/, ''),
    id,
    detail: { application_id: key.applicationId, method: spec.method, path: spec.path },
  });
}

/** A URL for the log: an invitation link's token and the setup page's token stay out of it (`/invite/accept` is a route, kept). */
export const loggableUrl = (url: string): string => url.replace(/^\/invite\/(?!accept(?:[/?]|$))[^/?]+/, '/invite/[token]').replace(/([?&]token=)[^&]*/g, '$1[token]');

function register(app: FastifyInstance, deps: ApiDeps, spec: AnyRoute): void {
  app.route({
    method: spec.method,
    url: spec.path,
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      const key = spec.auth === false ? null : await authenticate(deps, req);
      const applicationId = key ? key.applicationId : deps.services.defaultApplication.id;
      const ctx: ApiContext = { ...deps, applicationId, requestId: req.id };
      const input = {
        params: parse('params', spec.params, req.params),
        query: parse('query', spec.query, req.query),
        body: spec.multipart ? undefined : parse('body', spec.body, req.body),
        ctx,
        req,
        reply,
      };
      const result = await spec.handler(input);
      // A change is answered 2xx only once on disk (group commit); a failed sync is a 503.
      if (spec.method !== 'GET') {
        if (key && changesConfiguration(spec.path)) recordActivity(deps, key, spec, req, result);
        await deps.services.store.durable();
      }
      if (result === reply) return reply;
      if (result === NO_DATA) return { request_id: req.id };
      if (result instanceof Paged) return { request_id: req.id, data: result.data, next_cursor: result.nextCursor };
      return { request_id: req.id, data: result };
    },
  });
}

function errorAnswer(err: unknown, log: Logger, req: FastifyRequest): { status: number; type: string; message: string; headers: Record<string, string> } {
  if (err instanceof ApiError) return { status: err.status, type: err.type, message: err.message, headers: err.headers };
  // RFC 4918 §11.5: 507 Insufficient Storage — the server cannot store what the request needs.
  if (err instanceof DiskFullError) return { status: 507, type: typeForStatus(507), message: err.message, headers: {} };
  if (err instanceof WicketError) return { ...KIND_STATUS[err.kind], message: err.message, headers: {} };
  const fastifyError = err as Partial<FastifyError>;
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // The framework's own refusals: malformed JSON, too large, unsupported media type.
    let message = fastifyError.message ?? 'bad request';
    let type = typeForStatus(status);
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
      type = 'api.invalid_request_payload';
      message = `malformed JSON body: ${message}`;
    } else if (fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      type = 'api.invalid_request_payload';
      message = 'the body is empty but Content-Type is application/json: send a JSON object';
    } else if (status === 413) {
      message = 'the request body is larger than this server accepts';
    } else if (status === 415) {
      message = `unsupported Content-Type ${String(req.headers['content-type'] ?? '(none)')}: send application/json`;
    }
    return { status, type, message, headers: {} };
  }
  log.error({ err, method: req.method, url: req.url }, 'api request failed');
  return { status: 500, type: 'api.internal_error', message: 'internal error; see the server log', headers: {} };
}

export interface ApiOptions {
  routes: AnyRoute[];
  /** Requests for paths this does not claim go to the plain handler (client setup, health). */
  claims(path: string): boolean;
  fallback(req: IncomingMessage, res: ServerResponse): void;
  /** Serve HTTPS with this certificate (WICKET_HTTP_TLS); plain HTTP without. */
  tls?: TlsMaterial | undefined;
  /** Registers more on the app before it is ready (the dashboard). */
  extend?: (app: FastifyInstance) => Promise<void>;
}

/** Builds the fastify app and the node:http server it and the fallback share. */
export async function createApi(deps: ApiDeps, options: ApiOptions): Promise<{ app: FastifyInstance; server: Server }> {
  const app = Fastify({
    logger: false,
    bodyLimit: jsonBodyLimit(deps.config),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    serverFactory: (handler) => {
      const dispatch = (req: IncomingMessage, res: ServerResponse) => {
        const path = (req.url ?? '/').split('?')[0]!;
        if (options.claims(path)) handler(req, res);
        else options.fallback(req, res);
      };
      return options.tls ? createTlsServer(serverTlsOptions(options.tls), dispatch) : createServer(dispatch);
    },
  });
  // An empty JSON body is no body (SDKs send Content-Type: application/json on DELETE too);
  // anything else goes through fastify's parser, which refuses __proto__ and constructor keys.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body.toString();
    if (text.trim() === '') done(null, undefined);
    else jsonParser(req, text, done);
  });
  await app.register(multipart, {
    limits: { fileSize: deps.config.smtp.submissionMaxSize, files: 100, fields: 20, fieldSize: jsonBodyLimit(deps.config) },
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('cache-control', 'no-store');
  });
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, never the URL: ids and addresses stay out of metric labels.
    deps.services.metrics.httpRequest(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    deps.log.debug({ request_id: req.id, method: req.method, url: loggableUrl(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'api request');
  });
  app.setErrorHandler((err, req, reply) => {
    const answer = errorAnswer(err, deps.log, req);
    for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value);
    void reply.status(answer.status).send({ request_id: req.id, error: { type: answer.type, message: answer.message } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .status(404)
      .send({ request_id: req.id, error: { type: 'api.not_found_error', message: `no route for ${req.method} ${req.url.split('?')[0]}` } });
  });
  for (const spec of options.routes) register(app, deps, spec);
  if (options.extend) await options.extend(app);
  await app.ready();
  return { app, server: app.server };
}
