// Login attempts as an attacker makes them, one call per guess, over IMAP (LOGIN and
// AUTHENTICATE PLAIN), SMTP (AUTH PLAIN and AUTH LOGIN) and the REST API (Bearer keys), from a
// chosen loopback source address. Each attempt says whether the server evaluated the
// credentials (a "wrong password" answer), refused without evaluating them (throttled: IMAP
// BYE [UNAVAILABLE], SMTP 421, HTTP 429 — at the greeting or after the command), or logged in.
import { request } from 'node:http';
import { Raw, quoted, saslPlain } from './net.js';

export type Outcome = { kind: 'evaluated' | 'refused' | 'ok'; text: string; ms: number };

export interface Attempts {
  attempt(user: string, password: string, variant: number): Promise<Outcome>;
  close(): void;
}

/** One kept connection per client, opened again when the server closed it. */
abstract class ConnectionAttempts implements Attempts {
  protected conn: Raw | null = null;

  constructor(
    protected readonly port: number,
    protected readonly localAddress: string,
  ) {}

  abstract attempt(user: string, password: string, variant?: number): Promise<Outcome>;

  /** Forgets the connection (the next attempt opens a new one). */
  protected drop(conn: Raw | null = this.conn): void {
    conn?.destroy();
    this.conn = null;
  }

  close(): void {
    this.drop();
  }
}

/** IMAP: even variants LOGIN, odd ones AUTHENTICATE PLAIN with an initial response (SASL-IR). */
export class ImapAttempts extends ConnectionAttempts {
  private n = 0;

  async attempt(user: string, password: string, variant = 0): Promise<Outcome> {
    // `ms` times the command that carries the password (or the refused greeting).
    let started = performance.now();
    const done = (kind: Outcome['kind'], text: string): Outcome => ({ kind, text, ms: performance.now() - started });
    if (!this.conn || this.conn.closed) {
      this.drop();
      const conn = await Raw.open(this.port, { localAddress: this.localAddress });
      const greeting = await conn.line();
      if (greeting.startsWith('* BYE')) {
        this.drop(conn);
        return done('refused', greeting);
      }
      this.conn = conn;
    }
    const conn = this.conn;
    const tag = `g${++this.n}`;
    const command = variant % 2 === 0 ? `LOGIN ${quoted(user)} ${quoted(password)}` : `AUTHENTICATE PLAIN ${saslPlain(user, password)}`;
    started = performance.now();
    conn.write(`${tag} ${command}\r\n`);
    const line = await conn.line(30_000);
    if (line.startsWith(`${tag} NO `)) return done('evaluated', line.slice(tag.length + 1));
    if (line.startsWith(`${tag} OK `)) {
      conn.write('z LOGOUT\r\n');
      this.drop();
      return done('ok', line.slice(tag.length + 1));
    }
    if (line.startsWith('* BYE ')) {
      this.drop();
      return done('refused', line);
    }
    throw new Error(`IMAP: unexpected answer to ${command.split(' ')[0]}: ${line}`);
  }
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** SMTP submission: even variants AUTH PLAIN, odd ones AUTH LOGIN. */
export class SmtpAttempts extends ConnectionAttempts {
  async attempt(user: string, password: string, variant = 0): Promise<Outcome> {
    // `ms` times the line that carries the password (or the refused greeting).
    let started = performance.now();
    const done = (kind: Outcome['kind'], text: string): Outcome => ({ kind, text, ms: performance.now() - started });
    for (;;) {
      if (!this.conn || this.conn.closed) {
        this.drop();
        const conn = await Raw.open(this.port, { localAddress: this.localAddress });
        const greeting = await conn.reply();
        if (greeting.startsWith('421')) {
          this.drop(conn);
          return done('refused', greeting);
        }
        const ehlo = await conn.cmd('EHLO attacker.example');
        if (!ehlo.startsWith('250')) throw new Error(`SMTP: EHLO refused: ${ehlo}`);
        this.conn = conn;
      }
      const conn = this.conn;
      let reply: string;
      if (variant % 2 === 0) {
        started = performance.now();
        reply = await conn.cmd(`AUTH PLAIN ${saslPlain(user, password)}`);
      } else {
        const first = await conn.cmd('AUTH LOGIN');
        reply = first.startsWith('334') ? await conn.cmd(b64(user)) : first;
        started = performance.now();
        if (reply.startsWith('334')) reply = await conn.cmd(b64(password));
      }
      if (reply.startsWith('535')) return done('evaluated', reply);
      if (reply.startsWith('235')) {
        conn.write('QUIT\r\n');
        this.drop();
        return done('ok', reply);
      }
      if (reply.startsWith('421')) {
        this.drop();
        if (/failed logins/.test(reply)) return done('refused', reply);
        // smtp-server's own cap on commands before AUTH (the AUTH LOGIN lines count): a new
        // connection, and the same guess again.
        if (/unauthenticated commands/.test(reply)) continue;
      }
      throw new Error(`SMTP: unexpected reply to AUTH: ${reply}`);
    }
  }
}

export interface HttpReply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One HTTP request from a chosen source address (fetch cannot pick one). */
export function httpGet(port: number, path: string, headers: Record<string, string>, localAddress?: string): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** REST API: the password is the Bearer key; the user is ignored (a key names no account). */
export class ApiAttempts implements Attempts {
  constructor(
    private readonly port: number,
    private readonly localAddress: string,
  ) {}

  async attempt(_user: string, key: string): Promise<Outcome> {
    const started = performance.now();
    const res = await httpGet(this.port, '/v3/grants', { authorization: `Bearer ${key}` }, this.localAddress);
    const ms = performance.now() - started;
    if (res.status === 401) return { kind: 'evaluated', text: `${res.status} ${withoutRequestId(res.body)}`, ms };
    if (res.status === 429) return { kind: 'refused', text: `${res.status} ${withoutRequestId(res.body)}`, ms };
    if (res.status === 200) return { kind: 'ok', text: '200', ms };
    throw new Error(`API: unexpected ${res.status} ${res.body}`);
  }

  close(): void {}
}

/** An API error body without its request_id, so two answers can be compared. */
export function withoutRequestId(body: string): string {
  try {
    const parsed = JSON.parse(body) as { request_id?: string };
    delete parsed.request_id;
    return JSON.stringify(parsed);
  } catch {
    return body;
  }
}
