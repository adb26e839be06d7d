// A REST API client for tests: real HTTP to the gateway's port, raw status and parsed JSON.
import type { TestGateway } from './gateway.js';

export interface ApiReply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A new API key of the default application (printed once, like the CLI does). */
export function apiKey(g: TestGateway, name = 'test'): string {
  return g.gateway.services.apiKeys.create(g.appId, name).secret;
}

export async function api<T = any>(
  g: TestGateway,
  key: string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiReply<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (key !== null) (init.headers as Record<string, string>).authorization = `Bearer ${key}`;
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Uint8Array || body instanceof FormData) init.body = body as any;
    else {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
  }
  const res = await fetch(`http://127.0.0.1:${g.ports.http}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: left as text
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** Replaces ids and times in an answer so it can be compared whole. */
export function masked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(masked);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (typeof v === 'string' && (k === 'id' || k.endsWith('_id')) && v.length > 0) return [k, '<id>'];
        if (typeof v === 'number' && (k.endsWith('_at') || k === 'date' || k === 'time')) return [k, '<time>'];
        return [k, masked(v)];
      }),
    );
  }
  return value;
}
