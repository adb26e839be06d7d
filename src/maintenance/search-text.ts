// Fills in SEARCH's header text for messages stored before it was kept (schema version 10):
// a few hundred at a time, yielding to the event loop between batches, until none is left.
// Until then SEARCH reads those messages itself, so answers are right all along, only slower.
import type { Logger } from '../log.js';
import { searchFields } from '../mail/search-fields.js';
import type { Store } from '../store/store.js';

const BATCH = 200;

/** Starts the fill; the returned function stops it (at the end of the current batch). */
export function backfillSearchText(store: Store, log: Logger): () => void {
  let stopped = false;
  let done = 0;
  const step = (): void => {
    if (stopped) return;
    try {
      const batch = store.mail.messagesWithoutSearchText(BATCH);
      if (batch.length === 0) {
        if (done > 0) log.info({ messages: done }, 'search text computed for messages stored before it was kept');
        return;
      }
      store.mail.setSearchText(batch.map((m) => ({ id: m.id, search: searchFields(m.raw) })));
      done += batch.length;
      setImmediate(step);
    } catch (err) {
      log.error({ err }, 'computing search text failed; SEARCH keeps reading those messages');
    }
  };
  setImmediate(step);
  return () => {
    stopped = true;
  };
}
