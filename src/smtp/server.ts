// Wicket's three SMTP listeners on smtp-server: submission (STARTTLS), submissions (implicit
// TLS, RFC 8314) and the inbound MX. Banner and EHLO name are WICKET_HOSTNAME; extensions:
// PIPELINING, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES, DSN, SIZE, STARTTLS and (submission,
// after TLS or on loopback) AUTH PLAIN LOGIN.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Authenticator } from '../accounts/authenticate.js';
import type { Config } from '../config.js';
import type { DeliveryPipeline } from '../delivery/pipeline.js';
import type { Logger } from '../log.js';
import { type TlsMaterial, serverTlsOptions } from '../tls.js';
import { ConnectionLimit } from '../connection-limit.js';
import { type HookDeps, mxHooks, submissionHooks } from './hooks.js';
import { limitSessionSize } from './session-size.js';
import { isLoopback } from './peer.js';
import { installEnhancedCodeReplies } from './replies.js';

export interface SmtpDeps {
  config: Config;
  tls: TlsMaterial;
  auth: Authenticator;
  pipeline: DeliveryPipeline;
  log: Logger;
  /** Loopback clients may authenticate without TLS (see GatewayOptions). */
  trustLoopback: boolean;
}

export type SmtpListenerName = 'submission' | 'submissions' | 'mx';

function baseOptions(deps: SmtpDeps, maxSize: number): SMTPServerOptions {
  const { config, tls } = deps;
  return {
    name: config.hostname,
    banner: 'Wicket',
    // TLS 1.2+, modern suites (smtp-server's own default would allow TLS 1.0).
    ...serverTlsOptions(tls),
    size: maxSize,
    // 552 5.3.4 for a message over the limit, whatever was declared with SIZE=.
    rejectOversized: true,
    hideENHANCEDSTATUSCODES: false,
    hideDSN: false,
    hidePIPELINING: false,
    hide8BITMIME: false,
    hideSMTPUTF8: false,
    maxRecipients: config.smtp.maxRecipients,
    maxCommandLength: config.smtp.maxCommandLength,
    socketTimeout: config.smtp.idleTimeoutSeconds * 1000,
    closeTimeout: 10_000,
    // Reverse DNS would slow every connection and tell the pipeline nothing it uses.
    disableReverseLookup: true,
    // smtp-server's own log would include AUTH exchanges; Wicket logs what matters itself.
    logger: false,
  } as SMTPServerOptions;
}

export function createSmtpServers(deps: SmtpDeps): Record<SmtpListenerName, SMTPServer> {
  installEnhancedCodeReplies();
  const { config, log } = deps;
  const hookDeps = (listener: string) => ({
    config,
    auth: deps.auth,
    pipeline: deps.pipeline,
    log: log.child({ listener }),
    limit: new ConnectionLimit(config.smtp.maxConnectionsPerIp),
    isLocal: (address: string) => deps.trustLoopback && isLoopback(address),
  });
  const submission = (secure: boolean, listener: SmtpListenerName) => {
    const hooks = hookDeps(listener);
    const server = new SMTPServer({
      ...baseOptions(deps, config.smtp.submissionMaxSize),
      secure,
      authMethods: ['PLAIN', 'LOGIN'],
      // AUTH before TLS is refused per session in the hooks (loopback may skip TLS).
      allowInsecureAuth: true,
      authRequiredMessage: '5.7.0 authentication required',
      ...submissionHooks(hooks, listener),
    });
    (hooks as HookDeps).limitSize = (session, size) => {
      if (!limitSessionSize(server, session, size)) log.warn({ listener }, 'could not set the session SIZE; the listener limit applies until DATA');
    };
    return server;
  };
  const mx = new SMTPServer({
    ...baseOptions(deps, config.smtp.mxMaxSize),
    secure: false,
    disabledCommands: ['AUTH'],
    authOptional: true,
    ...mxHooks(hookDeps('mx'), 'mx'),
  });
  const servers = { submission: submission(false, 'submission'), submissions: submission(true, 'submissions'), mx };
  // A client's broken connection (TLS garbage, reset) is that client's problem, never the server's.
  for (const [name, server] of Object.entries(servers)) {
    server.on('error', (err) => log.debug({ err, listener: name }, 'smtp connection error'));
  }
  return servers;
}

/** A reloaded certificate: STARTTLS and implicit-TLS handshakes from now on use it. */
export function updateSmtpTls(servers: Record<SmtpListenerName, SMTPServer>, material: TlsMaterial): void {
  for (const server of Object.values(servers)) server.updateSecureContext(serverTlsOptions(material));
}
