// A raw IMAP client for exact transcripts: `transact('UID FETCH 1:* (FLAGS)')` sends a tagged
// command and returns every untagged response and the tagged one, literals inline as sent.
import { type Socket, connect as netConnect } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { upgradeToTls } from './tls-upgrade.js';
import { onTestFinished } from 'vitest';

export interface Transcript {
  untagged: string[];
  tagged: string;
}

export class ImapLineClient {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private counter = 0;
  closed = false;

  private constructor(private socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  static async connect(port: number, opts: { tls?: boolean } = {}): Promise<{ client: ImapLineClient; greeting: string }> {
    const socket = opts.tls ? tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false }) : netConnect({ host: '127.0.0.1', port });
    const client = new ImapLineClient(socket);
    onTestFinished(() => {
      client.socket.destroy();
    });
    return { client, greeting: await client.response() };
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => {});
  }

  private async more(deadline: number): Promise<void> {
    if (this.closed) throw new Error(`connection closed; unread: ${JSON.stringify(this.buffer.toString())}`);
    if (Date.now() > deadline) throw new Error(`timed out; unread: ${JSON.stringify(this.buffer.toString())}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** One whole response line, with any literals it carries (`{n}\r\n` + n bytes) inline. */
  async response(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let at = 0;
    for (;;) {
      const lf = this.buffer.indexOf('\r\n', at);
      if (lf < 0) {
        await this.more(deadline);
        continue;
      }
      const line = this.buffer.subarray(at, lf).toString('latin1');
      const literal = /\{(\d+)\}$/.exec(line);
      if (literal) {
        const end = lf + 2 + Number(literal[1]);
        if (this.buffer.length < end) {
          await this.more(deadline);
          continue;
        }
        at = end;
        continue;
      }
      const text = this.buffer.subarray(0, lf).toString('utf8');
      this.buffer = this.buffer.subarray(lf + 2);
      return text;
    }
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  nextTag(): string {
    return `A${++this.counter}`;
  }

  /** Sends `tag text` and reads up to the tagged response. */
  async transact(text: string | Buffer, tag = this.nextTag()): Promise<Transcript> {
    this.write(Buffer.concat([Buffer.from(`${tag} `), Buffer.isBuffer(text) ? text : Buffer.from(text), Buffer.from('\r\n')]));
    return this.until(tag);
  }

  /** Reads responses until the one tagged `tag`. */
  async until(tag: string): Promise<Transcript> {
    const untagged: string[] = [];
    for (;;) {
      const line = await this.response();
      if (line.startsWith(`${tag} `)) return { untagged, tagged: line };
      untagged.push(line);
    }
  }

  /** Whatever arrives within `ms` (to prove that nothing does). */
  async drain(ms: number): Promise<string> {
    await new Promise((r) => setTimeout(r, ms));
    const rest = this.buffer.toString('utf8');
    this.buffer = Buffer.alloc(0);
    return rest;
  }

  async startTls(): Promise<Transcript> {
    const result = await this.transact('STARTTLS');
    const secure = await upgradeToTls(this.socket as Socket);
    this.socket = secure;
    this.attach(secure);
    return result;
  }

  async closedByServer(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Logged in over IMAP (plain, from loopback) as the account. */
export async function imapLogin(port: number, user: string, password: string): Promise<ImapLineClient> {
  const { client } = await ImapLineClient.connect(port);
  const result = await client.transact(`LOGIN "${user}" "${password.replace(/(["\\])/g, '\\$1')}"`);
  if (!result.tagged.includes('OK')) throw new Error(`login failed: ${result.tagged}`);
  return client;
}
