// The inbox's change stream (Server-Sent Events): `event: change` whenever the account's mail or
// folders change — a delivery, a flag set by IMAP or the API, a move, an expunge — from the same
// change bus IMAP IDLE listens to. The event carries nothing: the page asks the fragment route
// for the list again, through the same gate as every other request.
//
// A stream ends when the browser goes, when the account is deleted, and when the gateway stops
// listening (a stream left open would otherwise hold the shutdown until its grace period ends).
import type { Change } from '../../store/types.js';
import { SENT, type WebRequest, get } from '../context.js';
import { accountOf } from './accounts.js';
import { folderOf } from './inbox-common.js';

/** A comment line this often keeps proxies and browsers from timing the stream out. */
const HEARTBEAT_MS = 25_000;
/** How often a stream looks whether the server is shutting down. */
const SHUTDOWN_CHECK_MS = 1_000;
/** Changes within this window (a delivery, a bulk flag change) become one event. */
const COALESCE_MS = 150;

const MAIL_CHANGES = new Set<Change['type']>(['message.created', 'message.updated', 'message.deleted', 'folder.created', 'folder.updated', 'folder.deleted']);

function events(w: WebRequest): typeof SENT {
  const account = accountOf(w);
  // Another account's folder id is a 404 here too, before the stream starts.
  if (w.query.folder !== undefined) folderOf(w, account);
  const server = w.req.server.server;
  const reply = w.reply;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-accel-buffering': 'no',
  });
  // Sends the headers now, and tells EventSource how soon to come back after a drop.
  res.write('retry: 5000\n\n');

  let closed = false;
  let pending: NodeJS.Timeout | undefined;
  let sinceHeartbeat = 0;
  const finish = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(ticker);
    if (pending) clearTimeout(pending);
    res.end();
  };
  const unsubscribe = w.services.store.changes.subscribe((change) => {
    if (closed || change.accountId !== account.id) return;
    if (change.type === 'grant.deleted') {
      finish();
      return;
    }
    if (!MAIL_CHANGES.has(change.type) || pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      if (!closed) res.write('event: change\ndata: {}\n\n');
    }, COALESCE_MS);
  });
  const ticker = setInterval(() => {
    if (!server.listening) {
      finish();
      return;
    }
    sinceHeartbeat += SHUTDOWN_CHECK_MS;
    if (sinceHeartbeat >= HEARTBEAT_MS) {
      sinceHeartbeat = 0;
      res.write(': keep-alive\n\n');
    }
  }, SHUTDOWN_CHECK_MS);
  ticker.unref();
  res.on('close', finish);
  return SENT;
}

export const LIVE_ROUTES = [get('/dashboard/apps/:app/accounts/:account/mail/events', 'member', events)];
