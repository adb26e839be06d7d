// The socket side of a session (src/imap/connection.ts): the pre-login and post-login
// inactivity timers (RFC 9051 §5.4), and flow control — a client that pipelines commands and
// reads no answers, or sends a COMPRESS=DEFLATE stream that inflates 1,000× (RFC 4978), makes the
// server wait for it instead of piling commands and answers up in memory.
import { type Socket, connect } from 'node:net';
import { createDeflateRaw } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImapConnection } from '../../src/imap/connection.js';
import { PASSWORD, startTestGateway } from '../helpers/gateway.js';
import { ImapLineClient } from '../helpers/imap-client.js';

const SALES = 'sales@agents.example.com';

/** Every server-side connection that writes anything, to look at its buffers. */
function watchConnections(): Set<ImapConnection> {
  const seen = new Set<ImapConnection>();
  const original = ImapConnection.prototype.write;
  beforeEach(() => {
    seen.clear();
    ImapConnection.prototype.write = function (this: ImapConnection, data: Buffer) {
      seen.add(this);
      return original.call(this, data);
    };
  });
  afterEach(() => {
    ImapConnection.prototype.write = original;
  });
  return seen;
}

interface Internals {
  queue: unknown[];
  socket: Socket;
  deflate: { writableLength: number } | null;
}

/** A raw socket logged in, its reading paused (it never reads an answer). */
async function deafClient(port: number): Promise<Socket> {
  const { client } = await ImapLineClient.connect(port);
  expect((await client.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'L1')).tagged).toMatch(/^L1 OK /);
  const socket = (client as unknown as { socket: Socket }).socket;
  return socket;
}

describe('inactivity timers', () => {
  it('a connection that does not log in is closed after the login timeout; a logged-in one lasts to the idle timeout', async () => {
    const g = await startTestGateway({ WICKET_IMAP_LOGIN_TIMEOUT_SECONDS: '5', WICKET_IMAP_IDLE_TIMEOUT_SECONDS: '8' });
    await g.account('sales');
    const started = Date.now();
    const { client: silent } = await ImapLineClient.connect(g.ports.imap);
    const { client: user } = await ImapLineClient.connect(g.ports.imap);
    expect((await user.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'L1')).tagged).toMatch(/^L1 OK /);
    expect(await silent.response(10_000)).toBe('* BYE idle for too long; logging out');
    expect(await silent.closedByServer()).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
    // Past the login timeout, the logged-in session is still there…
    expect(user.closed).toBe(false);
    // …until its own idle timeout.
    expect(await user.response(10_000)).toBe('* BYE idle for too long; logging out');
    expect(Date.now() - started).toBeGreaterThanOrEqual(7_500);
  }, 30_000);
});

describe('flow control', () => {
  const connections = watchConnections();
  const serverSide = () => [...connections].find((c) => (c as unknown as Internals).queue !== undefined && c.session) as unknown as Internals;

  it('a client that pipelines commands and reads no answer: the answers waiting for it stay bounded', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    const socket = await deafClient(g.ports.imap);
    connections.clear();
    socket.pause();
    // 4 MB of NOOPs: 500,000 commands, 10 MB of answers.
    socket.write(Buffer.from('N NOOP\r\n'.repeat(512 * 1024)));
    await new Promise((r) => setTimeout(r, 1500));
    const server = serverSide();
    expect(server.queue.length).toBeLessThanOrEqual(10_000);
    // Whatever the kernel took, the server holds no more than a socket buffer's worth itself.
    expect(server.socket.writableLength).toBeLessThan(256 * 1024);
    socket.destroy();
  });

  it('a COMPRESS stream that inflates 1,000× into commands is inflated only as fast as they are served', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    const { client } = await ImapLineClient.connect(g.ports.imap);
    expect((await client.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'L1')).tagged).toMatch(/^L1 OK /);
    expect((await client.transact('COMPRESS DEFLATE', 'Z1')).tagged).toBe('Z1 OK DEFLATE active');
    const socket = (client as unknown as { socket: Socket }).socket;
    socket.pause();
    connections.clear();
    // 100 MB of "c NOOP\r\n" (13 million commands) in ~150 KB.
    const deflate = createDeflateRaw({ level: 9 });
    let sent = 0;
    deflate.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      socket.write(chunk);
    });
    const block = Buffer.from('c NOOP\r\n'.repeat(128 * 1024));
    for (let i = 0; i < 100; i++) deflate.write(block);
    await new Promise<void>((resolve) => deflate.flush(() => resolve()));
    expect(sent).toBeLessThan(512 * 1024);
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const server = serverSide();
      // Without flow control the inflater runs ahead and queues millions of commands.
      expect(server.queue.length).toBeLessThanOrEqual(10_000);
      expect(server.deflate!.writableLength).toBeLessThan(256 * 1024);
    }
    socket.destroy();
    // The server goes on.
    const next = await connect({ host: '127.0.0.1', port: g.ports.imap });
    const greeting = await new Promise<string>((resolve) => next.once('data', (d: Buffer) => resolve(d.toString())));
    expect(greeting).toMatch(/^\* OK /);
    next.destroy();
  });
});
