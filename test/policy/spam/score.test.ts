import { describe, expect, it } from 'vitest';
import type { AuthenticationResults } from '../../../src/policy/spam/auth-results.js';
import type { DnsblResult } from '../../../src/policy/spam/dnsbl.js';
import { effectiveSensitivity, SPAM_HEADER_NAME, type SpamTest, spamVerdict } from '../../../src/policy/spam/score.js';

const t = (rule: string, score: number): SpamTest => ({ rule, score, detail: `${rule} fired` });

const auth = (over: Partial<AuthenticationResults> = {}): AuthenticationResults => ({
  spf: 'pass',
  dkim: 'pass',
  dmarc: 'pass',
  dnsReachable: true,
  explanation: { spf: 'spf=…', dkim: 'dkim=…', dmarc: 'dmarc=…' },
  ...over,
});

const listed: DnsblResult = { zone: 'zen.spamhaus.org', query: '7.113.0.203.zen.spamhaus.org', status: 'listed', answers: ['127.0.0.2'] };

describe('spamVerdict', () => {
  it('adds up the scores and compares them with 5.0 at sensitivity 1.0', () => {
    const verdict = spamVerdict({ anomalies: [t('MISSING_DATE', 1.5), t('BARE_IP_LINK', 2.0)], auth: null, dnsbl: null });
    expect(verdict).toMatchObject({ isSpam: false, score: 3.5, threshold: 5.0 });
    expect(verdict.header).toBe('no, score=3.5 threshold=5.0 tests=MISSING_DATE(1.5),BARE_IP_LINK(2.0)');
    expect(verdict.reasons).toEqual(['MISSING_DATE: MISSING_DATE fired', 'BARE_IP_LINK: BARE_IP_LINK fired']);

    const spam = spamVerdict({ anomalies: [t('MISSING_DATE', 1.5), t('BARE_IP_LINK', 2.0)], auth: auth({ dmarc: 'fail' }), dnsbl: null });
    expect(spam).toMatchObject({ isSpam: true, score: 6.0, threshold: 5.0 });
    expect(spam.header).toBe('yes, score=6.0 threshold=5.0 tests=MISSING_DATE(1.5),BARE_IP_LINK(2.0),DMARC_FAIL(2.5)');
  });

  it('is spam at the threshold exactly', () => {
    expect(spamVerdict({ anomalies: [t('A', 2.5), t('B', 2.5)], auth: null, dnsbl: null }).isSpam).toBe(true);
  });

  it('lowers the threshold as sensitivity rises: 5.0 / sensitivity', () => {
    const evidence = { anomalies: [t('MISSING_DATE', 1.5)], auth: null, dnsbl: null };
    expect(spamVerdict(evidence, 0.1)).toMatchObject({ threshold: 50.0, isSpam: false });
    expect(spamVerdict(evidence, 1.0)).toMatchObject({ threshold: 5.0, isSpam: false });
    expect(spamVerdict(evidence, 2.0)).toMatchObject({ threshold: 2.5, isSpam: false });
    expect(spamVerdict(evidence, 5.0)).toMatchObject({ threshold: 1.0, isSpam: true });
    expect(spamVerdict(evidence, 3)).toMatchObject({ threshold: 1.7 });
  });

  it('keeps the sensitivity within 0.1–5.0, and 1.0 when absent', () => {
    expect(effectiveSensitivity(undefined)).toBe(1.0);
    expect(effectiveSensitivity(Number.NaN)).toBe(1.0);
    expect(effectiveSensitivity(0)).toBe(0.1);
    expect(effectiveSensitivity(-3)).toBe(0.1);
    expect(effectiveSensitivity(12)).toBe(5.0);
    expect(spamVerdict({ anomalies: [], auth: null, dnsbl: null }, undefined).threshold).toBe(5.0);
  });

  it('counts authentication failures only when DNS was reachable', () => {
    const failed = auth({ spf: 'fail', dkim: 'fail', dmarc: 'fail' });
    expect(spamVerdict({ anomalies: [], auth: failed, dnsbl: null }).score).toBe(6.5);
    expect(spamVerdict({ anomalies: [], auth: { ...failed, dnsReachable: false }, dnsbl: null }).score).toBe(0);
  });

  it('counts DNSBL listings, not skipped zones', () => {
    const skipped: DnsblResult = { zone: 'bl.spamcop.net', query: '7.113.0.203.bl.spamcop.net', status: 'skipped', answers: [], reason: 'no answer' };
    const verdict = spamVerdict({ anomalies: [], auth: null, dnsbl: [listed, skipped] });
    expect(verdict).toMatchObject({ score: 3.0, isSpam: false });
    expect(verdict.header).toBe('no, score=3.0 threshold=5.0 tests=DNSBL_ZEN_SPAMHAUS_ORG(3.0)');
    expect(verdict.reasons[0]).toContain('zen.spamhaus.org');
  });

  it('writes tests=none when nothing fired', () => {
    expect(spamVerdict({ anomalies: [], auth: auth(), dnsbl: [] }).header).toBe('no, score=0.0 threshold=5.0 tests=none');
  });

  it('adds without floating-point noise', () => {
    expect(spamVerdict({ anomalies: [t('A', 0.1), t('B', 0.2)], auth: null, dnsbl: null }).score).toBe(0.3);
  });

  it('folds a test list too long for one line after commas, below 998 characters a line (RFC 5322 §2.1.1, §2.2.3)', () => {
    const many = Array.from({ length: 100 }, (_, i) => t(`SOME_LONG_RULE_NAME_NUMBER_${i}`, 0.5));
    const { header, tests } = spamVerdict({ anomalies: many, auth: null, dnsbl: null });
    const lines = `${SPAM_HEADER_NAME}: ${header}`.split('\r\n');
    expect(lines.length).toBe(4);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(998);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ \S/);
    // Unfolding (removing the CRLFs) gives back every test, in order.
    const unfolded = header.replace(/\r\n/g, '');
    expect(unfolded.slice(unfolded.indexOf('tests=') + 6).split(/,\s?/)).toEqual(tests.map((x) => `${x.rule}(0.5)`));
    expect(unfolded).toMatch(/^yes, score=50\.0 threshold=5\.0 tests=SOME_LONG_RULE_NAME_NUMBER_0\(0\.5\),SOME_LONG_RULE_NAME_NUMBER_1\(0\.5\),/);
  });

  it('keeps a usual verdict on one line', () => {
    const tests = ['FROM_DISPLAY_NAME_FORGED', 'REPLY_TO_DOMAIN_DIFFERS', 'BARE_IP_LINK', 'SPF_FAIL', 'DKIM_FAIL', 'DMARC_FAIL'].map((r) => t(r, 2.0));
    expect(spamVerdict({ anomalies: tests, auth: null, dnsbl: null }).header).not.toContain('\r\n');
  });
});
