// A sink SMTP server (smtp-server on 127.0.0.1, port 0) that plays a smarthost or a remote MX:
// it records what it receives and answers as the test tells it to.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { onTestFinished } from 'vitest';

export interface Received {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  secure: boolean;
  user: string | null;
}

export interface SinkOptions {
  /** TLS material to offer STARTTLS with; without it the sink speaks plain SMTP only. */
  tls?: { key: Buffer; cert: Buffer };
  /** Require AUTH with these credentials. */
  auth?: { user: string; pass: string };
  /** Reply for a recipient: undefined accepts; otherwise e.g. { code: 550, text: '5.1.1 no such user' }. */
  rcpt?: (address: string) => { code: number; text: string } | undefined;
  /** Reply at the end of DATA for the n-th message (0-based): undefined accepts. */
  data?: (n: number) => { code: number; text: string } | undefined;
}

export interface Sink {
  port: number;
  received: Received[];
  /** Messages that reached the end of DATA, accepted or not. */
  attempts: number;
}

const error = (r: { code: number; text: string }) => Object.assign(new Error(r.text), { responseCode: r.code });

export async function startSink(options: SinkOptions = {}): Promise<Sink> {
  const sink: Sink = { port: 0, received: [], attempts: 0 };
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    authOptional: !options.auth,
    allowInsecureAuth: true,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : { hideSTARTTLS: true, disabledCommands: ['STARTTLS'] }),
    ...(options.auth ? {} : { disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'] }),
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
      callback(error({ code: 535, text: 'bad credentials' }));
    },
    onRcptTo(address, _session, callback) {
      const r = options.rcpt?.(address.address);
      callback(r ? error(r) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const n = sink.attempts++;
        const r = options.data?.(n);
        if (r) return callback(error(r));
        sink.received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((a) => a.address),
          raw: Buffer.concat(chunks),
          secure: session.secure,
          user: (session.user as string | undefined) ?? null,
        });
        callback();
      });
    },
  });
  // A client that vanishes mid-transaction (a gateway killed while relaying) is the client's
  // business; smtp-server reports it as an 'error' event, which must not end the test process.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = (server.server.address() as AddressInfo).port;
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return sink;
}
