// The one way Wicket calls a webhook endpoint (challenge, deliveries, tests): node:http(s)
// with a deadline, no redirects, no connection reuse, and the deny-list applied to the address
// actually connected to — an IP literal before connecting, a name inside the resolver hook.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { DenyList } from './deny-list.js';

export interface EndpointRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers?: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  deny: DenyList;
  /** Bytes of the response body to keep (the rest is read and dropped). */
  maxBody?: number;
  signal?: AbortSignal;
}

export interface EndpointResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type EndpointFailure = 'timeout' | 'network' | 'denied' | 'aborted';

export class EndpointError extends Error {
  constructor(
    readonly reason: EndpointFailure,
    message: string,
  ) {
    super(message);
    this.name = 'EndpointError';
  }
}

/** The URL's host as an address, when it is an IP literal ("[::1]" → "::1"). */
function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : null;
}

export function deniedMessage(host: string, address: string, range: string): string {
  return host === address
    ? `${address} is inside ${range}, which WICKET_WEBHOOK_DENY refuses`
    : `${host} resolves to ${address}, inside ${range}, which WICKET_WEBHOOK_DENY refuses`;
}

/** A resolver hook that refuses a name any of whose addresses is denied. */
function guardedLookup(deny: DenyList): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return (callback as (e: Error) => void)(err);
      for (const a of addresses) {
        const range = deny.match(a.address);
        if (range) return (callback as (e: Error) => void)(new EndpointError('denied', deniedMessage(hostname, a.address, range.text)));
      }
      if ((options as { all?: boolean }).all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return (callback as (e: Error) => void)(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }));
      (callback as (e: null, a: string, f: number) => void)(null, first.address, first.family);
    });
  };
}

export function callEndpoint(req: EndpointRequest): Promise<EndpointResponse> {
  return new Promise((resolve, reject) => {
    const literal = literalAddress(req.url);
    if (literal) {
      const range = req.deny.match(literal);
      if (range) return reject(new EndpointError('denied', deniedMessage(literal, literal, range.text)));
    }
    if (req.signal?.aborted) return reject(new EndpointError('aborted', 'stopped'));
    const request = (req.url.protocol === 'https:' ? httpsRequest : httpRequest)(req.url, {
      method: req.method,
      headers: {
        'user-agent': 'Wicket-Webhooks/1.0',
        ...(req.body ? { 'content-length': String(req.body.length) } : {}),
        ...req.headers,
      },
      agent: false,
      lookup: req.deny.empty ? undefined : guardedLookup(req.deny),
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const fail = (err: EndpointError) => {
      finish(() => reject(err));
      request.destroy();
    };
    const timer = setTimeout(() => fail(new EndpointError('timeout', `no answer within ${req.timeoutMs} ms`)), req.timeoutMs);
    const onAbort = () => fail(new EndpointError('aborted', 'stopped'));
    req.signal?.addEventListener('abort', onAbort);
    request.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof EndpointError) return fail(err);
      fail(new EndpointError('network', err.code ? `${err.code}${err.message.includes(err.code) ? '' : `: ${err.message}`}` : err.message));
    });
    request.on('response', (res) => {
      const max = req.maxBody ?? 0;
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        if (kept < max) {
          chunks.push(chunk.subarray(0, max - kept));
          kept += Math.min(chunk.length, max - kept);
        }
      });
      res.on('error', (err: NodeJS.ErrnoException) => fail(new EndpointError('network', err.message)));
      res.on('end', () => finish(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })));
    });
    request.end(req.body);
  });
}
