// A bare smtp-server that discards what it is sent: the library's own ceiling, against which
// Wicket's SMTP figures are compared. Run as a child process (its own core, as Wicket has):
// prints "port <n>" on stdout once it listens on 127.0.0.1, stops on SIGTERM.
// Same protocol surface the bench client uses against Wicket: PIPELINING, AUTH PLAIN without
// TLS (accepting any credentials), no STARTTLS, no reverse lookup, no logging.
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  name: 'sink.localhost',
  banner: 'sink',
  secure: false,
  hideSTARTTLS: true,
  authMethods: ['PLAIN'],
  allowInsecureAuth: true,
  authOptional: true,
  disableReverseLookup: true,
  logger: false,
  size: 50 * 1024 * 1024,
  onAuth(auth, _session, callback) {
    callback(null, { user: auth.username });
  },
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => callback(null, 'OK: discarded'));
  },
});
server.on('error', () => {});
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
