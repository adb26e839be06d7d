// The IMAP listeners: IMAP with STARTTLS (1143) and IMAPS with implicit TLS (1993, RFC 8314).
import { type Server, type Socket, createServer as createNetServer } from 'node:net';
import { type Server as TlsServer, createSecureContext, createServer as createTlsServer } from 'node:tls';
import { ConnectionLimit } from '../connection-limit.js';
import type { Logger } from '../log.js';
import { isLoopback } from '../smtp/peer.js';
import { type TlsMaterial, serverTlsOptions } from '../tls.js';
import type { ImapServices } from './command.js';
import { ImapConnection } from './connection.js';

export interface ImapListener {
  server: Server;
  /** Stops accepting, says BYE to every session after `graceMs`, resolves when all are gone. */
  close(graceMs: number): Promise<void>;
}

export function createImapServers(
  services: ImapServices,
  tls: TlsMaterial,
  log: Logger,
  trustLoopback: boolean,
): { imap: ImapListener; imaps: ImapListener; updateTls(material: TlsMaterial): void } {
  // Replaced on a certificate reload: STARTTLS upgrades from then on use the new one.
  let secureContext = createSecureContext(serverTlsOptions(tls));

  const listener = (secure: boolean): ImapListener => {
    const connections = new Set<ImapConnection>();
    const limit = new ConnectionLimit(services.config.imap.maxConnectionsPerIp);
    const accept = (socket: Socket) => {
      const address = socket.remoteAddress ?? 'unknown';
      if (!limit.acquire(address)) {
        socket.end('* BYE [UNAVAILABLE] too many connections from your address\r\n');
        return;
      }
      const connection = new ImapConnection(socket, secure, {
        services,
        // Read at STARTTLS time, so a session opened before a reload upgrades with the new pair.
        get secureContext() {
          return secureContext;
        },
        trustedPlaintext: trustLoopback && isLoopback(address),
        log,
        onClose: () => {
          connections.delete(connection);
          limit.release(address);
        },
      });
      connections.add(connection);
    };
    const server = secure ? createTlsServer(serverTlsOptions(tls), accept) : createNetServer(accept);
    // A failed TLS handshake is the client's problem; the listener goes on.
    server.on('tlsClientError', (err: Error) => log.debug({ err }, 'imaps handshake failed'));
    return {
      server,
      close: (graceMs) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          const timer = setTimeout(() => {
            for (const c of connections) c.shutdown();
          }, Math.min(graceMs, 1000));
          timer.unref();
          if (connections.size === 0) clearTimeout(timer);
        }),
    };
  };

  const imap = listener(false);
  const imaps = listener(true);
  return {
    imap,
    imaps,
    updateTls(material) {
      secureContext = createSecureContext(serverTlsOptions(material));
      (imaps.server as TlsServer).setSecureContext(serverTlsOptions(material));
    },
  };
}
