// STARTTLS — RFC 3501 §6.2.1: only before login and only without TLS; the handshake starts right
// after the tagged OK, and anything the client sent in plaintext after the command is thrown
// away (the CVE-2011-0411 class of command injection), so the first answer over TLS is to the
// first command sent over TLS.
import { type Socket, connect as netConnect } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startTestGateway } from '../../helpers/gateway.js';
import { ImapLineClient, PASSWORD, SALES, world } from '../fixtures/session.js';

/** Reads CRLF-terminated lines from a socket (no literals: enough for these short exchanges). */
function lineReader(socket: Socket | TLSSocket): () => Promise<string> {
  let buffer = '';
  let wake: (() => void) | null = null;
  socket.on('data', (d: Buffer) => {
    buffer += d.toString('latin1');
    wake?.();
  });
  socket.on('close', () => wake?.());
  return async () => {
    for (;;) {
      const end = buffer.indexOf('\r\n');
      if (end >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return line;
      }
      if (socket.destroyed) throw new Error(`closed; unread ${JSON.stringify(buffer)}`);
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  };
}

describe('STARTTLS', () => {
  it('OK, then the handshake; LOGIN works over the new TLS layer', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    const { client } = await ImapLineClient.connect(g.ports.imap);
    expect(await client.startTls()).toEqual({ untagged: [], tagged: 'A1 OK Begin TLS negotiation now' });
    expect(await client.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'L1')).toEqual({
      untagged: [],
      tagged: 'L1 OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE ESEARCH CONDSTORE QRESYNC UTF8=ACCEPT STATUS=SIZE QUOTA QUOTA=RES-STORAGE APPENDLIMIT=52428800 COMPRESS=DEFLATE] logged in',
    });
  });

  it('discards commands pipelined in plaintext after STARTTLS', async () => {
    const g = await startTestGateway();
    const plain = netConnect({ host: '127.0.0.1', port: g.ports.imap });
    onTestFinished(() => {
      plain.destroy();
    });
    const readPlain = lineReader(plain);
    expect(await readPlain()).toMatch(/^\* OK \[CAPABILITY /);
    // One write: the injected NOOP arrives in the same packet as STARTTLS.
    plain.write('S1 STARTTLS\r\nS2 NOOP\r\n');
    expect(await readPlain()).toBe('S1 OK Begin TLS negotiation now');
    plain.removeAllListeners('data');
    const secure = tlsConnect({ socket: plain, rejectUnauthorized: false });
    onTestFinished(() => {
      secure.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    const readSecure = lineReader(secure);
    secure.write('S3 NOOP\r\n');
    expect(await readSecure()).toBe('S3 OK NOOP completed');
  });

  it('BAD when TLS is already active (IMAPS, or a second STARTTLS); the session goes on', async () => {
    const g = await startTestGateway();
    const { client: implicit } = await ImapLineClient.connect(g.ports.imaps, { tls: true });
    expect(await implicit.transact('STARTTLS', 'T1')).toEqual({ untagged: [], tagged: 'T1 BAD TLS is already active' });
    expect(await implicit.transact('NOOP', 'T2')).toEqual({ untagged: [], tagged: 'T2 OK NOOP completed' });

    const { client: upgraded } = await ImapLineClient.connect(g.ports.imap);
    await upgraded.startTls();
    expect(await upgraded.transact('STARTTLS', 'T3')).toEqual({ untagged: [], tagged: 'T3 BAD TLS is already active' });
    expect(await upgraded.transact('NOOP', 'T4')).toEqual({ untagged: [], tagged: 'T4 OK NOOP completed' });
  });

  it('BAD after login (not-authenticated state only), and the session goes on', async () => {
    const { c } = await world();
    const result = await c.transact('STARTTLS', 'T1');
    expect(result.untagged).toEqual([]);
    expect(result.tagged).toMatch(/^T1 BAD STARTTLS is not allowed /);
    expect(await c.transact('NOOP', 'T2')).toEqual({ untagged: [], tagged: 'T2 OK NOOP completed' });
  });

  it('takes no arguments: BAD, still plaintext, still serving', async () => {
    const g = await startTestGateway();
    const { client } = await ImapLineClient.connect(g.ports.imap);
    expect(await client.transact('STARTTLS now', 'T1')).toEqual({ untagged: [], tagged: 'T1 BAD this command takes no arguments' });
    expect(await client.transact('CAPABILITY', 'T2')).toEqual({
      untagged: ['* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE STARTTLS AUTH=PLAIN'],
      tagged: 'T2 OK CAPABILITY completed',
    });
  });

  it('where LOGIN is disabled in plaintext, STARTTLS enables it', async () => {
    const g = await startTestGateway({}, { trustLoopback: false });
    await g.account('sales');
    const { client } = await ImapLineClient.connect(g.ports.imap);
    expect(await client.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'L1')).toEqual({
      untagged: [],
      tagged: 'L1 NO [PRIVACYREQUIRED] log in over TLS: use STARTTLS first, or the IMAPS port',
    });
    await client.startTls();
    expect(await client.transact(`LOGIN ${SALES} "${PASSWORD}"`, 'L2')).toEqual({
      untagged: [],
      tagged: 'L2 OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE ESEARCH CONDSTORE QRESYNC UTF8=ACCEPT STATUS=SIZE QUOTA QUOTA=RES-STORAGE APPENDLIMIT=52428800 COMPRESS=DEFLATE] logged in',
    });
  });
});
