// wicket domain add|list|get|records|verify|delete
import type { Command } from 'commander';
import type { DomainDetails } from '../../accounts/domains.js';
import { zoneLine } from '../../accounts/dns-records.js';
import { domainView } from '../../accounts/views.js';
import { context } from '../context.js';
import { confirm, isoTime, print, printJson, printTable } from '../io.js';

function showRecords(details: DomainDetails, hostname: string): void {
  print(`DNS records for ${details.domain.name} (domain status: ${details.status})`);
  if (hostname === 'localhost') {
    print('  Note: WICKET_HOSTNAME is "localhost"; set it to this server\'s public name before publishing these.');
  }
  for (const r of details.records) {
    print();
    const state = r.status === 'pending' ? 'not checked yet' : r.status;
    print(`${r.type.padEnd(5)} ${r.required ? 'required' : 'recommended'}, ${state}${r.reason ? `: ${r.reason}` : ''}`);
    print(`  host:  ${r.host}`);
    print(`  value: ${r.priority !== undefined ? `${r.priority} ` : ''}${r.value}`);
    print(`  zone:  ${zoneLine(r)}`);
    print(`  why:   ${r.purpose}`);
  }
}

export function registerDomain(program: Command): void {
  const domain = program.command('domain').description('mail domains hosted by this gateway, and their DNS records');

  domain
    .command('add <domain>')
    .description('register a domain (generates its DKIM key and ownership token)')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const ctx = context();
      const details = await ctx.services.domains.add(name);
      if (opts.json) {
        printJson(domainView(details));
        return;
      }
      print(`Domain ${details.domain.name} registered (${details.domain.id})`);
      print(`Publish its DNS records, then run: wicket domain verify ${details.domain.name}`);
      print();
      showRecords(details, ctx.config.hostname);
    });

  domain
    .command('list')
    .description('list registered domains')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const ctx = context();
      const domains = ctx.services.domains.list();
      if (opts.json) {
        printJson(domains.map(domainView));
        return;
      }
      print(`Domains (${domains.length})`);
      if (domains.length === 0) return;
      printTable(
        ['NAME', 'ID', 'STATUS', 'ACCOUNTS', 'CREATED'],
        domains.map((d) => [
          d.domain.name,
          d.domain.id,
          d.status,
          String(d.accountCount),
          isoTime(d.domain.createdAt),
        ]),
      );
    });

  domain
    .command('get <id|name>')
    .description('show a domain with the status of each record')
    .option('--json', 'print JSON')
    .action((ref: string, opts: { json?: boolean }) => {
      const ctx = context();
      const details = ctx.services.domains.get(ref);
      if (opts.json) {
        printJson(domainView(details));
        return;
      }
      print(`Domain ${details.domain.name}`);
      print(`  ID:            ${details.domain.id}`);
      print(`  Status:        ${details.status}`);
      print(`  DKIM selector: ${details.domain.dkimSelector}`);
      print(`  Accounts:      ${details.accountCount}`);
      print(`  Created:       ${isoTime(details.domain.createdAt)}`);
      for (const r of details.records) {
        print(`  ${r.key.padEnd(16)} ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
      }
    });

  domain
    .command('records <id|name>')
    .description('print the DNS records to publish')
    .option('--json', 'print JSON')
    .option('--zone', 'print only zone-file lines')
    .action((ref: string, opts: { json?: boolean; zone?: boolean }) => {
      const ctx = context();
      const details = ctx.services.domains.get(ref);
      if (opts.json) printJson(domainView(details).records);
      else if (opts.zone) for (const r of details.records) print(zoneLine(r));
      else showRecords(details, ctx.config.hostname);
    });

  domain
    .command('verify <id|name>')
    .description('look the records up in DNS and record the result of each')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const ctx = context();
      const details = await ctx.services.domains.verify(ref);
      if (opts.json) {
        printJson(domainView(details));
        return;
      }
      print(`Verified ${details.domain.name}: ${details.status}`);
      printTable(
        ['RECORD', 'TYPE', 'HOST', 'STATUS', 'REASON'],
        details.records.map((r) => [r.key, r.type, r.host, r.status, r.reason ?? '']),
      );
    });

  domain
    .command('delete <id|name>')
    .description('delete a domain (refused while it has accounts, unless --force)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--force', 'also delete every account on the domain, with its mail')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { yes?: boolean; force?: boolean; json?: boolean }) => {
      const ctx = context();
      const found = ctx.services.domains.find(ref);
      const accounts = ctx.services.domains.accountCount(found);
      const question =
        opts.force && accounts > 0
          ? `delete domain ${found.name} and its ${accounts} account${accounts === 1 ? '' : 's'} with all their mail`
          : `delete domain ${found.name}`;
      if (accounts === 0 || opts.force) await confirm(question, opts.yes);
      const { domain: deleted, accountsDeleted } = ctx.services.domains.delete(found.id, { force: opts.force });
      if (opts.json) printJson({ deleted: true, id: deleted.id, name: deleted.name, accounts_deleted: accountsDeleted });
      else print(`Domain ${deleted.name} deleted${accountsDeleted > 0 ? ` with ${accountsDeleted} account(s)` : ''}`);
    });
}
