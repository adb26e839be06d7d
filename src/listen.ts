// Binding a listener, with the one-line errors a person can act on.
import type { Server } from 'node:net';

export interface ListenerInfo {
  name: string;
  address: string;
  port: number;
  /** The variable that configures the port, for error messages. */
  variable: string;
}

export class ListenError extends Error {}

export function listen(server: Server, name: string, variable: string, host: string, port: number): Promise<ListenerInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const why =
        err.code === 'EADDRINUSE'
          ? 'the address is already in use (another Wicket or another server?)'
          : err.code === 'EACCES'
            ? 'permission denied (ports below 1024 need privileges)'
            : err.code === 'EADDRNOTAVAIL'
              ? 'this machine has no such address (check WICKET_BIND)'
              : (err.code ?? err.message);
      reject(new ListenError(`cannot listen for ${name} on ${where} (${variable}): ${why}`));
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new ListenError(`${name} did not report a TCP address`));
        return;
      }
      resolve({ name, address: address.address, port: address.port, variable });
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
