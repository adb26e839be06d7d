// Issue 10, item 5 (IMAP half): the receiver and every command parser fed 1,000,000 generated
// and mutated inputs (20,000 under RELIABILITY_SCALE=ci), property-based with fast-check from a
// printed seed (RELIABILITY_SEED=<n> replays a run), seeded with transcripts of real clients
// (test/reliability/corpus/: Thunderbird, Apple Mail, imapflow, mbsync). Properties: nothing but
// the protocol's own refusals (Bad, No, ProtocolSyntaxError) escapes the receiver, the tokenizer
// or any parser; every input is done within a generous time budget; the receiver's buffer stays
// within its limits and the heap does not grow. Then the same mutations through real sessions
// on a real store: no exception escapes the session, no NO [SERVERBUG], no hang.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { COMMANDS } from '../../src/imap/commands/index.js';
import { PASSWORD, type TestGateway, startTestGateway } from '../helpers/gateway.js';
import { suiteLogger } from '../helpers/suite-ledger.js';
import { CI, figure, scaled } from './figures.js';
import {
  PRODUCTION_LIMITS,
  SHAPES,
  type Stats,
  TIGHT_LIMITS,
  checkInput,
  generatedCommandArb,
  loadCorpus,
  mutatedCorpusArb,
  newStats,
} from './imap-fuzz.js';
import { imapServices, runSession } from './imap-session-driver.js';
import { startWatchdog } from './watchdog.js';

const SEED = process.env.RELIABILITY_SEED ? Number(process.env.RELIABILITY_SEED) : Math.floor(Math.random() * 2 ** 31);
const TOTAL = scaled(1_000_000, 20_000);
const SESSIONS = scaled(20_000, 500);
/** No single input may take this long: a hang, or a parse that is not linear. Generous on purpose. */
const BUDGET_MS = 5_000;
const corpus = loadCorpus();

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const cutsArb = fc.array(fc.nat(), { maxLength: 6 });
const limitsArb = fc.constantFrom(PRODUCTION_LIMITS, PRODUCTION_LIMITS, TIGHT_LIMITS);

/**
 * Runs one property over `numRuns` inputs. Parsers refuse by throwing, so stack traces are off
 * while it runs (they cost more than the parsing); a counterexample is re-run with them on, so
 * the report shows where the unexpected exception came from.
 */
function run(arb: fc.Arbitrary<Buffer>, numRuns: number, stats: Stats, seed: number): void {
  const watchdog = startWatchdog('imap-parsers', BUDGET_MS * 4);
  const property = fc.property(arb, cutsArb, limitsArb, (input, cuts, limits) => {
    watchdog.tick(input);
    checkInput(input, cuts, limits, stats);
  });
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let details;
  try {
    details = fc.check(property, { numRuns, seed });
  } finally {
    Error.stackTraceLimit = limit;
    void watchdog.stop();
  }
  if (!details.failed) return;
  const [input, cuts, limits] = details.counterexample!;
  let rerun = '';
  try {
    checkInput(input, cuts, limits, newStats());
  } catch (err) {
    rerun = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
  }
  throw new Error(`${rerun}\n${fc.defaultReportMessage(details)}`);
}

/** A corpus transcript cut into the sessions it holds (mbsync's has two). */
function sessionsOf(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  const parts = text.split(/(?<=\r\n)(?=\S+ LOGOUT\r\n)/i);
  const out: string[] = [];
  for (const part of parts) {
    if (out.length && /^\S+ LOGOUT\r\n/i.test(part)) {
      const end = part.indexOf('\r\n') + 2;
      out[out.length - 1] += part.slice(0, end);
      if (part.length > end) out.push(part.slice(end));
    } else out.push(part);
  }
  return out.map((s) => Buffer.from(s, 'latin1'));
}

const ACCOUNTS = ['ada', 'imapflow', 'mbsync', 'capture'];

async function fuzzGateway(): Promise<TestGateway> {
  // Mutated LOGINs fail by the thousand: the throttle must not lock the test's own accounts out.
  const g = await startTestGateway({ WICKET_AUTH_MAX_FAILURES: '1000', WICKET_AUTH_LOCKOUT_SECONDS: '1' });
  await freshAccounts(g);
  return g;
}

/** The fuzzed accounts, new: their folders and mail as at the start (sessions COPY, APPEND and DELETE). */
async function freshAccounts(g: TestGateway): Promise<void> {
  const { accounts, mailboxes, store } = g.gateway.services;
  for (const local of ACCOUNTS) {
    const existing = store.directory.findAccountByEmail(`${local}@agents.example.com`);
    if (existing) accounts.delete(g.appId, existing.id);
    const account = await g.account(local);
    mailboxes.create(account.id, 'Projects/Q1');
    seedMail(g, local);
  }
}

function inboxSize(g: TestGateway, local: string): number {
  const { store, mailboxes } = g.gateway.services;
  const account = store.directory.findAccountByEmail(`${local}@agents.example.com`)!;
  return store.mail.mailboxIndex(mailboxes.find(account.id, 'INBOX')!.id).uids.length;
}

function seedMail(g: TestGateway, local: string): void {
  const { store, mailboxes } = g.gateway.services;
  const account = store.directory.findAccountByEmail(`${local}@agents.example.com`)!;
  for (const folder of ['INBOX', 'Sent', 'Drafts', 'Archive']) {
    const box = mailboxes.find(account.id, folder)!;
    for (let i = 0; i < 3; i++) {
      const raw = Buffer.from(
        [
          `From: "S ${i}" <s${i}@remote.example>`,
          `To: ${local}@agents.example.com`,
          `Subject: ${folder} ${i}`,
          `Message-ID: <${folder}-${i}-${Math.random()}@remote.example>`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b"',
          '',
          '--b',
          'Content-Type: multipart/alternative; boundary="c"',
          '',
          '--c',
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: quoted-printable',
          '',
          'caf=C3=A9',
          '--c',
          'Content-Type: text/html',
          '',
          '<p>x</p>',
          '--c--',
          '--b',
          'Content-Type: application/octet-stream; name="a.bin"',
          'Content-Transfer-Encoding: base64',
          '',
          'AAECAw==',
          '--b--',
          '',
        ].join('\r\n'),
      );
      g.gateway.pipeline.append(account, box, raw, { flags: i === 0 ? ['\\Seen'] : [] });
    }
  }
}

/**
 * A mutated window of a transcript, most often behind a clean LOGIN (and SELECT), so that the
 * mutations land on commands of the authenticated and selected states, not only on "log in first".
 */
const sessionArb = fc
  .tuple(fc.constantFrom('', 'login', 'select', 'select'), fc.constantFrom(...ACCOUNTS), mutatedCorpusArb(corpus, 3))
  .map(([prefix, local, input]) => Buffer.concat([Buffer.from(loginFor(prefix, local)), input]));

function loginFor(prefix: string, local: string): string {
  const login = `L1 LOGIN ${local}@agents.example.com "${PASSWORD}"\r\n`;
  return prefix === '' ? '' : prefix === 'login' ? login : `${login}L2 SELECT INBOX\r\n`;
}

/** Commands built from the grammar dictionary, run logged in with INBOX selected (or not). */
const generatedSessionArb = fc
  .tuple(fc.constantFrom('login', 'select', 'select'), fc.constantFrom(...ACCOUNTS), fc.array(generatedCommandArb, { minLength: 1, maxLength: 8 }))
  .map(([prefix, local, commands]) => Buffer.concat([Buffer.from(loginFor(prefix, local)), ...commands.map((c) => (c.at(-1) === 0x0a ? c : Buffer.concat([c, Buffer.from('\r\n')])))]));

describe('IMAP fuzzing: receiver, tokenizer and every command parser', () => {
  it('every command has its grammar in the generator (a new command is fuzzed with its own shapes)', () => {
    expect([...COMMANDS.keys()].filter((name) => !(name in SHAPES))).toEqual([]);
  });

  it('the seed corpus is what real clients send: every session replays with no BAD and no SERVERBUG', async () => {
    expect(corpus.map((s) => s.client).sort()).toEqual(['apple-mail', 'imapflow', 'mbsync', 'thunderbird']);
    const g = await fuzzGateway();
    const errors: string[] = [];
    const services = imapServices(
      g,
      suiteLogger('error', (line) => void errors.push(line)),
    );
    let commands = 0;
    for (const seed of corpus) {
      for (const session of sessionsOf(seed.bytes)) {
        const result = await runSession(services, session, { remoteAddress: '127.0.0.1', budgetMs: 30_000 });
        const tagged = result.lines.filter((l) => /^[^*+]\S* (OK|NO|BAD)\b/.test(l));
        commands += tagged.length;
        expect(result.escaped, seed.client).toBeNull();
        expect(result.hung, seed.client).toBe(false);
        expect(result.lines.filter((l) => / BAD |SERVERBUG/.test(l)), `${seed.client}\n${result.output}`).toEqual([]);
        // Logged in, and went all the way to LOGOUT.
        expect(result.output, seed.client).toMatch(/ OK \[CAPABILITY [^\]]*\] logged in/);
        expect(result.lines.at(-1), seed.client).toMatch(/^\S+ OK /);
      }
    }
    expect(errors).toEqual([]);
    figure('imap corpus commands replayed', commands);
  });

  it(`${TOTAL.toLocaleString('en')} generated and mutated inputs: only Bad/No escape, each input bounded in time, memory bounded`, () => {
    figure('imap fuzz seed', String(SEED));
    const stats = newStats();
    const before = heapAfterGc();
    // Whole corpus transcripts, byte-exact and in random chunks, first.
    for (const seed of corpus) for (const limits of [PRODUCTION_LIMITS, TIGHT_LIMITS]) checkInput(seed.bytes, [7, 100, 1000], limits, stats);
    const mutated = Math.floor(TOTAL * 0.55);
    const generated = Math.floor(TOTAL * 0.3);
    const random = TOTAL - mutated - generated - stats.inputs;
    run(mutatedCorpusArb(corpus), mutated, stats, SEED);
    run(fc.array(generatedCommandArb, { minLength: 1, maxLength: 5 }).map((c) => Buffer.concat(c)), generated, stats, SEED + 1);
    const interesting = fc.constantFrom(0x0d, 0x0a, 0x7b, 0x7d, 0x2b, 0x22, 0x5c, 0x28, 0x29, 0x5b, 0x5d, 0x20, 0x7e, 0x31, 0x30, 0x41, 0x00);
    run(
      fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), interesting), { maxLength: 600 }).map((b) => Buffer.from(b)),
      random,
      stats,
      SEED + 2,
    );
    const after = heapAfterGc();

    figure('imap fuzz inputs run', stats.inputs, 'inputs');
    figure('imap fuzz input bytes', stats.bytes, 'bytes');
    figure('imap fuzz requests framed', stats.requests, 'requests');
    figure('imap fuzz parser calls', stats.parserCalls, 'calls');
    figure('imap fuzz distinct error kinds', stats.errorKinds.size, 'kinds');
    figure('imap fuzz max time per input', Number(stats.maxMs.toFixed(2)), 'ms');
    figure('imap fuzz receiver max buffered', stats.maxBuffered, 'bytes');
    figure('imap fuzz heap growth', Math.round((after - before) / 1024), 'KiB');
    expect(stats.inputs).toBeGreaterThanOrEqual(TOTAL);
    expect(stats.requests).toBeGreaterThan(TOTAL / 2);
    // Many different refusals were reached: the inputs go deep into the grammars, not only the tokenizer.
    expect(stats.errorKinds.size).toBeGreaterThan(CI ? 80 : 120);
    expect(stats.events['literal-too-big'] ?? 0).toBeGreaterThan(0);
    expect(stats.events['line-too-long'] ?? 0).toBeGreaterThan(0);
    expect(stats.maxMs).toBeLessThan(BUDGET_MS);
    // Nothing is kept from one input to the next.
    expect(after - before).toBeLessThan(64 * 1024 * 1024);
  });

  it(`${SESSIONS.toLocaleString('en')} mutated client sessions through real sessions and a real store: no exception, no SERVERBUG, no hang`, async () => {
    const g = await fuzzGateway();
    const errors: string[] = [];
    const services = imapServices(
      g,
      suiteLogger('error', (line) => void errors.push(line)),
    );
    const failures: string[] = [];
    let lines = 0;
    let maxMs = 0;
    let n = 0;
    const tagged = new Map<string, number>();
    const watchdog = startWatchdog('imap-session', 30_000);
    onTestFinished(() => watchdog.stop());
    await fc.assert(
      // Fewer mutations than above, so that sessions get past LOGIN and SELECT into real work.
      fc.asyncProperty(fc.oneof(sessionArb, generatedSessionArb), async (input) => {
        watchdog.tick(input);
        n++;
        // Keep some mail to work on (mutated sessions delete and expunge), but not a growing pile.
        if (n % 1000 === 0) await freshAccounts(g);
        else if (n % 100 === 0) for (const local of ACCOUNTS) if (inboxSize(g, local) < 3) seedMail(g, local);
        const result = await runSession(services, input, { remoteAddress: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, budgetMs: 30_000 });
        lines += result.lines.length;
        maxMs = Math.max(maxMs, result.ms);
        for (const l of result.lines) {
          const m = /^\S+ (OK|NO|BAD)\b/.exec(l);
          if (m) tagged.set(m[1]!, (tagged.get(m[1]!) ?? 0) + 1);
        }
        const bug = result.lines.find((l) => l.includes('SERVERBUG'));
        if (result.escaped !== null || result.hung || bug || errors.length > 0) {
          failures.push(
            `${result.hung ? 'hung' : result.escaped ? `escaped: ${String(result.escaped)}` : (bug ?? 'error logged')}\ninput: ${JSON.stringify(input.toString('latin1').slice(0, 2000))}\nlog: ${errors.slice(0, 3).join('\n')}`,
          );
          errors.length = 0;
          return false;
        }
        return true;
      }),
      { numRuns: SESSIONS, seed: SEED + 3, endOnFailure: true },
    ).catch((err: unknown) => {
      throw new Error(`${failures[0] ?? ''}\n${String(err)}`);
    });
    figure('imap session fuzz sessions', SESSIONS, 'sessions');
    figure('imap session fuzz response lines', lines, 'lines');
    figure('imap session fuzz tagged OK/NO/BAD', `${tagged.get('OK') ?? 0}/${tagged.get('NO') ?? 0}/${tagged.get('BAD') ?? 0}`);
    figure('imap session fuzz max time per session', Math.round(maxMs), 'ms');
    expect(failures).toEqual([]);
    // The mutated sessions still mostly work: the corpus carries them past LOGIN into real commands.
    expect(tagged.get('OK') ?? 0).toBeGreaterThan(SESSIONS);
  });
});
