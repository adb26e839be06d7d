// Loads seed mail into a target's INBOX over IMAP APPEND — the same messages for Wicket and
// Dovecot, on a few connections at once. A server that offers MULTIAPPEND (RFC 3502; Dovecot
// does) takes them a hundred to a command: Dovecot commits a single APPEND's Maildir and index
// changes one by one, and 100,000 of those took it over an hour.
import { RawImap } from './imap.js';
import { seedMessage } from './messages.js';
import type { Account, Target } from './types.js';

const MULTIAPPEND_BATCH = 100;

/** Two in three seed messages are read, as in a mailbox that is in use. */
const flagsOf = (i: number): string => (i % 3 ? '(\\Seen)' : '');

export async function seedInbox(target: Target, account: Account, count: number, log: (line: string) => void, connections = 4): Promise<void> {
  let next = 0;
  let done = 0;
  let reported = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const imap = await RawImap.connect(target.imapPort);
      try {
        await imap.login(account.email, account.password);
        const multi = /\bMULTIAPPEND\b/i.test((await imap.command('CAPABILITY')).text);
        const batch = multi ? MULTIAPPEND_BATCH : 1;
        for (;;) {
          const first = next;
          next += batch;
          if (first >= count) break;
          const pieces: [string, Buffer][] = [];
          for (let i = first; i < Math.min(count, first + batch); i++) {
            pieces.push([`${i === first ? 'APPEND INBOX ' : ''}${flagsOf(i)}`.trimEnd(), seedMessage(i, { to: account.email })]);
          }
          await imap.commandWith(pieces);
          done += pieces.length;
          if (done - reported >= 20_000) {
            reported = done - (done % 20_000);
            log(`  ${target.name}: ${reported.toLocaleString('en')} of ${count.toLocaleString('en')} appended`);
          }
        }
        await imap.command('LOGOUT').catch(() => undefined);
      } finally {
        imap.close();
      }
    }),
  );
  log(`  ${target.name}: ${count.toLocaleString('en')} messages appended to ${account.email} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
