// A browser-less dashboard client for HTTP tests: a cookie jar, redirects not followed (so a
// test sees each 303), and the CSRF token read from the last page's forms.
import type { TestGateway } from './gateway.js';
import { PASSWORD } from './gateway.js';

export interface WebReply {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

export const TEAM_PASSWORD = 'correct horse battery staple';

export class WebClient {
  readonly cookies = new Map<string, string>();
  /** The `_csrf` of the last page that had a form. */
  csrf: string | undefined;

  constructor(readonly base: string) {}

  static for(g: TestGateway): WebClient {
    return new WebClient(`http://127.0.0.1:${g.ports.http}`);
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = decodeURIComponent(pair!.slice(eq + 1));
      if (/Max-Age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }

  async request(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<WebReply> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    const res = await fetch(`${this.base}${path}`, { method, headers, body: init.body, redirect: 'manual' });
    this.remember(res);
    const text = await res.text();
    const token = /name="_csrf" value="([^"]*)"/.exec(text);
    if (token) this.csrf = token[1];
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  get(path: string): Promise<WebReply> {
    return this.request('GET', path);
  }

  /** Posts a form; `_csrf` is the last page's token unless the fields set it (or `null` omits it). */
  post(path: string, fields: Record<string, string | null> = {}, headers: Record<string, string> = {}): Promise<WebReply> {
    const form = new URLSearchParams();
    if (!('_csrf' in fields) && this.csrf !== undefined) form.set('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) if (v !== null) form.append(k, v);
    return this.request('POST', path, { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  /** Signs in with email and password (and the code when asked); returns the last reply. */
  async signIn(email: string, password = TEAM_PASSWORD, code?: () => string): Promise<WebReply> {
    await this.get('/dashboard/sign-in');
    let reply = await this.post('/dashboard/sign-in', { email, password });
    if (reply.location === '/dashboard/sign-in/code' && code) {
      await this.get('/dashboard/sign-in/code');
      reply = await this.post('/dashboard/sign-in/code', { code: code() });
    }
    if (reply.location) await this.get(reply.location);
    return reply;
  }
}

/** Creates a team member directly through the service (as `wicket user create` does). */
export async function member(g: TestGateway, email: string, role: 'admin' | 'member' = 'admin', password = TEAM_PASSWORD) {
  return g.gateway.services.team.createUser({ email, password, role, name: email.split('@')[0] }, { type: 'cli' });
}

export { PASSWORD };
