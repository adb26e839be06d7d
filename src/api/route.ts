// How a REST route is declared: method, path, zod schemas for params, query and body (the one
// source for validation and for /v3/openapi.json), and a thin handler that calls the services.
// Handlers return the `data` of the answer; the app wraps it as {"request_id", "data"}.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Config } from '../config.js';
import type { DeliveryPipeline } from '../delivery/pipeline.js';
import { NotFoundError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import type { Account } from '../store/types.js';
import { ApiError } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What every handler gets: the services, and who is calling. */
export interface ApiContext {
  services: Services;
  pipeline: DeliveryPipeline;
  config: Config;
  log: Logger;
  /** The application the API key belongs to; every object a route touches must be in it. */
  applicationId: string;
  requestId: string;
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface HandlerInput<P, Q, B> {
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  ctx: ApiContext;
  req: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: HttpMethod;
  /** Fastify syntax: '/v3/grants/:grantId/messages/:messageId'. */
  path: string;
  /** The OpenAPI tag (section of the reference page). */
  tag: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The shape of `data` in a success answer (documentation only). */
  response?: z.ZodType;
  /** A route that answers something other than the JSON envelope: its media type (documentation only). */
  produces?: string;
  /** The handler reads a multipart/form-data body itself (`req.parts()`). */
  multipart?: boolean;
  /** False for the few routes that need no API key. */
  auth?: false;
  handler(input: HandlerInput<P, Q, B>): unknown;
}

export type AnyRoute = RouteSpec<any, any, any>;

/** Declares a route with its types inferred from its schemas. */
export function route<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<P, Q, B>): AnyRoute {
  return spec as AnyRoute;
}

/** A page of a list: answered as {"request_id", "data", "next_cursor"}. */
export class Paged {
  constructor(
    readonly data: unknown[],
    readonly nextCursor: string | null,
  ) {}
}

export const paged = (data: unknown[], nextCursor: string | null): Paged => new Paged(data, nextCursor);

/** A success without data (deletes): answered as {"request_id"}. */
export const NO_DATA: unique symbol = Symbol('no data');

/** The grant (account) named in the path, by id or address; 404 unless it is the caller's. */
export function grantOf(ctx: ApiContext, ref: string): Account {
  try {
    return ctx.services.accounts.get(ctx.applicationId, ref);
  } catch (err) {
    if (err instanceof NotFoundError) throw new ApiError(404, 'api.not_found_error', `grant ${ref} not found`);
    throw err;
  }
}
