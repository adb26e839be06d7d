// A raw SMTP client for exact transcripts: one call per command, the server's whole reply
// (all lines of a multi-line one) as it came, STARTTLS, and raw writes for hostile input.
import { Socket, connect as netConnect } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { upgradeToTls } from './tls-upgrade.js';
import { onTestFinished } from 'vitest';

export class SmtpLineClient {
  private buffer = '';
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(private socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  static async connect(port: number, opts: { tls?: boolean } = {}): Promise<{ client: SmtpLineClient; greeting: string }> {
    const socket = opts.tls
      ? tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : netConnect({ host: '127.0.0.1', port });
    const client = new SmtpLineClient(socket);
    onTestFinished(() => {
      client.socket.destroy();
    });
    const greeting = await client.reply();
    return { client, greeting };
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => {});
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** The next complete reply: lines up to one whose code is followed by a space. */
  async reply(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.buffer.split('\r\n');
      for (let i = 0; i < lines.length - 1; i++) {
        if (/^\d{3}( |$)/.test(lines[i]!)) {
          const reply = lines.slice(0, i + 1).join('\n');
          this.buffer = lines.slice(i + 1).join('\r\n');
          return reply;
        }
      }
      if (this.closed) throw new Error(`connection closed; unread: ${JSON.stringify(this.buffer)}`);
      if (Date.now() > deadline) throw new Error(`no reply within ${timeoutMs} ms; unread: ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Sends one command line and returns the reply. */
  async cmd(line: string): Promise<string> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Whatever arrives within `ms` (to prove that nothing does). */
  async drain(ms: number): Promise<string> {
    await new Promise((r) => setTimeout(r, ms));
    const rest = this.buffer;
    this.buffer = '';
    return rest;
  }

  /** STARTTLS (RFC 3207): the 220, then the handshake on the same socket. */
  async startTls(): Promise<string> {
    const ready = await this.cmd('STARTTLS');
    const secure = await upgradeToTls(this.socket as Socket);
    this.socket = secure;
    this.attach(secure);
    return ready;
  }

  /** Waits for the server to close the connection. */
  async closedByServer(timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  quit(): void {
    this.socket.end('QUIT\r\n');
  }
}

/** AUTH PLAIN initial response (RFC 4616). */
export const plain = (user: string, password: string): string => Buffer.from(`\0${user}\0${password}`).toString('base64');
