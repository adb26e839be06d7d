// The socket side of one IMAP session: bytes in through the receiver, responses out, STARTTLS,
// the idle timer. Events are handled strictly one after another; input that arrived before a
// STARTTLS handshake is thrown away (RFC 3501 §6.2.1, RFC 3207 §4.2's reasoning; the
// CVE-2011-0411 class of bugs).
import type { Socket } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';
import { type DeflateRaw, type InflateRaw, constants as zlib, createDeflateRaw, createInflateRaw } from 'node:zlib';
import type { Logger } from '../log.js';
import { Receiver, type ReceiverEvent } from './protocol/receiver.js';
import { ImapSession, type Transport } from './session.js';
import type { ImapServices } from './command.js';

export interface ConnectionOptions {
  services: ImapServices;
  secureContext: SecureContext;
  trustedPlaintext: boolean;
  log: Logger;
  onClose: () => void;
}

/** Queued events above this pause reading until the session catches up. */
const HIGH_WATER = 64;
/** Compressed input is inflated this many bytes at a time (see compress()). */
const INFLATE_SLICE = 1024;

export class ImapConnection implements Transport {
  private socket: Socket;
  private receiver: Receiver;
  private readonly queue: ReceiverEvent[] = [];
  private pumping = false;
  /** Wakes the pump when input arrives while a command waits for a continuation line. */
  private arrived: (() => void) | null = null;
  private upgradePending = false;
  private compressPending = false;
  /** Set once COMPRESS DEFLATE is active (RFC 4978): all bytes go through these. */
  private deflate: DeflateRaw | null = null;
  private inflate: InflateRaw | null = null;
  private flushScheduled = false;
  private corked = false;
  private closed = false;
  private authenticated = false;
  readonly session: ImapSession;
  secure: boolean;
  readonly remoteAddress: string;

  constructor(
    socket: Socket,
    secure: boolean,
    private readonly options: ConnectionOptions,
  ) {
    this.socket = socket;
    // Responses leave as soon as a command completes: with Nagle's algorithm on, a tagged line
    // written in a later tick than its untagged lines waits for the client's delayed ACK (~40 ms).
    socket.setNoDelay(true);
    this.secure = secure;
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.receiver = this.newReceiver();
    this.session = new ImapSession(this, options.services, options.trustedPlaintext);
    this.attach(socket);
    socket.once('close', () => this.onClose());
    this.session.greet();
  }

  get compressible(): boolean {
    return this.deflate === null && !this.compressPending;
  }

  write(data: Buffer): void {
    if (this.closed || this.socket.destroyed) return;
    if (!this.deflate) {
      // Responses written in one tick leave in one writev (one TLS record, not one per line):
      // FETCH 1:* (FLAGS) on a large mailbox is otherwise dominated by per-write cost.
      if (!this.corked) {
        this.corked = true;
        const socket = this.socket;
        socket.cork();
        process.nextTick(() => {
          this.corked = false;
          socket.uncork();
        });
      }
      this.socket.write(data);
      return;
    }
    this.deflate.write(data);
    // RFC 4978 §4: flush at the end of every batch of responses, so the client can read them.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.deflate?.flush(zlib.Z_SYNC_FLUSH);
      });
    }
  }

  startCompression(): void {
    this.compressPending = true;
  }

  /**
   * Backpressure from what responses are written into: the socket, or the compressor (which
   * waits for the socket through its pipe). No flush here — a sync flush per FETCH response
   * would spoil compression; the batch flush in write() runs once the command yields.
   */
  drained(): Promise<void> {
    const socket = this.socket;
    const stream = this.deflate ?? socket;
    if (this.closed || socket.destroyed || stream.writableLength < stream.writableHighWaterMark) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        stream.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      stream.once('drain', done);
      socket.once('close', done);
    });
  }

  loggedIn(): void {
    this.authenticated = true;
    this.socket.setTimeout(this.inactivityMs());
  }

  /**
   * RFC 9051 §5.4: a logged-in session's autologout timer is at least 30 minutes (the
   * configured idle timeout); before login there is no such floor, and a connection that sits
   * silent is closed after the shorter login timeout (2,000 silent connections must not hold
   * their sockets for half an hour).
   */
  private inactivityMs(): number {
    const imap = this.options.services.config.imap;
    return (this.authenticated ? imap.idleTimeoutSeconds : imap.loginTimeoutSeconds) * 1000;
  }

  startTls(): Promise<void> {
    // The upgrade happens once the tagged OK is on the wire (see pump).
    this.upgradePending = true;
    return Promise.resolve();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.session.close();
    if (this.deflate) this.deflate.end();
    else this.socket.end();
    this.inflate?.destroy();
    // A client that does not read cannot keep the socket forever.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  /** Server shutdown: say goodbye and go. */
  shutdown(): void {
    this.write(Buffer.from('* BYE the server is shutting down\r\n'));
    this.close();
  }

  private newReceiver(): Receiver {
    const imap = this.options.services.config.imap;
    return new Receiver({ maxLineLength: imap.maxLineLength, maxLiteralSize: imap.maxLiteralSize });
  }

  private attach(socket: Socket): void {
    socket.setTimeout(this.inactivityMs(), () => {
      this.write(Buffer.from('* BYE idle for too long; logging out\r\n'));
      this.close();
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.upgradePending) return; // plaintext after STARTTLS: discarded
      this.queue.push(...this.receiver.push(chunk));
      if (this.queue.length > HIGH_WATER) socket.pause();
      this.arrived?.();
      void this.pump();
    });
    socket.on('error', (err) => this.options.log.debug({ err, peer: this.remoteAddress }, 'imap socket error'));
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        // A client that pipelines commands and reads no answers: wait until it reads, rather
        // than pile the answers up in memory.
        await this.drained();
        if (this.closed) break;
        const event = this.queue.shift()!;
        await this.feed(this.session.handle(event));
        if (this.upgradePending) {
          await this.upgrade();
          break;
        }
        if (this.compressPending) this.compress();
        if (this.queue.length <= HIGH_WATER / 2) this.resumeInput();
      }
    } catch (err) {
      this.options.log.error({ err, peer: this.remoteAddress }, 'imap session failed');
      this.close();
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Waits for a command to finish; meanwhile, if it asks the client for a line (AUTHENTICATE's
   * "+"), input keeps flowing to it — commands still never overlap.
   */
  private async feed(running: Promise<void>): Promise<void> {
    let finished = false;
    void running.finally(() => {
      finished = true;
      this.arrived?.();
    });
    while (!finished) {
      if (this.session.waitingForLine && this.queue.length > 0) {
        await this.session.handle(this.queue.shift()!);
        continue;
      }
      await new Promise<void>((resolve) => (this.arrived = resolve));
      this.arrived = null;
    }
    await running;
  }

  /**
   * RFC 4978: from the byte after the tagged OK, both directions are raw DEFLATE. Input the
   * client sent before (it must not pipeline past COMPRESS) is dropped with the old receiver.
   */
  private compress(): void {
    this.compressPending = false;
    this.queue.length = 0;
    const socket = this.socket;
    socket.removeAllListeners('data');
    this.receiver = this.newReceiver();
    const deflate = createDeflateRaw();
    deflate.pipe(socket);
    deflate.on('error', () => socket.destroy());
    const inflate = createInflateRaw();
    inflate.on('data', (chunk: Buffer) => {
      this.queue.push(...this.receiver.push(chunk));
      // A few KB can inflate into megabytes of commands (about 1,000× for repeated lines):
      // inflate no further than the session consumes. Paused, the inflater's buffers fill, its
      // write() says so, and the socket is paused in turn.
      if (this.queue.length > HIGH_WATER) inflate.pause();
      this.arrived?.();
      void this.pump();
    });
    inflate.on('error', (err) => {
      // RFC 4978 §3: a corrupt stream ends the session.
      this.options.log.debug({ err, peer: this.remoteAddress }, 'imap deflate stream corrupt');
      this.write(Buffer.from('* BYE corrupt compressed data\r\n'));
      this.deflate?.flush(zlib.Z_SYNC_FLUSH, () => this.close());
    });
    socket.on('data', (chunk: Buffer) => {
      // zlib inflates a whole written chunk before it heeds backpressure; written in slices,
      // what waits inflated is at most about one slice × 1,032 (DEFLATE's largest ratio).
      let room = true;
      for (let i = 0; i < chunk.length; i += INFLATE_SLICE) room = inflate.write(chunk.subarray(i, i + INFLATE_SLICE));
      if (!room) socket.pause();
    });
    inflate.on('drain', () => socket.resume());
    // Paused for input queued before COMPRESS (now dropped): reading goes on compressed.
    if (socket.isPaused()) socket.resume();
    this.deflate = deflate;
    this.inflate = inflate;
  }

  /** Reading resumes once the session has caught up: the inflater's output, or the socket. */
  private resumeInput(): void {
    if (this.inflate) {
      if (this.inflate.isPaused()) this.inflate.resume();
    } else if (this.socket.isPaused()) this.socket.resume();
  }

  private async upgrade(): Promise<void> {
    this.queue.length = 0;
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('timeout');
    plain.setTimeout(0);
    const secure = new TLSSocket(plain, { isServer: true, secureContext: this.options.secureContext });
    this.socket = secure;
    this.receiver = this.newReceiver();
    try {
      await new Promise<void>((resolve, reject) => {
        secure.once('secure', () => resolve());
        secure.once('error', reject);
      });
    } catch (err) {
      this.options.log.debug({ err, peer: this.remoteAddress }, 'imap STARTTLS handshake failed');
      this.close();
      return;
    } finally {
      this.upgradePending = false;
    }
    this.secure = true;
    this.attach(secure);
    if (plain.isPaused()) plain.resume();
  }

  private onClose(): void {
    this.closed = true;
    this.session.close();
    this.options.onClose();
  }
}
