// Cookies without a dependency: parse the Cookie header, write Set-Cookie (RFC 6265 §4.1).
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'wicket_session';
/** Double-submit token for the forms shown before sign-in (sign-in, setup, invitation). */
export const PRE_COOKIE = 'wicket_pre';

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  secure: boolean;
}

/** HttpOnly, SameSite=Lax, Path=/, Secure when served over TLS. */
export function setCookie(reply: FastifyReply, name: string, value: string, options: CookieOptions): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`);
  if (options.secure) parts.push('Secure');
  const previous = reply.getHeader('set-cookie');
  const list = Array.isArray(previous) ? previous.map(String) : previous ? [String(previous)] : [];
  reply.header('set-cookie', [...list, parts.join('; ')]);
}

export const clearCookie = (reply: FastifyReply, name: string, secure: boolean): void => setCookie(reply, name, '', { maxAgeSeconds: 0, secure });
