// The smtp-server hooks of Wicket's three SMTP listeners. Submission (RFC 6409: 587 with
// STARTTLS, 465 with implicit TLS per RFC 8314) authenticates an account with its app
// password and lets it send as itself; the MX (RFC 5321) takes mail for local accounts only.
// Both hand the message to the delivery pipeline; no rule of the product lives here.
import type { SMTPServerAddress, SMTPServerAuthentication, SMTPServerDataStream, SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import type { Authenticator } from '../accounts/authenticate.js';
import type { Config } from '../config.js';
import type { DeliveryPipeline, Envelope } from '../delivery/pipeline.js';
import { DeliveryRefused } from '../delivery/refusal.js';
import { DiskFullError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Account, DsnRequest } from '../store/types.js';
import type { ConnectionLimit } from '../connection-limit.js';
import { peerInfo } from './peer.js';
import { readMessage } from './read-message.js';
import { fromRefusal, reply } from './replies.js';

type Callback = (err?: Error | null) => void;
type Hooks = Pick<SMTPServerOptions, 'onConnect' | 'onSecure' | 'onAuth' | 'onMailFrom' | 'onRcptTo' | 'onData' | 'onClose'>;

export interface HookDeps {
  config: Config;
  auth: Authenticator;
  pipeline: DeliveryPipeline;
  log: Logger;
  limit: ConnectionLimit;
  /** Whether a client address is this machine (loopback): it may authenticate without TLS. */
  isLocal: (address: string) => boolean;
  /** Lowers the SIZE a session advertises and enforces (set once the listener exists). */
  limitSize?: (session: SMTPServerSession, size: number) => void;
}

/** The largest message the session may send: the listener's, or less by the account's policy. */
function sessionMaxSize(deps: HookDeps, session: SMTPServerSession, listenerMax: number): number {
  const account = sessionAccount(session);
  const policyMax = account ? deps.pipeline.governance.maxMessageSize(account) : null;
  return policyMax !== null ? Math.min(policyMax, listenerMax) : listenerMax;
}

/**
 * What a local recipient's policy and rules say at RCPT time: an inbound `block` rule (550
 * 5.7.1, recorded at stage smtp_rcpt), today's received count (452 4.5.3: try again tomorrow),
 * a full mailbox (552 5.2.2).
 */
function localRecipientRefusal(deps: HookDeps, account: Account, sender: string) {
  const g = deps.pipeline.governance;
  return g.checkReceiveQuota(account) ?? g.checkStorage(account, 1) ?? g.refuseAtRcpt(account, sender);
}

const sessionAccount = (session: SMTPServerSession): Account | undefined => (session.user as { account?: Account } | undefined)?.account;

/** DSN parameters (RFC 3461) smtp-server parsed from MAIL FROM and RCPT TO. */
function dsnOf(session: SMTPServerSession, address: SMTPServerAddress): DsnRequest | null {
  const envelope = session.envelope as { dsn?: { ret?: string | null; envid?: string | null } };
  const rcpt = address as SMTPServerAddress & { dsn?: { notify?: string[]; orcpt?: string } };
  const ret = envelope.dsn?.ret?.toUpperCase();
  const notify = rcpt.dsn?.notify?.map((n) => n.toUpperCase()) as DsnRequest['notify'] | undefined;
  if (!ret && !envelope.dsn?.envid && !notify?.length && !rcpt.dsn?.orcpt) return null;
  return {
    notify: notify?.length ? notify : null,
    ret: ret === 'FULL' || ret === 'HDRS' ? ret : null,
    envid: envelope.dsn?.envid ?? null,
    orcpt: rcpt.dsn?.orcpt ?? null,
  };
}

function envelopeOf(session: SMTPServerSession): Envelope {
  const from = session.envelope.mailFrom;
  return {
    mailFrom: from ? from.address : '',
    recipients: session.envelope.rcptTo.map((r) => ({ address: r.address, dsn: dsnOf(session, r) })),
  };
}

/** Shared by both kinds of listener: the per-address connection limit, and the end of DATA. */
function common(deps: HookDeps, listener: string): Pick<Hooks, 'onConnect' | 'onClose'> {
  return {
    onConnect(session, callback) {
      if (!deps.limit.acquire(session.remoteAddress)) {
        deps.log.warn({ listener, peer: session.remoteAddress }, 'too many connections from one address');
        return callback(reply(421, '4.7.0', 'too many connections from your address; try again later'));
      }
      (session as { counted?: boolean }).counted = true;
      callback();
    },
    onClose(session) {
      if ((session as { counted?: boolean }).counted) deps.limit.release(session.remoteAddress);
    },
  };
}

async function receiveData(
  deps: HookDeps,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  callback: (err?: Error | null, message?: string) => void,
  deliver: (raw: Buffer, id: string) => Promise<unknown>,
  maxSize: number,
): Promise<void> {
  const outcome = await readMessage(stream);
  if (!outcome.ok) {
    if (outcome.reason === 'aborted') return; // the client is gone; nothing was stored
    if (outcome.reason === 'too_big') return callback(reply(552, '5.3.4', `message exceeds the size limit of ${maxSize} bytes`));
    return callback(reply(550, '5.6.11', 'message contains a bare CR or LF; lines must end with CRLF (RFC 5321 §2.3.8)'));
  }
  const id = deps.pipeline.newId();
  try {
    await deliver(outcome.raw, id);
    // Only now, with every copy and queue entry committed and fsync'd, is 250 sent.
    callback(null, `2.0.0 OK: queued as ${id}`);
  } catch (err) {
    if (err instanceof DeliveryRefused) return callback(fromRefusal(err));
    if (err instanceof DiskFullError) {
      // RFC 5321 §4.2.2 452 "insufficient system storage"; RFC 3463 §3.4 X.3.1 "mail system
      // full": transient, so the client keeps the message and tries again later.
      deps.log.error({ id, peer: session.remoteAddress }, 'message refused: the disk holding the data directory is full');
      return callback(reply(452, '4.3.1', 'mail system full; try again later'));
    }
    deps.log.error({ err, id, peer: session.remoteAddress }, 'delivery failed');
    callback(reply(451, '4.3.0', 'local error in processing; try again later'));
  }
}

export function submissionHooks(deps: HookDeps, listener: string): Hooks {
  const base = common(deps, listener);
  return {
    ...base,
    onConnect(session, callback) {
      if (deps.auth.isThrottled(session.remoteAddress)) {
        return callback(reply(421, '4.7.0', 'too many failed logins from your address; try again later'));
      }
      // AUTH is offered only over TLS, or from this machine (RFC 8314 §3, RFC 4954 §4).
      if (!session.secure && !deps.isLocal(session.remoteAddress)) session.disabledCommands = ['AUTH'];
      base.onConnect!(session, callback);
    },
    onSecure(_socket, session, callback: Callback) {
      session.disabledCommands = undefined;
      callback();
    },
    onAuth(auth: SMTPServerAuthentication, session, callback) {
      if (!session.secure && !deps.isLocal(session.remoteAddress)) {
        return callback(reply(538, '5.7.11', 'encryption required: issue STARTTLS first'));
      }
      deps.auth
        .authenticate(auth.username ?? '', auth.password ?? '', { address: session.remoteAddress, protocol: 'smtp' })
        .then((result) => {
          if (result.ok) {
            const policyMax = deps.pipeline.governance.maxMessageSize(result.account);
            if (policyMax !== null && policyMax < deps.config.smtp.submissionMaxSize) deps.limitSize?.(session, policyMax);
            return callback(null, { user: { account: result.account, username: result.account.email } });
          }
          if (result.reason === 'throttled') {
            return callback(reply(421, '4.7.0', `too many failed logins; try again in ${result.retryAfterSeconds ?? 60} seconds`));
          }
          // One answer for every other failure: no hint whether the address exists.
          callback(reply(535, '5.7.8', 'authentication credentials invalid'));
        })
        .catch((err: unknown) => {
          deps.log.error({ err }, 'authentication failed unexpectedly');
          callback(reply(454, '4.7.0', 'temporary authentication failure'));
        });
    },
    onMailFrom(address, session, callback) {
      const account = sessionAccount(session);
      if (!account) {
        return callback(
          session.secure || deps.isLocal(session.remoteAddress)
            ? reply(530, '5.7.0', 'authentication required')
            : reply(530, '5.7.0', 'must issue a STARTTLS command first'),
        );
      }
      // RFC 6409 §6.1: the envelope sender must be the authenticated account's address.
      if (address.address.toLowerCase() !== account.email) {
        return callback(reply(553, '5.7.1', `sender address <${address.address}> is not yours; use <${account.email}>`));
      }
      // The account's daily sends (limit_count_daily_email_sent): 451 4.7.1 until 00:00 UTC.
      const quota = deps.pipeline.governance.checkSendQuota(account);
      if (quota) return callback(fromRefusal(quota));
      // RFC 1870 §6.1: a declared size over the account's limit is refused before DATA.
      const declared = Number((address as SMTPServerAddress & { args?: { SIZE?: string } }).args?.SIZE ?? 0);
      const max = sessionMaxSize(deps, session, deps.config.smtp.submissionMaxSize);
      if (declared > max) return callback(reply(552, '5.3.4', `message size ${declared} exceeds the limit of ${max} bytes for this account`));
      callback();
    },
    onRcptTo(address, session, callback) {
      const route = deps.pipeline.route(address.address);
      if (route.kind === 'unknown_local') return callback(reply(550, '5.1.1', `<${address.address}>: no such mailbox here`));
      if (route.kind === 'local') {
        try {
          const refusal = localRecipientRefusal(deps, route.account, sessionAccount(session)?.email ?? '');
          if (refusal) return callback(fromRefusal(refusal));
        } catch (err) {
          if (err instanceof DeliveryRefused) return callback(fromRefusal(err));
          throw err;
        }
      }
      callback();
    },
    onData(stream, session, callback) {
      const account = sessionAccount(session)!;
      void receiveData(
        deps,
        stream,
        session,
        callback,
        (raw, id) => deps.pipeline.deliver({ kind: 'submission', account, peer: peerInfo(session) }, envelopeOf(session), raw, id),
        sessionMaxSize(deps, session, deps.config.smtp.submissionMaxSize),
      );
    },
  };
}

export function mxHooks(deps: HookDeps, listener: string): Hooks {
  return {
    ...common(deps, listener),
    onRcptTo(address, session, callback) {
      const route = deps.pipeline.route(address.address);
      if (route.kind === 'local') {
        const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        try {
          const refusal = localRecipientRefusal(deps, route.account, sender);
          return callback(refusal ? fromRefusal(refusal) : undefined);
        } catch (err) {
          // A rule that cannot be evaluated: 451, fail closed.
          if (err instanceof DeliveryRefused) return callback(fromRefusal(err));
          throw err;
        }
      }
      if (route.kind === 'unknown_local') return callback(reply(550, '5.1.1', `<${address.address}>: no such mailbox here`));
      // Neither the recipient's domain nor (for a remote sender) the sender's is ours: relaying.
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      if (from && deps.pipeline.route(from).kind !== 'remote') {
        return callback(reply(550, '5.1.1', `<${address.address}>: this server does not handle mail for that domain`));
      }
      deps.log.warn({ peer: session.remoteAddress, from, to: address.address }, 'relay attempt refused');
      callback(reply(550, '5.7.1', `<${address.address}>: relay access denied`));
    },
    onData(stream, session, callback) {
      void receiveData(
        deps,
        stream,
        session,
        callback,
        (raw, id) => deps.pipeline.deliver({ kind: 'inbound', peer: peerInfo(session) }, envelopeOf(session), raw, id),
        deps.config.smtp.mxMaxSize,
      );
    },
  };
}
