import { describe, expect, it } from 'vitest';
import { assessSpam, DEFAULT_DNSBL_ZONES, type SpamDependencies } from '../../../src/policy/spam/index.js';
import { corpus, FakeResolver } from './fake-resolver.js';

const NOW = new Date('2026-12-08T12:00:00Z');
const peer = { ip: '203.0.113.7', helo: 'mail.lucky-draw.example', mailFrom: 'winner@lucky-draw.example' };
const spam = corpus('spam').find((m) => m.name === 'caps-bare-ip.eml')!.raw;

const deps = (resolver: FakeResolver, over: Partial<SpamDependencies> = {}): SpamDependencies => ({
  resolver,
  timeoutMs: 200,
  dnsblZones: DEFAULT_DNSBL_ZONES,
  now: NOW,
  ...over,
});

describe('assessSpam', () => {
  it('asks Spamhaus ZEN and SpamCop by default', () => {
    expect(DEFAULT_DNSBL_ZONES).toEqual(['zen.spamhaus.org', 'bl.spamcop.net']);
  });

  it('gives no verdict when the settings switch every check off', async () => {
    const resolver = new FakeResolver();
    expect(await assessSpam(spam, peer, {}, deps(resolver))).toBeNull();
    expect(await assessSpam(spam, peer, { use_list_dnsbl: false, use_header_anomaly_detection: false, spam_sensitivity: 5 }, deps(resolver))).toBeNull();
    expect(resolver.queries).toEqual([]);
  });

  it('with header anomaly detection only: heuristics and SPF/DKIM/DMARC, no blocklist', async () => {
    const resolver = new FakeResolver().txt('lucky-draw.example', 'v=spf1 -all');
    const verdict = await assessSpam(spam, peer, { use_header_anomaly_detection: true }, deps(resolver));
    expect(verdict?.isSpam).toBe(true);
    expect(verdict?.tests.map((t) => t.rule)).toEqual(['INVALID_MESSAGE_ID', 'SUBJECT_ALL_CAPS', 'MISSING_TO', 'BARE_IP_LINK', 'SPF_FAIL']);
    expect(verdict?.score).toBe(8.0);
    expect(resolver.queries.some((q) => q.rrtype === 'A')).toBe(false);
  });

  it('with DNSBL only: the blocklists and nothing else', async () => {
    const resolver = new FakeResolver().add('7.113.0.203.zen.spamhaus.org', 'A', '127.0.0.3');
    const verdict = await assessSpam(spam, peer, { use_list_dnsbl: true }, deps(resolver));
    expect(verdict).toMatchObject({ isSpam: false, score: 3.0, threshold: 5.0 });
    expect(verdict?.header).toBe('no, score=3.0 threshold=5.0 tests=DNSBL_ZEN_SPAMHAUS_ORG(3.0)');
    expect(resolver.queries.map((q) => q.name).sort()).toEqual(['7.113.0.203.bl.spamcop.net', '7.113.0.203.zen.spamhaus.org']);
  });

  it('uses the zones it is given, and the policy sensitivity', async () => {
    const resolver = new FakeResolver().add('7.113.0.203.dnsbl.example.net', 'A', '127.0.0.2');
    const verdict = await assessSpam(spam, peer, { use_list_dnsbl: true, spam_sensitivity: 2.0 }, deps(resolver, { dnsblZones: ['dnsbl.example.net'] }));
    expect(verdict).toMatchObject({ isSpam: true, score: 3.0, threshold: 2.5 });
  });

  it('with both on and no DNS reachable: the heuristics alone decide', async () => {
    const resolver = new FakeResolver('silent');
    const started = Date.now();
    const verdict = await assessSpam(spam, peer, { use_list_dnsbl: true, use_header_anomaly_detection: true }, deps(resolver, { timeoutMs: 150 }));
    // DNSBL and authentication run at once: one deadline, not several.
    expect(Date.now() - started).toBeLessThan(2 * 150);
    expect(verdict).toMatchObject({ isSpam: true, score: 6.0 });
    expect(verdict?.tests.map((t) => t.rule)).toEqual(['INVALID_MESSAGE_ID', 'SUBJECT_ALL_CAPS', 'MISSING_TO', 'BARE_IP_LINK']);
  });
});
