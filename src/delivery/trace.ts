// Trace fields (RFC 5321 §4.4): a Received field for every hop through Wicket, and a
// Return-Path at final delivery.

export interface PeerInfo {
  /** The client's IP address. */
  address: string;
  /** What it said in EHLO/HELO. */
  helo: string | null;
  /** RFC 3848 "with" keyword: ESMTP, ESMTPS, ESMTPA, ESMTPSA (SMTP for HELO). */
  protocol: string;
  tls: { version: string; cipher: string } | null;
}

function addressLiteral(address: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return `[${v4[1]}]`;
  return address.includes(':') ? `[IPv6:${address}]` : `[${address}]`;
}

/** The HELO name is client-supplied: keep it to characters that cannot break the field. */
const safeHelo = (helo: string | null): string => (helo ?? 'unknown').replace(/[^\x21-\x7e]/g, '').slice(0, 255) || 'unknown';

/**
 * `Received: from helo ([ip]) by host (Wicket) with ESMTPS id X (TLS…) for <rcpt>; date`
 * — `for` only when there is one recipient, so Bcc recipients are not disclosed.
 */
export function receivedField(opts: { peer: PeerInfo; hostname: string; id: string; recipients: string[]; date: string }): string {
  const { peer } = opts;
  const lines = [`Received: from ${safeHelo(peer.helo)} (${addressLiteral(peer.address)})`, `\tby ${opts.hostname} (Wicket) with ${peer.protocol} id ${opts.id}`];
  if (peer.tls) lines.push(`\t(using ${peer.tls.version} with cipher ${peer.tls.cipher})`);
  if (opts.recipients.length === 1) lines.push(`\tfor <${opts.recipients[0]}>; ${opts.date}`);
  else lines[lines.length - 1] += `; ${opts.date}`;
  return lines.join('\r\n');
}

/** RFC 5321 §4.4: the final delivery adds the reverse path; `<>` for a bounce. */
export function returnPathField(mailFrom: string): string {
  return `Return-Path: <${mailFrom}>`;
}
