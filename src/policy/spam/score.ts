// The spam verdict: the scores of every test that fired, added up and compared with a threshold
// that the policy's spam_sensitivity moves (PRODUCT.md "Policies": 0.1 lenient – 5.0 strict).
// The outcome is also written as the value of an X-Wicket-Spam header field, in the manner of
// SpamAssassin's X-Spam-Status, so a reader (or a filter) can see why.
import { authenticationTests, type AuthenticationResults } from './auth-results.js';
import { dnsblTests, type DnsblResult } from './dnsbl.js';

/** One test that fired: its rule name, what it adds to the score, and why it fired. */
export interface SpamTest {
  rule: string;
  score: number;
  detail: string;
}

export interface SpamEvidence {
  /** From headerAnomalies (empty when header anomaly detection is off). */
  anomalies: SpamTest[];
  /** From checkAuthentication, or null when it did not run. */
  auth: AuthenticationResults | null;
  /** From checkDnsbl, or null when it did not run. */
  dnsbl: DnsblResult[] | null;
}

export interface SpamVerdict {
  isSpam: boolean;
  /** The sum of the scores, rounded to a tenth. */
  score: number;
  /** BASE_THRESHOLD / sensitivity, rounded to a tenth (the number compared is the one shown). */
  threshold: number;
  /** "RULE: detail" of every test that fired, in order. */
  reasons: string[];
  /** Every test that fired, in order. */
  tests: SpamTest[];
  /** The value for an X-Wicket-Spam field (SPAM_HEADER_NAME), folded with CRLF + space where long. */
  header: string;
}

export const SPAM_HEADER_NAME = 'X-Wicket-Spam';

/** The threshold at sensitivity 1.0: SpamAssassin's default required score. */
export const BASE_THRESHOLD = 5.0;

export const DEFAULT_SENSITIVITY = 1.0;
export const MIN_SENSITIVITY = 0.1;
export const MAX_SENSITIVITY = 5.0;

/**
 * RFC 5322 §2.1.1: a line MUST NOT pass 998 characters (and SHOULD NOT pass 78). The field is
 * folded only at the hard limit, so that in practice it is one line that filters and people
 * can match as it is; a 78-character fold would split nearly every value.
 */
const MAX_LINE = 998;

const tenth = (n: number): number => Math.round(n * 10) / 10;

/** A sensitivity within 0.1–5.0; 1.0 when absent or not a number. */
export function effectiveSensitivity(sensitivity: number | undefined): number {
  if (sensitivity === undefined || !Number.isFinite(sensitivity)) return DEFAULT_SENSITIVITY;
  return Math.min(MAX_SENSITIVITY, Math.max(MIN_SENSITIVITY, sensitivity));
}

/** Adds up the evidence. Higher sensitivity lowers the threshold, so more mail is spam. */
export function spamVerdict(evidence: SpamEvidence, sensitivity: number = DEFAULT_SENSITIVITY): SpamVerdict {
  const tests = [
    ...evidence.anomalies,
    ...(evidence.auth ? authenticationTests(evidence.auth) : []),
    ...(evidence.dnsbl ? dnsblTests(evidence.dnsbl) : []),
  ].filter((t) => t.score > 0);
  // Summed in hundredths: 0.1 + 0.2 must not come out as 0.30000000000000004.
  const score = tenth(tests.reduce((sum, t) => sum + Math.round(t.score * 100), 0) / 100);
  const threshold = tenth(BASE_THRESHOLD / effectiveSensitivity(sensitivity));
  const isSpam = score >= threshold;
  return {
    isSpam,
    score,
    threshold,
    reasons: tests.map((t) => `${t.rule}: ${t.detail}`),
    tests,
    header: spamHeaderValue(isSpam, score, threshold, tests),
  };
}

/**
 * `yes, score=6.5 threshold=5.0 tests=MISSING_DATE(1.5),BARE_IP_LINK(2.0)` (`no, …` below the
 * threshold; `tests=none` when nothing fired). Folded (RFC 5322 §2.2.3: CRLF before white
 * space) where a line, counting the field name, would pass 998 characters: at the spaces of
 * the head, or after a comma of the test list (unfolded, that comma is followed by a space, as
 * in SpamAssassin's X-Spam-Status). Every piece is far shorter than a line: one rule name
 * (DNSBL rules hold a zone name, at most 253 characters) and its score.
 */
export function spamHeaderValue(isSpam: boolean, score: number, threshold: number, tests: SpamTest[]): string {
  const list = tests.length === 0 ? ['none'] : tests.map((t, i) => `${t.rule}(${t.score.toFixed(1)})${i < tests.length - 1 ? ',' : ''}`);
  // Each piece, and whether a space separates it from the one before.
  const pieces: { text: string; spaced: boolean }[] = [
    { text: `${isSpam ? 'yes' : 'no'},`, spaced: false },
    { text: `score=${score.toFixed(1)}`, spaced: true },
    { text: `threshold=${threshold.toFixed(1)}`, spaced: true },
    { text: `tests=${list[0]}`, spaced: true },
    ...list.slice(1).map((text) => ({ text, spaced: false })),
  ];
  const lines: string[] = [];
  let line = '';
  let lineLength = SPAM_HEADER_NAME.length + 2;
  pieces.forEach(({ text, spaced }, i) => {
    const joined = `${spaced ? ' ' : ''}${text}`;
    if (i > 0 && lineLength + joined.length > MAX_LINE) {
      lines.push(line);
      line = ` ${text}`;
    } else {
      line += joined;
    }
    lineLength = (lines.length === 0 ? SPAM_HEADER_NAME.length + 2 : 0) + line.length;
  });
  lines.push(line);
  return lines.join('\r\n');
}
