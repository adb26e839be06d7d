// wicket queue list|retry|flush|delete
import type { Command } from 'commander';
import { queueEntryView } from '../../delivery/views.js';
import { NotFoundError } from '../../errors.js';
import { context } from '../context.js';
import { confirm, isoTime, print, printJson, printTable } from '../io.js';

export function registerQueue(program: Command): void {
  const queue = program.command('queue').description('the outbound queue: mail to remote recipients');

  queue
    .command('list')
    .description('list entries not yet delivered (held, queued, sending, failed)')
    .option('--all', 'include delivered entries')
    .option('--json', 'print JSON')
    .action((opts: { all?: boolean; json?: boolean }) => {
      const ctx = context();
      const entries = ctx.services.queue.list({ all: opts.all });
      if (opts.json) {
        printJson(entries.map(queueEntryView));
        return;
      }
      print(`Queue (${entries.length}) — relay: ${ctx.config.relay.mode}`);
      if (entries.length === 0) return;
      printTable(
        ['ID', 'STATUS', 'FROM', 'TO', 'ATTEMPTS', 'NEXT ATTEMPT', 'LAST RESPONSE'],
        entries.map((e) => [
          e.id,
          e.status,
          e.mailFrom,
          e.rcptTo,
          String(e.attempts),
          e.status === 'queued' ? isoTime(e.nextAttemptAt) : '-',
          (e.lastError ?? '').slice(0, 80),
        ]),
      );
    });

  queue
    .command('retry <id|all>')
    .description('make an entry, or all held and queued ones, due now (releases held mail to the relay)')
    .option('--json', 'print JSON')
    .action((ref: string, opts: { json?: boolean }) => {
      const ctx = context();
      if (ref !== 'all' && !ctx.services.queue.get(ref)) throw new NotFoundError(`queue entry ${ref} not found`);
      const count = ctx.services.queue.retry(ref);
      if (opts.json) printJson({ retried: count });
      else print(`${count} entr${count === 1 ? 'y' : 'ies'} due now; the running server sends ${count === 1 ? 'it' : 'them'} within seconds (or run: wicket queue flush)`);
    });

  queue
    .command('flush')
    .description('attempt every queued entry now, from this process')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const ctx = context();
      const result = await ctx.services.queue.flush();
      if (opts.json) {
        printJson(result);
        return;
      }
      if (result.relay === 'none') print('WICKET_RELAY is "none": nothing is sent.');
      else print(`Attempted ${result.attempted}: ${result.delivered} delivered, ${result.deferred} deferred, ${result.failed} failed.`);
      if (result.held > 0) print(`${result.held} held entr${result.held === 1 ? 'y stays' : 'ies stay'} held (release with: wicket queue retry all).`);
    });

  queue
    .command('delete <id>')
    .description('remove an entry: the message is not sent to that recipient')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { yes?: boolean; json?: boolean }) => {
      const ctx = context();
      const entry = ctx.services.queue.get(id);
      if (!entry) throw new NotFoundError(`queue entry ${id} not found`);
      await confirm(`delete queue entry ${id} (to ${entry.rcptTo})`, opts.yes);
      const removed = ctx.services.queue.remove(id);
      if (opts.json) printJson({ deleted: true, id: removed.id, to: removed.rcptTo });
      else print(`Queue entry ${removed.id} (to ${removed.rcptTo}) deleted`);
    });
}
