import { describe, expect, it } from 'vitest';
import { checkDnsbl, DNSBL_LISTED_SCORE, dnsblQueryName, dnsblTests, isPublicAddress } from '../../../src/policy/spam/dnsbl.js';
import { FakeResolver } from './fake-resolver.js';

const ZONES = ['zen.spamhaus.org', 'bl.spamcop.net'];

describe('dnsblQueryName', () => {
  it('reverses the octets of an IPv4 address (RFC 5782 §2.1)', () => {
    expect(dnsblQueryName('192.0.2.99', 'bl.example')).toBe('99.2.0.192.bl.example');
    expect(dnsblQueryName('203.0.113.7', 'zen.spamhaus.org.')).toBe('7.113.0.203.zen.spamhaus.org');
  });

  it('reverses the 32 nibbles of an IPv6 address (RFC 5782 §2.4)', () => {
    // The RFC's own example.
    expect(dnsblQueryName('2001:db8:1:2:3:4:567:89ab', 'ugly.example')).toBe(
      'b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example',
    );
    // A compressed address is expanded first.
    expect(dnsblQueryName('2001:DB8::1', 'bl.example')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example');
    // An IPv4 tail (RFC 4291 §2.2) is two groups: 192.0.2.33 = c000:0221.
    expect(dnsblQueryName('64:ff9b::192.0.2.33', 'bl.example')).toBe('1.2.2.0.0.0.0.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.b.9.f.f.4.6.0.0.bl.example');
  });

  it('looks an IPv4-mapped IPv6 address up as IPv4', () => {
    expect(dnsblQueryName('::ffff:192.0.2.99', 'bl.example')).toBe('99.2.0.192.bl.example');
  });

  it('has no name for what is not an address', () => {
    expect(dnsblQueryName('mail.example.com', 'bl.example')).toBeNull();
    expect(dnsblQueryName('', 'bl.example')).toBeNull();
  });
});

describe('isPublicAddress', () => {
  it('is false for loopback, private, link-local, shared and multicast addresses', () => {
    for (const ip of ['127.0.0.1', '127.0.0.2', '10.1.2.3', '172.16.5.4', '172.31.255.255', '192.168.1.1', '100.64.0.1', '169.254.10.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', 'ff02::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1', 'not-an-ip']) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
  });

  it('is true for public addresses', () => {
    for (const ip of ['192.0.2.99', '8.8.8.8', '172.32.0.1', '2001:db8::1', '::ffff:203.0.113.7']) {
      expect(isPublicAddress(ip), ip).toBe(true);
    }
  });
});

describe('checkDnsbl', () => {
  it('asks every zone, and scores each listing with the zone named', async () => {
    const resolver = new FakeResolver().add('99.2.0.192.zen.spamhaus.org', 'A', '127.0.0.4');
    const results = await checkDnsbl('192.0.2.99', ZONES, resolver, 500);
    expect(results).toEqual([
      { zone: 'zen.spamhaus.org', query: '99.2.0.192.zen.spamhaus.org', status: 'listed', answers: ['127.0.0.4'] },
      { zone: 'bl.spamcop.net', query: '99.2.0.192.bl.spamcop.net', status: 'not_listed', answers: [] },
    ]);
    expect(resolver.queries.map((q) => q.name).sort()).toEqual(['99.2.0.192.bl.spamcop.net', '99.2.0.192.zen.spamhaus.org']);
    const tests = dnsblTests(results);
    expect(tests).toEqual([{ rule: 'DNSBL_ZEN_SPAMHAUS_ORG', score: DNSBL_LISTED_SCORE, detail: expect.stringContaining('zen.spamhaus.org') }]);
    expect(DNSBL_LISTED_SCORE).toBe(3.0);
  });

  it('scores each zone that lists the address', async () => {
    const resolver = new FakeResolver()
      .add('99.2.0.192.zen.spamhaus.org', 'A', '127.0.0.2')
      .add('99.2.0.192.bl.spamcop.net', 'A', '127.0.0.2');
    const tests = dnsblTests(await checkDnsbl('192.0.2.99', ZONES, resolver, 500));
    expect(tests.map((t) => [t.rule, t.score])).toEqual([
      ['DNSBL_ZEN_SPAMHAUS_ORG', 3.0],
      ['DNSBL_BL_SPAMCOP_NET', 3.0],
    ]);
  });

  it('looks IPv6 clients up by nibbles', async () => {
    const resolver = new FakeResolver();
    await checkDnsbl('2001:db8::1', ['bl.example'], resolver, 500);
    expect(resolver.queries).toEqual([{ name: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example', rrtype: 'A' }]);
  });

  it('skips a zone that does not answer in time, asking all zones at once', async () => {
    const resolver = new FakeResolver('silent');
    const started = Date.now();
    const results = await checkDnsbl('192.0.2.99', ZONES, resolver, 200);
    // In parallel: two silent zones cost one deadline, not two.
    expect(Date.now() - started).toBeLessThan(2 * 200 - 10);
    expect(results.map((r) => [r.zone, r.status])).toEqual([
      ['zen.spamhaus.org', 'skipped'],
      ['bl.spamcop.net', 'skipped'],
    ]);
    expect(results[0]?.reason).toContain('200 ms');
    expect(dnsblTests(results)).toEqual([]);
  });

  it('skips a zone whose server fails, and one that answers outside 127.0.0.x', async () => {
    const refused = await checkDnsbl('192.0.2.99', ['bl.example'], new FakeResolver('refused'), 500);
    expect(refused).toEqual([expect.objectContaining({ status: 'skipped', reason: expect.stringContaining('ECONNREFUSED') })]);
    // Spamhaus answers 127.255.255.254 to queries through public resolvers: no listing.
    const blocked = new FakeResolver().add('99.2.0.192.zen.spamhaus.org', 'A', '127.255.255.254');
    const results = await checkDnsbl('192.0.2.99', ['zen.spamhaus.org'], blocked, 500);
    expect(results).toEqual([expect.objectContaining({ status: 'skipped', answers: ['127.255.255.254'] })]);
    expect(dnsblTests(results)).toEqual([]);
  });

  it('counts a name without an A record as not listed', async () => {
    const resolver = new FakeResolver().add('99.2.0.192.bl.example', 'TXT', ['listed for spam']);
    expect(await checkDnsbl('192.0.2.99', ['bl.example'], resolver, 500)).toEqual([
      { zone: 'bl.example', query: '99.2.0.192.bl.example', status: 'not_listed', answers: [] },
    ]);
  });

  it('never looks up a loopback or private address', async () => {
    const resolver = new FakeResolver().add('1.0.0.127.zen.spamhaus.org', 'A', '127.0.0.2');
    for (const ip of ['127.0.0.1', '10.0.0.5', '192.168.1.20', '172.16.0.9', '::1', 'fd12:3456::1', 'fe80::2', '::ffff:192.168.0.1']) {
      const results = await checkDnsbl(ip, ZONES, resolver, 500);
      expect(results.map((r) => [r.status, r.query]), ip).toEqual([
        ['skipped', null],
        ['skipped', null],
      ]);
      expect(results[0]?.reason).toContain('not a public address');
    }
    expect(resolver.queries).toEqual([]);
  });

  it('never throws, not even for a resolver that throws synchronously', async () => {
    const resolver = {
      resolve4(): Promise<string[]> {
        throw new Error('boom');
      },
    };
    expect(await checkDnsbl('192.0.2.99', ['bl.example'], resolver, 500)).toEqual([
      expect.objectContaining({ status: 'skipped', reason: expect.stringContaining('boom') }),
    ]);
    expect(await checkDnsbl('mail.example.com', ['bl.example'], resolver, 500)).toEqual([
      expect.objectContaining({ status: 'skipped', reason: expect.stringContaining('not an IP address') }),
    ]);
  });
});
