// STARTTLS from the client's side: the TLS handshake on a plain socket already connected
// (RFC 3501 §6.2.1, RFC 3207), which stops delivering its own 'data' once the upgrade starts.
import type { Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';

export async function upgradeToTls(plain: Socket): Promise<TLSSocket> {
  plain.removeAllListeners('data');
  const secure = tlsConnect({ socket: plain, rejectUnauthorized: false });
  await new Promise<void>((resolve, reject) => {
    secure.once('secureConnect', () => resolve());
    secure.once('error', reject);
  });
  return secure;
}
