// The corpus under test/fixtures/spam: legitimate mail of the usual kinds (ham) and typical
// spam and phishing. Header anomaly detection on; the authentication checks run against a DNS
// that never answers, so they are skipped and the heuristics alone decide.
import { describe, expect, it } from 'vitest';
import { assessSpam } from '../../../src/policy/spam/index.js';
import { headerAnomalies } from '../../../src/policy/spam/heuristics.js';
import type { SpamDetection } from '../../../src/policy/types.js';
import { corpus, FakeResolver } from './fake-resolver.js';

/** The receiving time: the corpus was written for early December 2026. */
const NOW = new Date('2026-12-08T12:00:00Z');
const ham = corpus('ham');
const spam = corpus('spam');

async function assess(raw: Buffer, sensitivity: number) {
  const settings: SpamDetection = { use_header_anomaly_detection: true, use_list_dnsbl: false, spam_sensitivity: sensitivity };
  const peer = { ip: '198.51.100.50', helo: 'mail.example.com', mailFrom: 'sender@example.com' };
  const verdict = await assessSpam(raw, peer, settings, { resolver: new FakeResolver('silent'), timeoutMs: 50, dnsblZones: [], now: NOW });
  if (verdict === null) throw new Error('no verdict with header anomaly detection on');
  return verdict;
}

describe('spam corpus', () => {
  it('has the kinds of message it is meant to have', () => {
    expect(ham.length).toBeGreaterThanOrEqual(6);
    expect(spam.length).toBeGreaterThanOrEqual(6);
    for (const { raw } of [...ham, ...spam]) expect(raw.toString('latin1')).not.toMatch(/[^\r]\n/);
  });

  describe.each(ham)('ham $name', ({ raw }) => {
    it('shows no anomaly', () => {
      expect(headerAnomalies(raw, NOW)).toEqual([]);
    });

    it('is not spam at sensitivity 1.0, nor at 5.0', async () => {
      const normal = await assess(raw, 1.0);
      expect(normal).toMatchObject({ isSpam: false, score: 0, threshold: 5.0 });
      expect(normal.header).toBe('no, score=0.0 threshold=5.0 tests=none');
      expect((await assess(raw, 5.0)).isSpam).toBe(false);
    });
  });

  describe.each(spam)('spam $name', ({ raw }) => {
    it('is spam at sensitivity 1.0 and 5.0, not at 0.1', async () => {
      const normal = await assess(raw, 1.0);
      expect(normal.isSpam, normal.reasons.join('\n')).toBe(true);
      expect(normal.header).toMatch(/^yes, score=\d+\.\d threshold=5\.0 tests=/);
      expect((await assess(raw, 5.0)).isSpam).toBe(true);
      expect((await assess(raw, 0.1)).isSpam).toBe(false);
    });
  });

  it('finds the sign each spam sample was written to show', () => {
    const rules = (name: string) => headerAnomalies(spam.find((m) => m.name === name)!.raw, NOW).map((t) => t.rule);
    expect(rules('forged-display-name.eml')).toContain('FROM_DISPLAY_NAME_FORGED');
    expect(rules('caps-bare-ip.eml')).toEqual(expect.arrayContaining(['SUBJECT_ALL_CAPS', 'BARE_IP_LINK']));
    expect(rules('missing-date-and-message-id.eml')).toEqual(expect.arrayContaining(['MISSING_DATE', 'MISSING_MESSAGE_ID']));
    expect(rules('reply-to-money.eml')).toContain('REPLY_TO_DOMAIN_DIFFERS');
    expect(rules('malformed-message-id.eml')).toContain('INVALID_MESSAGE_ID');
    expect(rules('future-date.eml')).toContain('DATE_IN_FUTURE');
    expect(rules('duplicate-fields-userinfo-link.eml')).toEqual(expect.arrayContaining(['DUPLICATE_HEADER', 'BARE_IP_LINK']));
  });

  it('makes nothing spam at sensitivity 0.1', async () => {
    for (const { raw } of [...ham, ...spam]) expect((await assess(raw, 0.1)).isSpam).toBe(false);
  });
});
