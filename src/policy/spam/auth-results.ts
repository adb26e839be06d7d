// Sender authentication of a received message with mailauth (the maintained implementation
// behind WildDuck and ZoneMTA): SPF for the SMTP client and MAIL FROM (RFC 7208), the message's
// DKIM signatures (RFC 6376), and DMARC alignment of both with the From domain (RFC 7489). Every
// DNS query goes through the given resolver with a deadline. When DNS cannot be reached —
// a query times out or the server fails — the results are marked `dnsReachable: false` and
// count for nothing: a partial check cannot be trusted (DMARC fails when the DKIM key could not
// be fetched), and an unreachable DNS must never make mail spam.
import { createRequire } from 'node:module';
import type { SpamTest } from './score.js';

/** RFC 8601 §2.7.2 results of SPF (RFC 7208 §2.6). */
export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror';
/** RFC 8601 §2.7.1 results of DKIM (RFC 6376 §6.1); `policy` for a key mailauth refuses (too short). */
export type DkimResult = 'pass' | 'fail' | 'neutral' | 'policy' | 'none' | 'temperror' | 'permerror';
/** RFC 7489 §11.2 results of DMARC. */
export type DmarcResult = 'pass' | 'fail' | 'none' | 'temperror' | 'permerror';

export interface AuthenticationResults {
  spf: SpfResult;
  dkim: DkimResult;
  dmarc: DmarcResult;
  /** False when a DNS query timed out or failed: the results are then not scored. */
  dnsReachable: boolean;
  /** How each result came about, for reasons and logs. */
  explanation: { spf: string; dkim: string; dmarc: string };
}

/** The SMTP session facts SPF needs (RFC 7208 §2.4: MAIL FROM, or the HELO name when it is empty). */
export interface SmtpPeer {
  ip: string;
  helo: string;
  /** The MAIL FROM address; empty for the null reverse-path. */
  mailFrom: string;
}

/** A DNS resolver by record type, as node:dns/promises `Resolver#resolve` (what mailauth calls). */
export interface AuthResolver {
  resolve(name: string, rrtype: string): Promise<unknown>;
}

/** What each failure adds to the score; pass, none, neutral and errors add nothing. */
export const AUTH_SCORES = {
  SPF_FAIL: 2.0,
  SPF_SOFTFAIL: 1.0,
  DKIM_FAIL: 2.0,
  DMARC_FAIL: 2.5,
} as const;

/** RFC 7208 §4.6.4: a limit on the whole SPF evaluation SHOULD allow at least 20 seconds; the same bound covers DKIM and DMARC. */
export const AUTH_TIME_LIMIT_MS = 20_000;

// --- the part of mailauth's API used here (it ships no type declarations) ---

interface MailauthStatus {
  result: string;
  comment?: string;
}

interface MailauthResult {
  spf: { domain?: string; status: MailauthStatus } | false;
  dkim: { results?: { signingDomain?: string; status: MailauthStatus }[] };
  dmarc: { domain?: string; policy?: string; status: MailauthStatus } | false;
}

interface MailauthOptions {
  ip: string;
  helo?: string;
  sender?: string;
  resolver: (name: string, rrtype: string) => Promise<unknown>;
  disableArc: boolean;
  disableBimi: boolean;
}

const { authenticate } = createRequire(import.meta.url)('mailauth') as {
  authenticate(message: Buffer, options: MailauthOptions): Promise<MailauthResult>;
};

// --- DNS with deadlines ---

/** Failures that are answers: the name or the record does not exist (RFC 2308), or the query was malformed. */
const ANSWERED = new Set(['ENOTFOUND', 'ENODATA', 'EBADNAME', 'EFORMERR', 'ENOTIMP', 'EBADQUERY', 'EBADFAMILY']);

const dnsError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

/**
 * A resolver for mailauth: each query bounded by `timeoutMs`. The first query that gets no
 * answer (timeout, refused, SERVFAIL …) marks DNS unreachable, and every later one fails at
 * once with ETIMEOUT (which mailauth reports as temperror), so a dead DNS costs one deadline.
 */
function boundedResolver(resolver: AuthResolver, timeoutMs: number) {
  const state = { reachable: true, stopped: false };
  const resolve = async (name: string, rrtype: string): Promise<unknown> => {
    if (!state.reachable || state.stopped) throw dnsError('ETIMEOUT', `DNS not reachable: ${rrtype} ${name} not asked`);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(dnsError('ETIMEOUT', `${rrtype} ${name}: no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(() => resolver.resolve(name, rrtype)), deadline]);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && ANSWERED.has(code)) throw err;
      state.reachable = false;
      throw dnsError('ETIMEOUT', `${rrtype} ${name}: ${typeof code === 'string' ? code : (err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  };
  return { resolve, state };
}

// --- results ---

const SPF_RESULTS: readonly SpfResult[] = ['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror'];
const DMARC_RESULTS: readonly DmarcResult[] = ['pass', 'fail', 'none', 'temperror', 'permerror'];

function spfOf(result: MailauthResult, peer: SmtpPeer): { spf: SpfResult; explanation: string } {
  if (!result.spf) return { spf: 'none', explanation: 'SPF was not checked' };
  const raw = result.spf.status.result;
  const spf = SPF_RESULTS.find((r) => r === raw) ?? 'temperror';
  const identity = peer.mailFrom || `postmaster@${peer.helo}`;
  return { spf, explanation: `spf=${spf} for ${identity} from ${peer.ip}` };
}

/**
 * One DKIM result for the message (RFC 6376 §6.1: a verifier may treat a message as signed when
 * any one signature verifies): pass if any passes, else fail if any fails, else the first
 * signature's result. mailauth reports a body hash mismatch as neutral; RFC 6376 §6.1.3 makes it
 * a PERMFAIL ("body hash did not verify", RFC 8601 §2.7.1 fail), so it is counted as fail.
 */
function dkimOf(result: MailauthResult): { dkim: DkimResult; explanation: string } {
  const signatures = (result.dkim.results ?? [])
    .filter((r) => r.status.result !== 'none')
    .map((r) => {
      const raw = r.status.result;
      const dkim: DkimResult =
        raw === 'neutral' && r.status.comment === 'body hash did not verify'
          ? 'fail'
          : (['pass', 'fail', 'neutral', 'policy', 'temperror', 'permerror'] as const).find((x) => x === raw) ?? 'permerror';
      return { dkim, text: `d=${r.signingDomain ?? '?'} ${dkim}${r.status.comment ? ` (${r.status.comment})` : ''}` };
    });
  if (signatures.length === 0) return { dkim: 'none', explanation: 'dkim=none (no signature)' };
  const dkim = signatures.find((s) => s.dkim === 'pass')?.dkim ?? signatures.find((s) => s.dkim === 'fail')?.dkim ?? signatures[0]!.dkim;
  return { dkim, explanation: `dkim=${dkim}: ${signatures.map((s) => s.text).join('; ')}` };
}

function dmarcOf(result: MailauthResult): { dmarc: DmarcResult; explanation: string } {
  // mailauth skips DMARC when From does not name exactly one mailbox (RFC 7489 §6.6.1).
  if (!result.dmarc) return { dmarc: 'none', explanation: 'dmarc=none (From does not name one domain)' };
  const raw = result.dmarc.status.result;
  const dmarc = DMARC_RESULTS.find((r) => r === raw) ?? 'none';
  const policy = result.dmarc.policy ? ` p=${result.dmarc.policy}` : '';
  return { dmarc, explanation: `dmarc=${dmarc} for ${result.dmarc.domain ?? '?'}${policy}` };
}

/**
 * Checks SPF, DKIM and DMARC for a received message. Never throws: DNS trouble gives
 * temperror results with `dnsReachable: false`; a message mailauth cannot read gives
 * temperror results too.
 */
export async function checkAuthentication(
  raw: Buffer,
  peer: SmtpPeer,
  resolver: AuthResolver,
  timeoutMs: number,
): Promise<AuthenticationResults> {
  const dns = boundedResolver(resolver, timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const overall = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${AUTH_TIME_LIMIT_MS} ms`)), AUTH_TIME_LIMIT_MS);
  });
  try {
    const result = await Promise.race([
      authenticate(raw, {
        ip: peer.ip,
        helo: peer.helo || undefined,
        sender: peer.mailFrom || undefined,
        resolver: dns.resolve,
        // ARC (RFC 8617) and BIMI are not part of the verdict: no queries for them.
        disableArc: true,
        disableBimi: true,
      }),
      overall,
    ]);
    const spf = spfOf(result, peer);
    const dkim = dkimOf(result);
    const dmarc = dmarcOf(result);
    return {
      spf: spf.spf,
      dkim: dkim.dkim,
      dmarc: dmarc.dmarc,
      dnsReachable: dns.state.reachable,
      explanation: { spf: spf.explanation, dkim: dkim.explanation, dmarc: dmarc.explanation },
    };
  } catch (err) {
    // Past the time limit, lookups still pending in mailauth fail at once.
    dns.state.stopped = true;
    const why = `not checked: ${(err as Error).message}`;
    return {
      spf: 'temperror',
      dkim: 'temperror',
      dmarc: 'temperror',
      dnsReachable: dns.state.reachable,
      explanation: { spf: `spf=temperror (${why})`, dkim: `dkim=temperror (${why})`, dmarc: `dmarc=temperror (${why})` },
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The scored tests of an authentication check; none when DNS was not reachable. */
export function authenticationTests(auth: AuthenticationResults): SpamTest[] {
  if (!auth.dnsReachable) return [];
  const tests: SpamTest[] = [];
  if (auth.spf === 'fail') tests.push({ rule: 'SPF_FAIL', score: AUTH_SCORES.SPF_FAIL, detail: auth.explanation.spf });
  if (auth.spf === 'softfail') tests.push({ rule: 'SPF_SOFTFAIL', score: AUTH_SCORES.SPF_SOFTFAIL, detail: auth.explanation.spf });
  if (auth.dkim === 'fail') tests.push({ rule: 'DKIM_FAIL', score: AUTH_SCORES.DKIM_FAIL, detail: auth.explanation.dkim });
  if (auth.dmarc === 'fail') tests.push({ rule: 'DMARC_FAIL', score: AUTH_SCORES.DMARC_FAIL, detail: auth.explanation.dmarc });
  return tests;
}
