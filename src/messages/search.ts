// `search_query_native`: an IMAP SEARCH criteria string (RFC 3501 §6.4.4, e.g.
// `FROM alice UNSEEN SINCE 1-Feb-2024`), read by the IMAP parser and evaluated by the IMAP
// evaluator against each message, so the API and IMAP clients find the same messages.
import { ValidationError } from '../errors.js';
import { parseCommand, isCommand } from '../imap/protocol/tokenizer.js';
import { matchesSearch } from '../imap/search/evaluate.js';
import { SearchCharsetError, SearchSyntaxError, parseSearch } from '../imap/search/parse.js';
import type { SearchKey } from '../imap/search/types.js';
import { StoredMessage } from '../imap/searchable.js';
import type { Store } from '../store/store.js';
import type { MessageRecord } from '../store/types.js';

const invalid = (message: string) => new ValidationError('search_query_native', 'syntax', `search_query_native: ${message}`);

/** Sequence numbers and UIDs only mean something inside one selected folder. */
function folderBound(key: SearchKey): boolean {
  switch (key.op) {
    case 'seq':
    case 'uid':
      return true;
    case 'and':
      return key.keys.some(folderBound);
    case 'or':
      return folderBound(key.left) || folderBound(key.right);
    case 'not':
      return folderBound(key.key);
    default:
      return false;
  }
}

export function parseNativeQuery(query: string): SearchKey {
  if (query.trim() === '') throw invalid('the query is empty');
  if (/[\r\n\0]/.test(query)) throw invalid('the query must be one line');
  if (/\{\d+\+?\}/.test(query)) throw invalid('literals are not supported; quote strings instead');
  const command = parseCommand(Buffer.from(`A SEARCH ${query}`, 'utf8'));
  if (!isCommand(command)) throw invalid(command.message);
  try {
    const parsed = parseSearch(command.args, { utf8: true });
    if (parsed.returnOptions) throw invalid('RETURN options are not supported here');
    if (folderBound(parsed.key)) throw invalid('message sequence numbers and UID sets need a selected IMAP folder');
    return parsed.key;
  } catch (err) {
    if (err instanceof SearchSyntaxError || err instanceof SearchCharsetError) throw invalid(err.message);
    throw err;
  }
}

export function matchesNative(store: Store, key: SearchKey, record: MessageRecord): boolean {
  const message = new StoredMessage({ seq: 1, uid: record.uid }, record, store, record.recent);
  return matchesSearch(key, message, { maxSeq: 1, maxUid: record.uid });
}
