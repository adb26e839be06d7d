// Loads seed mail into a target's INBOX over IMAP APPEND — the same way for Wicket and Dovecot,
// on a few connections at once.
import { RawImap } from './imap.js';
import { seedMessage } from './messages.js';
import type { Account, Target } from './types.js';

export async function seedInbox(target: Target, account: Account, count: number, log: (line: string) => void, connections = 4): Promise<void> {
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const imap = await RawImap.connect(target.imapPort);
      try {
        await imap.login(account.email, account.password);
        for (;;) {
          const i = next++;
          if (i >= count) break;
          // Two in three are read, as in a mailbox that is in use.
          await imap.command(`APPEND INBOX${i % 3 ? ' (\\Seen)' : ''}`, seedMessage(i, { to: account.email }));
          if (++done % 20_000 === 0) log(`  ${target.name}: ${done.toLocaleString('en')} of ${count.toLocaleString('en')} appended`);
        }
        await imap.command('LOGOUT').catch(() => undefined);
      } finally {
        imap.close();
      }
    }),
  );
  log(`  ${target.name}: ${count.toLocaleString('en')} messages appended to ${account.email} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
