// Raw client sockets for the hostile-input tests: any loopback source address (Linux routes
// all of 127/8 to lo, so 127.0.5.9 is a different "remote" to the server), lines and SMTP
// replies out of a byte buffer, STARTTLS by hand, and the moment the server closes observed.
// Every socket opened here is destroyed by closeAll() (call it in afterEach).
import { type Socket, connect as netConnect } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { upgradeToTls } from '../helpers/tls-upgrade.js';

const OPEN = new Set<Raw>();

/** The n-th test source address in 127.<block>.x.y (n ≥ 1; never 127.0.0.1). */
export function loopback(block: number, n: number): string {
  return `127.${block}.${(n >> 8) & 255}.${n & 255}`;
}

export interface RawOptions {
  localAddress?: string;
  tls?: boolean;
}

export class Raw {
  buffer: Buffer = Buffer.alloc(0);
  closed = false;
  /** When the server closed the connection (performance.now()). */
  closedAt = 0;
  private waiters: (() => void)[] = [];

  private constructor(public socket: Socket | TLSSocket) {
    OPEN.add(this);
    this.attach(socket);
  }

  /** Connects to 127.0.0.1:port; resolves once connected (and, with tls, once the handshake is done). */
  static open(port: number, opts: RawOptions = {}): Promise<Raw> {
    const target = { host: '127.0.0.1', port, localAddress: opts.localAddress };
    const socket = opts.tls ? tlsConnect({ ...target, rejectUnauthorized: false }) : netConnect(target);
    const raw = new Raw(socket);
    return new Promise((resolve, reject) => {
      socket.once(opts.tls ? 'secureConnect' : 'connect', () => resolve(raw));
      socket.once('error', (err) => {
        raw.destroy();
        reject(err);
      });
    });
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.on('data', (d: Buffer) => {
      this.buffer = this.buffer.length === 0 ? d : Buffer.concat([this.buffer, d]);
      this.wake();
    });
    socket.on('close', () => {
      if (!this.closed) this.closedAt = performance.now();
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async more(deadline: number, what: string): Promise<void> {
    if (this.closed) throw new Error(`connection closed while waiting for ${what}; unread: ${JSON.stringify(this.text())}`);
    if (performance.now() > deadline) throw new Error(`no ${what} in time; unread: ${JSON.stringify(this.text())}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, deadline - performance.now()));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private text(): string {
    return this.buffer.subarray(0, 300).toString('latin1');
  }

  /** The next CRLF-terminated line (no literal handling: these exchanges carry none). */
  async line(timeoutMs = 10_000): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end >= 0) {
        const line = this.buffer.subarray(0, end).toString('latin1');
        this.buffer = this.buffer.subarray(end + 2);
        return line;
      }
      await this.more(deadline, 'line');
    }
  }

  /** The next line, or null when the server closes first. */
  async lineOrClose(timeoutMs = 10_000): Promise<string | null> {
    try {
      return await this.line(timeoutMs);
    } catch (err) {
      if (this.closed && this.buffer.indexOf('\r\n') < 0) return null;
      throw err;
    }
  }

  /** Reads lines up to the one starting with `tag ` (IMAP); returns them all, the tagged one last. */
  async until(tag: string, timeoutMs = 10_000): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.line(timeoutMs);
      lines.push(line);
      if (line.startsWith(`${tag} `)) return lines;
    }
  }

  /** One whole SMTP reply (all lines of a multi-line one, joined by \n). */
  async reply(timeoutMs = 10_000): Promise<string> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.line(timeoutMs);
      lines.push(line);
      if (/^\d{3}( |$)/.test(line)) return lines.join('\n');
    }
  }

  /** Sends a line and returns the SMTP reply. */
  async cmd(line: string): Promise<string> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  /** Bytes received by other means (a decompressor's output) join the buffer. */
  feed(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    this.wake();
  }

  write(data: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  /** Whatever arrives within `ms` (to prove that nothing does). */
  async quiet(ms: number): Promise<string> {
    await new Promise((r) => setTimeout(r, ms));
    const rest = this.buffer.toString('latin1');
    this.buffer = Buffer.alloc(0);
    return rest;
  }

  /** TLS on this same socket, as a client does after the server's go-ahead for STARTTLS. */
  async upgrade(): Promise<void> {
    this.socket.removeAllListeners('close');
    const secure = await upgradeToTls(this.socket as Socket);
    this.socket = secure;
    this.attach(secure);
  }

  /** Whether the server closes the connection within `timeoutMs`. */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!this.closed && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(200, Math.max(1, deadline - performance.now())));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closed;
  }

  destroy(): void {
    OPEN.delete(this);
    this.socket.destroy();
  }
}

/** Destroys every socket opened through Raw that is still open. */
export function closeAll(): void {
  for (const raw of [...OPEN]) raw.destroy();
}

/** AUTH PLAIN / AUTHENTICATE PLAIN initial response (RFC 4616). */
export const saslPlain = (user: string, password: string): string => Buffer.from(`\0${user}\0${password}`).toString('base64');

/** An IMAP quoted string (RFC 3501 §4.3). */
export const quoted = (s: string): string => `"${s.replace(/(["\\])/g, '\\$1')}"`;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
