// Drives a real ImapSession (the gateway's own services and store) with bytes, in process and
// without a socket: the receiver frames the input, events are handed to the session one at a
// time exactly as src/imap/connection.ts does (a command waiting for a continuation line gets
// the next one), and every response line is kept. STARTTLS ends the input there (a real
// connection discards what follows until the handshake).
import type { ImapServices } from '../../src/imap/command.js';
import type { Logger } from '../../src/log.js';
import { Receiver } from '../../src/imap/protocol/receiver.js';
import { ImapSession, type Transport } from '../../src/imap/session.js';
import type { TestGateway } from '../helpers/gateway.js';

export interface SessionRun {
  /** Everything the server wrote. */
  output: string;
  /** Response lines, split. */
  lines: string[];
  /** An exception that escaped ImapSession.handle (a bug: the session must answer everything). */
  escaped: unknown;
  /** A command that neither finished nor waited for the client within the budget. */
  hung: boolean;
  closedByServer: boolean;
  ms: number;
}

/** The services an IMAP listener of this gateway gets, with a logger of the caller's choosing. */
export function imapServices(g: TestGateway, log: Logger): ImapServices {
  const { services, pipeline, config } = g.gateway;
  return { store: services.store, auth: services.auth, mailboxes: services.mailboxes, pipeline, config, log };
}

export async function runSession(services: ImapServices, input: Buffer, opts: { remoteAddress: string; budgetMs: number; secure?: boolean }): Promise<SessionRun> {
  const started = performance.now();
  const chunks: Buffer[] = [];
  let closed = false;
  let upgrade = false;
  const transport: Transport = {
    secure: opts.secure ?? false,
    remoteAddress: opts.remoteAddress,
    write: (data) => {
      chunks.push(Buffer.from(data));
    },
    drained: () => Promise.resolve(),
    compressible: true,
    startCompression: () => {},
    startTls: () => {
      upgrade = true;
      return Promise.resolve();
    },
    close: () => {
      closed = true;
    },
  };
  const session = new ImapSession(transport, services, true);
  session.greet();
  const receiver = new Receiver({ maxLineLength: services.config.imap.maxLineLength, maxLiteralSize: services.config.imap.maxLiteralSize });
  const queue = receiver.push(input);
  let escaped: unknown = null;
  let hung = false;
  const deadline = Date.now() + opts.budgetMs;
  while (queue.length > 0 && !closed && !upgrade && escaped === null && !hung) {
    const running = session.handle(queue.shift()!);
    let finished = false;
    running.then(
      () => (finished = true),
      (err: unknown) => {
        escaped = err;
        finished = true;
      },
    );
    while (!finished) {
      if (session.waitingForLine) {
        if (queue.length > 0) {
          await session.handle(queue.shift()!).catch((err: unknown) => (escaped = err));
          continue;
        }
        // IDLE or AUTHENTICATE waiting for a line that will never come: the client went away.
        session.close();
        break;
      }
      if (Date.now() > deadline) {
        hung = true;
        break;
      }
      await new Promise((r) => setImmediate(r));
    }
  }
  session.close();
  const output = Buffer.concat(chunks).toString('utf8');
  return { output, lines: output.split('\r\n').filter(Boolean), escaped, hung, closedByServer: closed, ms: performance.now() - started };
}
