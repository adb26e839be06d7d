import { describe, expect, it } from 'vitest';
import { createDnsLookup } from '../../src/accounts/dns-verify.js';
import { type FakeRecord, startFakeDns } from '../helpers/dns-server.js';
import { openWorld } from '../helpers/services.js';

const HOST = 'mail.example.net';

/** Everything `wicket domain records` tells the user to publish, as published. */
function publishedRecords(details: { records: { key: string; type: string; host: string; value: string }[] }): FakeRecord[] {
  return details.records.map((r): FakeRecord => {
    switch (r.type) {
      case 'MX':
        return { type: 'MX', name: r.host, exchange: r.value };
      case 'SRV': {
        const [priority, weight, port, target] = r.value.split(' ');
        return { type: 'SRV', name: r.host, target: target!, port: Number(port), priority: Number(priority), weight: Number(weight) };
      }
      case 'CNAME':
        return { type: 'CNAME', name: r.host, data: r.value };
      default:
        // Long TXT values arrive split into 255-octet strings, as DNS carries them.
        return { type: 'TXT', name: r.host, data: r.value.match(/.{1,255}/g)! };
    }
  });
}

async function world(records: FakeRecord[] = [], timeoutMs = 1000) {
  const dns = await startFakeDns(records);
  const w = openWorld({
    // Behind the production port map: SRV records name the standard ports.
    env: { WICKET_HOSTNAME: HOST, WICKET_PUBLIC_IMAPS_PORT: '993', WICKET_PUBLIC_SUBMISSIONS_PORT: '465', WICKET_PUBLIC_SUBMISSION_PORT: '587' },
    lookup: createDnsLookup([dns.server], timeoutMs),
  });
  return { dns, ...w };
}

describe('domain verify', () => {
  it('verifies every record published as `records` says', async () => {
    const { dns, services } = await world();
    const added = await services.domains.add('agents.example.com');
    dns.records.push(...publishedRecords(added));
    const verified = await services.domains.verify('agents.example.com');
    expect(verified.records.map((r) => [r.key, r.status, r.reason])).toEqual(verified.records.map((r) => [r.key, 'verified', null]));
    expect(verified.status).toBe('verified');
    // The outcome is stored: a later `get` shows it without asking DNS again.
    dns.records.length = 0;
    expect(services.domains.get('agents.example.com').status).toBe('verified');
  });

  it('says what is wrong with each record that does not match', async () => {
    const { dns, services } = await world();
    const added = await services.domains.add('agents.example.com');
    const d = 'agents.example.com';
    dns.records.push(
      { type: 'MX', name: d, exchange: 'mx.elsewhere.example' },
      { type: 'TXT', name: d, data: 'v=spf1 include:_spf.elsewhere.example -all' },
      { type: 'TXT', name: `${added.domain.dkimSelector}._domainkey.${d}`, data: 'v=DKIM1; k=rsa; p=AAAA' },
      { type: 'TXT', name: `_wicket.${d}`, data: 'wicket-verification=not-the-token' },
      { type: 'SRV', name: `_imaps._tcp.${d}`, target: HOST, port: 143 },
      { type: 'CNAME', name: `autoconfig.${d}`, data: 'autoconfig.elsewhere.example' },
    );
    const result = await services.domains.verify(d);
    const reason = Object.fromEntries(result.records.map((r) => [r.key, r.reason]));
    expect(result.records.every((r) => r.status === 'unverified')).toBe(true);
    expect(result.status).toBe('unverified');
    expect(reason.mx).toBe(`MX points to mx.elsewhere.example, expected ${HOST}`);
    expect(reason.spf).toMatch(/does not authorize mail\.example\.net/);
    expect(reason.dkim).toMatch(/different public key/);
    expect(reason.dmarc).toBe(`_dmarc.${d} does not exist in DNS`);
    expect(reason.ownership).toMatch(/does not hold this domain's verification token/);
    expect(reason.srv_imaps).toMatch(/expected mail\.example\.net:993/);
    expect(reason.srv_submission).toBe(`_submission._tcp.${d} does not exist in DNS`);
    expect(reason.autoconfig).toMatch(/alias of autoconfig\.elsewhere\.example/);
  });

  it('refuses two SPF records (RFC 7208 §3.2)', async () => {
    const { dns, services } = await world();
    await services.domains.add('agents.example.com');
    dns.records.push(
      { type: 'TXT', name: 'agents.example.com', data: `v=spf1 a:${HOST} -all` },
      { type: 'TXT', name: 'agents.example.com', data: 'v=spf1 mx -all' },
    );
    const spf = (await services.domains.verify('agents.example.com')).records.find((r) => r.key === 'spf');
    expect(spf?.reason).toMatch(/2 SPF records/);
  });

  it('reports a timeout per record, without hanging, when DNS does not answer', async () => {
    const { dns, services } = await world([], 300);
    const added = await services.domains.add('agents.example.com');
    for (const r of added.records) dns.silent.add(r.host.toLowerCase());
    const result = await services.domains.verify('agents.example.com');
    for (const r of result.records) expect([r.status, r.reason]).toEqual(['unverified', `DNS lookup of ${r.host} timed out after 300 ms`]);
  });

  it('reports an unreachable DNS server per record', async () => {
    // Nothing listens on the discard port of loopback.
    const w = openWorld({ lookup: createDnsLookup(['127.0.0.1:9'], 300) });
    await w.services.domains.add('agents.example.com');
    const result = await w.services.domains.verify('agents.example.com');
    expect(result.records).toHaveLength(9);
    for (const r of result.records) {
      expect(r.status).toBe('unverified');
      expect(r.reason).toMatch(/refused|timed out/);
    }
  });
});
