// RFC 1870 SIZE per session. smtp-server advertises SIZE in the EHLO reply, checks MAIL FROM
// SIZE= and stops reading DATA at the limit, all from its server's options. After AUTH an
// account's policy may allow less (limit_size_total_mime): the session's connection then sees
// the server through a view whose options carry that size, so a client that says EHLO again
// (as RFC 4954 §4 recommends after AUTH) learns the account's limit and is held to it.
//
// This reaches into smtp-server's connection (its `connections` set and `_server` field, stable
// since its first releases); test/smtp/policy-limits.test.ts checks the EHLO reply, so an
// upgrade that moves them fails a test rather than silently advertising the listener's size.
import type { SMTPServer, SMTPServerOptions, SMTPServerSession } from 'smtp-server';

interface ConnectionInternals {
  session: SMTPServerSession;
  _server: { options: SMTPServerOptions };
}

/** Gives the session's connection its own SIZE; false when the connection is not found. */
export function limitSessionSize(server: SMTPServer, session: SMTPServerSession, size: number): boolean {
  const connections = (server as unknown as { connections?: Set<ConnectionInternals> }).connections;
  if (!connections) return false;
  for (const connection of connections) {
    if (connection.session !== session) continue;
    const base = connection._server;
    connection._server = Object.create(base, { options: { value: { ...base.options, size }, enumerable: true }}) as ConnectionInternals['_server'];
    return true;
  }
  return false;
}
