// A minimal IMAP client on raw sockets for load generation: what is measured is the server,
// not a client library. Commands are tagged; a reply is every byte up to the tagged line.
// Literals go as LITERAL+ (both Wicket and Dovecot advertise it), so a command is one write.
import { type Socket, connect as netConnect } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';

export class ImapError extends Error {}

export interface Reply {
  /** Everything the server sent for this command, the tagged line included (latin1). */
  text: string;
  bytes: number;
}

export class RawImap {
  private buffer = '';
  private waiter: (() => void) | null = null;
  private tagN = 0;
  private closed = false;

  private constructor(private readonly socket: Socket | TLSSocket) {
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

  static async connect(port: number, opts: { tls?: boolean; localAddress?: string } = {}): Promise<RawImap> {
    const socket = opts.tls
      ? tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...(opts.localAddress ? { localAddress: opts.localAddress } : {}) })
      : netConnect({ host: '127.0.0.1', port, ...(opts.localAddress ? { localAddress: opts.localAddress } : {}) });
    const client = new RawImap(socket);
    await client.until((b) => b.indexOf('\r\n'));
    const greeting = client.take(client.buffer.indexOf('\r\n') + 2);
    if (!greeting.startsWith('* OK')) throw new ImapError(`unexpected greeting: ${greeting.trim()}`);
    return client;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Waits until `find(buffer)` returns an index ≥ 0; returns it. */
  private async until(find: (buffer: string) => number): Promise<number> {
    for (;;) {
      const at = find(this.buffer);
      if (at >= 0) return at;
      if (this.closed) throw new ImapError(`connection closed; last bytes: ${this.buffer.slice(-200)}`);
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private take(n: number): string {
    const out = this.buffer.slice(0, n);
    this.buffer = this.buffer.slice(n);
    return out;
  }

  /** Sends a command (with an optional literal appended as LITERAL+) and reads its whole reply. */
  async command(text: string, literal?: Buffer): Promise<Reply> {
    return this.commandWith(literal ? [[text, literal]] : [[text]]);
  }

  /**
   * One command in pieces, each piece some text and an optional LITERAL+ after it: MULTIAPPEND
   * (RFC 3502) sends `APPEND box (flags) {n+} … (flags) {n+} …` as one command.
   */
  async commandWith(pieces: [text: string, literal?: Buffer][]): Promise<Reply> {
    const tag = `T${++this.tagN}`;
    const text = pieces[0]![0];
    pieces.forEach(([piece, literal], i) => {
      const head = i === 0 ? `${tag} ${piece}` : ` ${piece}`;
      if (literal) {
        this.socket.write(`${head}${piece ? ' ' : ''}{${literal.length}+}\r\n`);
        this.socket.write(literal);
      } else this.socket.write(head);
    });
    this.socket.write('\r\n');
    const marker = `${tag} `;
    const end = await this.until((b) => {
      const at = b.startsWith(marker) ? 0 : b.indexOf(`\r\n${marker}`);
      if (at < 0) return -1;
      const lineEnd = b.indexOf('\r\n', at === 0 ? 0 : at + 2);
      return lineEnd < 0 ? -1 : lineEnd + 2;
    });
    const reply = this.take(end);
    const tagged = reply.slice(reply.lastIndexOf(marker));
    if (!tagged.startsWith(`${tag} OK`)) throw new ImapError(`${text.slice(0, 60)}: ${tagged.trim()}`);
    return { text: reply, bytes: reply.length };
  }

  /** Sends a line without a tag (DONE after IDLE). */
  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** Sends IDLE and waits for the continuation. */
  async idle(): Promise<string> {
    const tag = `T${++this.tagN}`;
    this.socket.write(`${tag} IDLE\r\n`);
    const at = await this.until((b) => b.indexOf('+ '));
    const lineEnd = await this.until((b) => b.indexOf('\r\n', at));
    this.take(lineEnd + 2);
    return tag;
  }

  /** Waits for a line matching `pattern` (an untagged response during IDLE); consumes up to it. */
  async waitFor(pattern: RegExp): Promise<string> {
    const end = await this.until((b) => {
      const m = pattern.exec(b);
      if (!m) return -1;
      const lineEnd = b.indexOf('\r\n', m.index);
      return lineEnd < 0 ? -1 : lineEnd + 2;
    });
    return this.take(end);
  }

  async login(email: string, password: string): Promise<void> {
    await this.command(`LOGIN "${email}" "${password.replace(/(["\\])/g, '\\$1')}"`);
  }

  close(): void {
    this.socket.destroy();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
