// Issue 10, item 3 — authentication attacks. Wrong passwords by the thousand from one address
// against IMAP (LOGIN, AUTHENTICATE), SMTP AUTH (PLAIN, LOGIN) and the API (Bearer keys) are
// throttled and then refused for a while, while the account's owner, from an address it has
// logged in from before, gets in at once; password spraying from many addresses is capped per
// account; and nothing — text, code or timing — tells a known address from an unknown one.
//
// "Evaluated" below means the server checked the credentials (a wrong-password answer);
// "refused" means the throttle answered without checking (IMAP BYE [UNAVAILABLE], SMTP 421,
// HTTP 429). The figures are evaluated attempts per minute, per address and per account.
//
// The throttle is configured small here (5 failures, 2 s window and lockout, 20 ms first delay)
// so that an attack spans many windows in seconds; the defaults are printed for comparison.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { PASSWORD, type TestGateway, startTestGateway } from '../helpers/gateway.js';
import { ApiAttempts, type Attempts, ImapAttempts, type Outcome, SmtpAttempts, httpGet, withoutRequestId } from './auth-clients.js';
import { CI, figure, scaled } from './figures.js';
import { closeAll, loopback, median, sleep } from './net.js';

afterEach(() => closeAll());

const MAX_FAILURES = 5;
const LOCKOUT_SECONDS = 2;
const THROTTLE_ENV = {
  WICKET_AUTH_MAX_FAILURES: String(MAX_FAILURES),
  WICKET_AUTH_LOCKOUT_SECONDS: String(LOCKOUT_SECONDS),
  WICKET_AUTH_FAILURE_DELAY_MS: '20',
};

const DOMAIN = 'agents.example.com';
const wrong = (i: number) => `Wrong-guess-${i}-${randomBytes(6).toString('hex')}`;
const fakeKey = () => `wk_${randomBytes(32).toString('base64url')}`;

/** What the shipped defaults allow, in the same unit as the figures. */
function printDefaults(): void {
  const { auth } = loadConfig({}, process.cwd());
  const perMinute = (auth.maxFailures / auth.lockoutSeconds) * 60;
  figure(
    'auth defaults',
    `${auth.maxFailures} failures per ${auth.lockoutSeconds} s window, then refused for ${auth.lockoutSeconds} s; first failure delayed ${auth.failureDelayMs} ms, doubling to 15 s`,
  );
  figure('auth defaults: evaluated attempts per address (and per account) at most', Number(perMinute.toFixed(2)), 'per minute');
}

/** Upper bound the throttle promises for `ms` of attack: MAX_FAILURES per lockout window, plus the window in progress. */
const allowedIn = (ms: number) => MAX_FAILURES * (Math.floor(ms / (LOCKOUT_SECONDS * 1000)) + 1);

interface AttackResult {
  attempts: number;
  evaluated: number;
  refused: number;
  durationMs: number;
  texts: Set<string>;
}

/**
 * `count` attempts paced evenly over `durationMs` from one client; `during(i)` runs at a few
 * points of the attack (the owner's logins).
 */
async function attack(
  client: Attempts,
  count: number,
  durationMs: number,
  guess: (i: number) => [user: string, password: string],
  during: (i: number) => Promise<void>,
): Promise<AttackResult> {
  const result: AttackResult = { attempts: 0, evaluated: 0, refused: 0, durationMs: 0, texts: new Set() };
  const checkpoints = new Set([Math.floor(count / 4), Math.floor(count / 2), Math.floor((3 * count) / 4)]);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const due = started + (i * durationMs) / count;
    if (performance.now() < due) await sleep(due - performance.now());
    if (checkpoints.has(i)) await during(i);
    const [user, password] = guess(i);
    const outcome = await client.attempt(user, password, i);
    result.attempts++;
    if (outcome.kind === 'ok') throw new Error(`a wrong guess logged in: ${outcome.text}`);
    result[outcome.kind]++;
    if (outcome.kind === 'evaluated') result.texts.add(outcome.text);
  }
  result.durationMs = performance.now() - started;
  return result;
}

type Protocol = 'imap' | 'smtp' | 'api';

function client(g: TestGateway, protocol: Protocol, address: string): Attempts {
  if (protocol === 'imap') return new ImapAttempts(g.ports.imap, address);
  if (protocol === 'smtp') return new SmtpAttempts(g.ports.submission, address);
  return new ApiAttempts(g.ports.http, address);
}

describe('authentication attacks', () => {
  it.each(['imap', 'smtp', 'api'] as const)(
    '%s: wrong passwords from one address are throttled, then refused for a while; the owner gets in meanwhile',
    async (protocol) => {
      if (protocol === 'imap') printDefaults();
      const g = await startTestGateway(THROTTLE_ENV);
      const victim = await g.account('victim');
      await g.account('other');
      const key = g.gateway.services.apiKeys.create(g.appId, 'owner').secret;
      const block = { imap: 11, smtp: 12, api: 13 }[protocol];
      const attacker = loopback(block, 2);
      const owner = loopback(block, 3);
      const stranger = loopback(block, 4);

      // The owner's client has logged in from its address before the attack begins.
      const ownerLogin = async (): Promise<Outcome> => {
        const c = client(g, protocol, owner);
        try {
          return await c.attempt(victim.email, protocol === 'api' ? key : PASSWORD, 0);
        } finally {
          c.close();
        }
      };
      const baseline: number[] = [];
      for (let i = 0; i < 5; i++) {
        const o = await ownerLogin();
        expect(o.kind).toBe('ok');
        baseline.push(o.ms);
      }

      const count = scaled(2000, 200);
      const duration = scaled(20_000, 5_000);
      const during: number[] = [];
      const strangers: Outcome[] = [];
      const attackerClient = client(g, protocol, attacker);
      const failuresBefore = g.gateway.services.auth.counters().failures;
      const result = await attack(
        attackerClient,
        count,
        duration,
        (i) => [victim.email, protocol === 'api' ? fakeKey() : wrong(i)],
        async () => {
          const o = await ownerLogin();
          expect(o.kind, `the owner's login during the attack: ${o.text}`).toBe('ok');
          during.push(o.ms);
          // Another account, from an address never seen before: not touched by the attack at all.
          const c = client(g, protocol, stranger);
          strangers.push(await c.attempt(`other@${DOMAIN}`, protocol === 'api' ? key : PASSWORD, 1));
          c.close();
        },
      );
      attackerClient.close();

      figure(`${protocol} attack: wrong guesses sent from one address`, result.attempts);
      figure(`${protocol} attack: evaluated`, result.evaluated);
      figure(`${protocol} attack: refused by the throttle`, result.refused);
      figure(`${protocol} attack: evaluated attempts per minute from one address (test settings)`, Math.round((result.evaluated / result.durationMs) * 60_000), 'per minute');
      figure(`${protocol} attack: owner's login before / during the attack (median)`, `${median(baseline).toFixed(1)} / ${median(during).toFixed(1)}`, 'ms');

      // Throttled: most guesses were never evaluated, and no more than the settings allow were.
      expect(result.evaluated).toBeGreaterThanOrEqual(MAX_FAILURES);
      expect(result.evaluated).toBeLessThanOrEqual(allowedIn(result.durationMs));
      expect(result.refused).toBeGreaterThan(result.attempts / 2);
      // Every evaluated failure read the same.
      expect(result.texts.size).toBe(1);
      if (protocol !== 'api') expect(g.gateway.services.auth.counters().failures - failuresBefore).toBe(result.evaluated);
      expect(strangers.map((o) => o.kind)).toEqual(['ok', 'ok', 'ok']);

      // Refused for a while: once the attack's lockout is over, MAX_FAILURES wrong guesses are
      // evaluated, and then even the right password from that address is refused…
      await sleep(LOCKOUT_SECONDS * 1000 + 300);
      const probe = client(g, protocol, attacker);
      for (let i = 0; i < MAX_FAILURES; i++) {
        expect((await probe.attempt(victim.email, protocol === 'api' ? fakeKey() : wrong(i), i)).kind).toBe('evaluated');
      }
      const locked = await probe.attempt(victim.email, protocol === 'api' ? key : PASSWORD, 0);
      expect(locked.kind).toBe('refused');
      // …and served again once the lockout is over.
      await sleep(LOCKOUT_SECONDS * 1000 + 300);
      const after = await probe.attempt(victim.email, protocol === 'api' ? key : PASSWORD, 0);
      expect(after.kind).toBe('ok');
      probe.close();
    },
  );

  it('password spraying over many accounts from many addresses is capped per account (IMAP and SMTP share the count)', async () => {
    const g = await startTestGateway(THROTTLE_ENV);
    const accounts = scaled(20, 10);
    const addresses = scaled(200, 40);
    const count = scaled(2000, 300);
    const duration = scaled(20_000, 6_000);
    const victims = await Promise.all(Array.from({ length: accounts }, (_, i) => g.account(`user${i}`)));
    const owner = loopback(21, 1);
    // The owner of the first account logs in from its usual address before the spray.
    expect((await new ImapAttempts(g.ports.imap, owner).attempt(victims[0]!.email, PASSWORD, 0)).kind).toBe('ok');

    const perAccount = new Array<number>(accounts).fill(0);
    const perAddress = new Array<number>(addresses).fill(0);
    let refused = 0;
    const ownerOutcomes: Outcome[] = [];
    const started = performance.now();
    // Every address is an attacker of its own, all at once; guess i is due at i × duration / count,
    // and each address moves from one account to the next.
    const attacker = async (a: number) => {
      const pair = [new ImapAttempts(g.ports.imap, loopback(20, a + 1)), new SmtpAttempts(g.ports.submission, loopback(20, a + 1))];
      for (let j = 0, i = a; i < count; j++, i += addresses) {
        const due = started + (i * duration) / count;
        if (performance.now() < due) await sleep(due - performance.now());
        const v = (a + j) % accounts;
        const outcome = await pair[(a + j) % 2]!.attempt(victims[v]!.email, wrong(i), j);
        expect(outcome.kind).not.toBe('ok');
        if (outcome.kind === 'evaluated') {
          perAccount[v]!++;
          perAddress[a]!++;
        } else refused++;
      }
      for (const c of pair) c.close();
    };
    const ownerMeanwhile = async () => {
      await sleep(duration / 2);
      const c = new ImapAttempts(g.ports.imap, owner);
      ownerOutcomes.push(await c.attempt(victims[0]!.email, PASSWORD, 1));
      c.close();
    };
    await Promise.all([...Array.from({ length: addresses }, (_, a) => attacker(a)), ownerMeanwhile()]);
    const elapsed = performance.now() - started;

    const maxAccount = Math.max(...perAccount);
    figure('spraying: guesses / accounts / addresses', `${count} / ${accounts} / ${addresses}`);
    figure('spraying: evaluated, refused', `${perAccount.reduce((s, n) => s + n, 0)}, ${refused}`);
    figure('spraying: evaluated attempts per minute per account, highest (test settings)', Math.round((maxAccount / elapsed) * 60_000), 'per minute');
    figure('spraying: evaluated attempts per minute per address, highest (test settings)', Math.round((Math.max(...perAddress) / elapsed) * 60_000), 'per minute');
    figure('spraying: guesses each account got', Math.round(count / accounts));

    // Each account is held to the per-account budget, however many addresses guess at it…
    expect(maxAccount).toBeLessThanOrEqual(allowedIn(elapsed));
    expect(count / accounts).toBeGreaterThan(allowedIn(elapsed)); // (so the cap did the work)
    expect(refused).toBeGreaterThan(0);
    // …while its owner, from the address it uses, is not locked out.
    expect(ownerOutcomes.map((o) => o.kind)).toEqual(['ok']);
  });

  it('a burst of simultaneous guesses at one account from many addresses: no more evaluated than the budget', async () => {
    const g = await startTestGateway({ ...THROTTLE_ENV, WICKET_AUTH_LOCKOUT_SECONDS: '60', WICKET_AUTH_FAILURE_DELAY_MS: '0', WICKET_BCRYPT_COST: '8' });
    const victim = await g.account('victim');
    const burst = scaled(200, 50);
    const clients = Array.from({ length: burst }, (_, a) => (a % 2 ? new SmtpAttempts(g.ports.submission, loopback(22, a + 1)) : new ImapAttempts(g.ports.imap, loopback(22, a + 1))));
    const outcomes = await Promise.all(clients.map((c, a) => c.attempt(victim.email, wrong(a), a >> 1)));
    for (const c of clients) c.close();
    const evaluated = outcomes.filter((o) => o.kind === 'evaluated').length;
    figure(`burst: ${burst} simultaneous guesses at one account from ${burst} addresses, evaluated`, evaluated);
    expect(outcomes.every((o) => o.kind !== 'ok')).toBe(true);
    expect(evaluated).toBeLessThanOrEqual(MAX_FAILURES);
  });

  it('no answer tells a known address from an unknown one: same text and code, and the same time', async () => {
    const cost = scaled(10, 8);
    const g = await startTestGateway({
      WICKET_BCRYPT_COST: String(cost),
      WICKET_AUTH_MAX_FAILURES: '1000',
      WICKET_AUTH_FAILURE_DELAY_MS: '0',
    });
    const known = await g.account('known');
    const nopass = await g.account('nopass', { password: null });
    const samples = scaled(100, 25);

    for (const protocol of ['imap', 'smtp'] as const) {
      const timings: Record<string, number[]> = { known: [], unknown: [], nopass: [] };
      const texts: Record<string, Set<string>> = { known: new Set(), unknown: new Set(), nopass: new Set() };
      const c = client(g, protocol, loopback(protocol === 'imap' ? 30 : 31, 1));
      // Warm up the connection and both code paths.
      await c.attempt(known.email, wrong(0), 0);
      await c.attempt(`nobody@${DOMAIN}`, wrong(0), 0);
      for (let i = 0; i < samples; i++) {
        const order = [
          ['known', known.email],
          ['unknown', `nobody${i}-${randomBytes(3).toString('hex')}@${DOMAIN}`],
          ['nopass', nopass.email],
        ] as const;
        for (const [kind, user] of i % 2 ? order : [...order].reverse()) {
          for (const variant of [0, 1]) {
            const o = await c.attempt(user, wrong(i), variant);
            expect(o.kind, `${protocol} ${kind}: ${o.text}`).toBe('evaluated');
            timings[kind]!.push(o.ms);
            texts[kind]!.add(`${variant}:${o.text}`);
          }
        }
      }
      c.close();
      // One answer per mechanism, whatever the address.
      expect([...texts.unknown!]).toEqual([...texts.known!]);
      expect([...texts.nopass!]).toEqual([...texts.known!]);
      expect(texts.known!.size).toBe(2);
      const k = median(timings.known!);
      const u = median(timings.unknown!);
      const n = median(timings.nopass!);
      figure(`${protocol} failure time, median: known / unknown / no app password (bcrypt cost ${cost}, ${samples * 2} each)`, `${k.toFixed(2)} / ${u.toFixed(2)} / ${n.toFixed(2)}`, 'ms');
      figure(`${protocol} failure time ratio known ÷ unknown`, Number((k / u).toFixed(3)));
      expect(k / u).toBeGreaterThan(0.5);
      expect(k / u).toBeLessThan(2);
      expect(n / u).toBeGreaterThan(0.5);
      expect(n / u).toBeLessThan(2);
    }

    // The API: a revoked key, an unknown key of the right shape, a malformed one, none at all.
    const made = g.gateway.services.apiKeys.create(g.appId, 'to revoke');
    g.gateway.services.apiKeys.revoke(g.appId, made.key.id);
    const answers = new Set<string>();
    const apiTimings: Record<string, number[]> = { revoked: [], unknown: [] };
    for (let i = 0; i < samples; i++) {
      for (const [kind, header] of [
        ['revoked', `Bearer ${made.secret}`],
        ['unknown', `Bearer ${fakeKey()}`],
      ] as const) {
        const started = performance.now();
        const res = await httpGet(g.ports.http, '/v3/grants', { authorization: header }, loopback(32, 1));
        apiTimings[kind]!.push(performance.now() - started);
        answers.add(`${res.status} ${withoutRequestId(res.body)}`);
      }
    }
    for (const header of ['Bearer not-a-key', 'Basic dXNlcjpwYXNz', '']) {
      const res = await httpGet(g.ports.http, '/v3/grants', header ? { authorization: header } : {}, loopback(32, 2));
      answers.add(`${res.status} ${withoutRequestId(res.body)}`);
    }
    figure('api failure time, median: revoked key / unknown key', `${median(apiTimings.revoked!).toFixed(2)} / ${median(apiTimings.unknown!).toFixed(2)}`, 'ms');
    expect([...answers]).toHaveLength(1);
    expect([...answers][0]).toMatch(/^401 /);
    if (CI) figure('timing samples are reduced under RELIABILITY_SCALE=ci', samples * 2);
  });
});
