import { describe, expect, it } from 'vitest';
import { expectRefused, seededDirs, wicket, wicketOk } from '../helpers/cli.js';
import { startFakeDns } from '../helpers/dns-server.js';
import { tempDir } from '../helpers/tmp.js';

const RECORD_KEYS = ['checked_at', 'host', 'key', 'purpose', 'reason', 'required', 'status', 'type', 'value', 'zone'];

describe('wicket domain', () => {
  it('add --json returns the domain with its records to publish', async () => {
    const dir = tempDir();
    const { json } = await wicketOk(dir, ['domain', 'add', 'Agents.Example.com', '--json'], { env: { WICKET_HOSTNAME: 'mail.example.net' } });
    expect(Object.keys(json).sort()).toEqual(['account_count', 'created_at', 'dkim_selector', 'id', 'name', 'records', 'status', 'updated_at']);
    expect(json).toMatchObject({ name: 'agents.example.com', status: 'pending' });
    expect(json.records.map((r: { key: string }) => r.key)).toEqual([
      'mx', 'spf', 'dkim', 'dmarc', 'ownership', 'srv_imaps', 'srv_submissions', 'srv_submission', 'autoconfig',
    ]);
    for (const r of json.records) {
      expect(Object.keys(r).filter((k) => k !== 'priority').sort()).toEqual(RECORD_KEYS);
      expect(r.status).toBe('pending');
    }
    expect(json.records[0]).toMatchObject({ type: 'MX', host: 'agents.example.com', value: 'mail.example.net', priority: 10 });
    expect(JSON.stringify(json)).not.toContain('PRIVATE KEY');
  });

  it('list, get and records, by name or id', async () => {
    const dir = tempDir();
    const a = (await wicketOk(dir, ['domain', 'add', 'agents.example.com', '--json'])).json;
    await wicketOk(dir, ['domain', 'add', 'b.example.org']);
    const list = (await wicketOk(dir, ['domain', 'list', '--json'])).json;
    expect(list.map((d: { name: string }) => d.name)).toEqual(['agents.example.com', 'b.example.org']);
    expect((await wicketOk(dir, ['domain', 'get', a.id, '--json'])).json).toEqual(a);
    expect((await wicketOk(dir, ['domain', 'get', 'AGENTS.example.com', '--json'])).json).toEqual(a);
    expect((await wicketOk(dir, ['domain', 'list'])).stdout).toMatch(/^Domains \(2\)\nNAME +ID +STATUS +ACCOUNTS +CREATED\nagents\.example\.com /);
    const records = (await wicketOk(dir, ['domain', 'records', 'agents.example.com', '--json'])).json;
    expect(records).toEqual(a.records);
    const text = (await wicketOk(dir, ['domain', 'records', 'agents.example.com'])).stdout;
    expect(text).toContain(`host:  ${a.dkim_selector}._domainkey.agents.example.com`);
    expect(text).toContain('WICKET_HOSTNAME is "localhost"');
    const zone = (await wicketOk(dir, ['domain', 'records', 'agents.example.com', '--zone'])).stdout.trimEnd().split('\n');
    expect(zone).toHaveLength(9);
    expect(zone[0]).toBe('agents.example.com. 3600 IN MX 10 localhost.');
  });

  it('verify against a DNS server that holds the records marks them verified', async () => {
    const dir = tempDir();
    const dns = await startFakeDns();
    const env = { WICKET_HOSTNAME: 'mail.example.net', WICKET_DNS_SERVERS: dns.server };
    const added = (await wicketOk(dir, ['domain', 'add', 'agents.example.com', '--json'], { env })).json;
    for (const r of added.records as { type: string; host: string; value: string; priority?: number }[]) {
      if (r.type === 'MX') dns.records.push({ type: 'MX', name: r.host, exchange: r.value });
      else if (r.type === 'TXT') dns.records.push({ type: 'TXT', name: r.host, data: r.value.match(/.{1,255}/g)! });
      else if (r.type === 'CNAME') dns.records.push({ type: 'CNAME', name: r.host, data: r.value });
      // SRV records left out: recommended, not required.
    }
    const verified = (await wicketOk(dir, ['domain', 'verify', 'agents.example.com', '--json'], { env })).json;
    expect(verified.status).toBe('verified');
    const status = Object.fromEntries(verified.records.map((r: { key: string; status: string }) => [r.key, r.status]));
    expect(status).toEqual({
      mx: 'verified', spf: 'verified', dkim: 'verified', dmarc: 'verified', ownership: 'verified',
      srv_imaps: 'unverified', srv_submissions: 'unverified', srv_submission: 'unverified', autoconfig: 'verified',
    });
    // Stored: `get` shows it later without DNS.
    expect((await wicketOk(dir, ['domain', 'get', 'agents.example.com', '--json'])).json.status).toBe('verified');
  });

  it('verify with no DNS reachable reports every record unverified with the reason, and exits 0', async () => {
    const dir = tempDir();
    await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
    const result = await wicketOk(dir, ['domain', 'verify', 'agents.example.com']);
    expect(result.stdout).toMatch(/^Verified agents\.example\.com: unverified\n/);
    const rows = result.stdout.trimEnd().split('\n').slice(2);
    expect(rows).toHaveLength(9);
    for (const row of rows) expect(row).toMatch(/unverified +(the DNS server refused the query|DNS lookup of .* timed out)/);
  });

  it('delete: refused while accounts exist, forced with --force, confirmed with --yes', async () => {
    const dir = tempDir();
    await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
    await wicketOk(dir, ['account', 'create', 'a@agents.example.com']);
    const refused = await wicket(dir, ['domain', 'delete', 'agents.example.com', '--yes']);
    expect(refused).toMatchObject({
      code: 1,
      stderr: 'wicket: domain agents.example.com still has 1 account; delete it first or force the deletion\n',
    });
    const noYes = await wicket(dir, ['domain', 'delete', 'agents.example.com', '--force']);
    expect(noYes.code).toBe(2);
    const forced = await wicketOk(dir, ['domain', 'delete', 'agents.example.com', '--force', '--yes', '--json']);
    expect(forced.json).toMatchObject({ deleted: true, name: 'agents.example.com', accounts_deleted: 1 });
    expect((await wicketOk(dir, ['account', 'list', '--json'])).json).toEqual([]);
    expect((await wicketOk(dir, ['domain', 'list', '--json'])).json).toEqual([]);
  });
});

describe('wicket domain: bad input', () => {
  const seeded = seededDirs(async (dir) => {
    await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
  });

  it.each([
    [['domain', 'add', 'not a domain'], 1, 'wicket: "not a domain" is not a domain name'],
    [['domain', 'add', 'localhost'], 1, 'wicket: "localhost" needs at least two labels, such as example.com'],
    [['domain', 'add', 'agents.example.com'], 1, 'wicket: domain agents.example.com is already registered'],
    [['domain', 'add', 'AGENTS.EXAMPLE.COM.'], 1, 'wicket: domain agents.example.com is already registered'],
    [['domain', 'get', 'nope.example'], 1, 'wicket: domain nope.example is not registered'],
    [['domain', 'records', 'nope.example'], 1, 'wicket: domain nope.example is not registered'],
    [['domain', 'verify', 'nope.example'], 1, 'wicket: domain nope.example is not registered'],
    [['domain', 'delete', 'nope.example', '--yes'], 1, 'wicket: domain nope.example is not registered'],
    [['domain', 'delete', 'agents.example.com'], 2, 'wicket: refusing to delete domain agents.example.com without --yes (standard input is not a terminal)'],
    [['domain', 'add'], 2, "wicket: missing required argument 'domain'"],
  ])('wicket %j → exit %i', async (args, code, message) => {
    await expectRefused(await seeded(), args, code, message);
  });
});
