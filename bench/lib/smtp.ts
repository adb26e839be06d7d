// A minimal SMTP client on raw sockets for load generation (no nodemailer in the measured path):
// EHLO, AUTH PLAIN, then MAIL/RCPT/DATA on one connection for many messages, pipelined
// (RFC 2920) when the server advertises PIPELINING. The message is dot-stuffed once by the
// caller (dotStuff) and sent as one write with its terminator.
import { type Socket, connect } from 'node:net';

export class SmtpError extends Error {}

export interface SmtpReply {
  code: number;
  text: string;
}

export class RawSmtp {
  private buffer = '';
  private waiter: (() => void) | null = null;
  private closed = false;
  /** Extensions from the last EHLO, upper-cased keywords. */
  extensions = new Set<string>();

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.setNoDelay(true);
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {
      this.closed = true;
      this.wake();
    });
  }

  static async connect(port: number): Promise<RawSmtp> {
    const client = new RawSmtp(connect({ host: '127.0.0.1', port }));
    const greeting = await client.reply();
    if (greeting.code !== 220) throw new SmtpError(`unexpected greeting: ${greeting.text.trim()}`);
    return client;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Reads one (possibly multi-line) reply: lines "ddd-…" up to the line "ddd …". */
  async reply(): Promise<SmtpReply> {
    let from = 0;
    for (;;) {
      const lineEnd = this.buffer.indexOf('\r\n', from);
      if (lineEnd >= 0) {
        // A last line is "ddd" followed by a space or nothing.
        if (this.buffer.charCodeAt(from + 3) !== 0x2d /* - */) {
          const text = this.buffer.slice(0, lineEnd + 2);
          this.buffer = this.buffer.slice(lineEnd + 2);
          return { code: Number(text.slice(from, from + 3)), text };
        }
        from = lineEnd + 2;
        continue;
      }
      if (this.closed) throw new SmtpError(`connection closed; last bytes: ${this.buffer.slice(-200)}`);
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private async expect(code: number, what: string): Promise<SmtpReply> {
    const r = await this.reply();
    if (r.code !== code) throw new SmtpError(`${what}: expected ${code}, got ${r.text.trim()}`);
    return r;
  }

  async ehlo(name = 'bench.client'): Promise<void> {
    this.socket.write(`EHLO ${name}\r\n`);
    const r = await this.expect(250, 'EHLO');
    this.extensions = new Set(
      r.text
        .split('\r\n')
        .slice(1)
        .filter(Boolean)
        .map((line) => line.slice(4).split(' ')[0]!.toUpperCase()),
    );
  }

  async authPlain(user: string, password: string): Promise<void> {
    this.socket.write(`AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}\r\n`);
    await this.expect(235, 'AUTH PLAIN');
  }

  /**
   * One transaction; `data` (its parts concatenated) must already be dot-stuffed and end with
   * CRLF (dotStuff). Returns the milliseconds from the write of the message and its terminating
   * "." line (one segment) to the final reply (250).
   */
  async send(from: string, to: string, data: readonly Buffer[]): Promise<number> {
    const envelope = `MAIL FROM:<${from}>\r\nRCPT TO:<${to}>\r\nDATA\r\n`;
    if (this.extensions.has('PIPELINING')) {
      this.socket.write(envelope);
      await this.expect(250, 'MAIL FROM');
      await this.expect(250, 'RCPT TO');
      await this.expect(354, 'DATA');
    } else {
      const [mail, rcpt, dataCmd] = envelope.split('\r\n');
      this.socket.write(`${mail}\r\n`);
      await this.expect(250, 'MAIL FROM');
      this.socket.write(`${rcpt}\r\n`);
      await this.expect(250, 'RCPT TO');
      this.socket.write(`${dataCmd}\r\n`);
      await this.expect(354, 'DATA');
    }
    const start = performance.now();
    this.socket.cork();
    for (const part of data) this.socket.write(part);
    this.socket.write('.\r\n');
    this.socket.uncork();
    await this.expect(250, 'end of DATA');
    return performance.now() - start;
  }

  async quit(): Promise<void> {
    this.socket.write('QUIT\r\n');
    await this.reply().catch(() => undefined);
    this.socket.destroy();
  }

  close(): void {
    this.socket.destroy();
  }
}

/** RFC 5321 §4.5.2: a line starting with "." gets one more; ensures a final CRLF. */
export function dotStuff(message: Buffer): Buffer {
  let text = message.toString('latin1');
  if (!text.endsWith('\r\n')) text += '\r\n';
  return Buffer.from(text.replace(/(^|\r\n)\./g, '$1..'), 'latin1');
}
