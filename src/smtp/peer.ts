// What the delivery pipeline and the logs need to know about an SMTP client.
import type { SMTPServerSession } from 'smtp-server';
import type { PeerInfo } from '../delivery/trace.js';

/** 127.0.0.0/8 and ::1, also in IPv4-mapped form. */
export function isLoopback(address: string): boolean {
  const v4 = address.replace(/^::ffff:/i, '');
  return v4.startsWith('127.') || address === '::1';
}

export function peerInfo(session: SMTPServerSession): PeerInfo {
  const cipher = session.tlsOptions as { name?: string; standardName?: string; version?: string } | false | undefined;
  return {
    address: session.remoteAddress,
    helo: session.hostNameAppearsAs || null,
    protocol: session.transmissionType || 'ESMTP',
    tls: cipher ? { version: cipher.version ?? 'TLS', cipher: cipher.standardName ?? cipher.name ?? 'unknown' } : null,
  };
}
