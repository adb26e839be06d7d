// Changes other processes made to the same data directory (the CLI beside a running server)
// reach this process's change bus: the server polls the events outbox for account events it
// did not write itself. A password reset or an account deletion made with the CLI thus ends
// the account's IMAP sessions too.
import type { Store } from './store.js';
import type { Change } from './types.js';

export function watchForeignChanges(store: Store, intervalMs = 1000): () => void {
  let last = store.events.lastId();
  const timer = setInterval(() => {
    for (;;) {
      const events = store.events.listAfter(last, 500);
      if (events.length === 0) return;
      last = events[events.length - 1]!.id;
      const foreign: Change[] = [];
      for (const e of events) {
        if (e.origin === store.events.origin || !e.applicationId || !e.accountId) continue;
        if (e.type === 'grant.updated') {
          foreign.push({ type: 'grant.updated', applicationId: e.applicationId, accountId: e.accountId, passwordChanged: e.object.password_changed === true });
        } else if (e.type === 'grant.deleted' || e.type === 'grant.created') {
          foreign.push({ type: e.type, applicationId: e.applicationId, accountId: e.accountId });
        }
      }
      store.changes.publish(foreign);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
