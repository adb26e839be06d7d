// Issue 10, item 7, across the whole suite: every log line any test of `npm run test:reliability`
// made its gateways write — in-process gateways, `wicket serve` children and CLI commands, all at
// trace level — is searched for every secret any test made, was given or presented (the ledger
// of test/helpers/suite-ledger.ts), in every form a secret travels in. This file runs last (see
// sequencer.ts). secrets.test.ts proves the same for one session's answers, errors and metrics.
//
// The one line allowed to hold a secret is the start-up line that prints the first-run setup
// link (issue 9, by design: the operator needs it); every setup token seen there is itself
// searched for everywhere else.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOG_PREFIX, type NotedSecret, SECRETS_PREFIX, ledgerDir, secretForms } from '../helpers/suite-ledger.js';
import { figure } from './figures.js';

/** The spellings grep can look for: one line each (a PEM key is looked for line by line). */
const formsOf = (s: Pick<NotedSecret, 'value' | 'user'>): string[] => secretForms(s.value, s.user).filter((f) => !f.includes('\n'));

const SETUP_LINK = /\/dashboard\/setup\?token=([A-Za-z0-9_-]+)/;
const isSetupLine = (line: string) => line.includes('"msg":"no dashboard user yet') && SETUP_LINK.test(line);

function readSecrets(dir: string): NotedSecret[] {
  const all: NotedSecret[] = [];
  for (const name of readdirSync(dir).filter((n) => n.startsWith(SECRETS_PREFIX))) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) if (line) all.push(JSON.parse(line) as NotedSecret);
  }
  return all;
}

function countLines(path: string): number {
  const data = readFileSync(path);
  let n = 0;
  for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, i + 1)) n++;
  return n;
}

/** `grep -F` (Aho–Corasick over all the patterns at once): the lines of the files holding any. */
function grepFixed(patternsFile: string, files: string[]): string[] {
  if (files.length === 0) return [];
  const r = spawnSync('grep', ['-F', '-h', '-f', patternsFile, '--', ...files], { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status === 2 || r.error) throw new Error(`grep failed: ${r.error?.message ?? r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.length > 0);
}

describe('secrets sweep over the whole suite', () => {
  it('no secret used anywhere in the suite appears in any log line the suite wrote', (ctx) => {
    const dir = ledgerDir();
    expect(dir, 'the reliability config sets a ledger (global-setup.ts)').toBeDefined();
    const logs = readdirSync(dir!)
      .filter((n) => n.startsWith(LOG_PREFIX))
      .map((n) => join(dir!, n));
    const testFiles = new Set(logs.map((p) => /^log-(.+?\.test\.ts)-/.exec(p.slice(dir!.length + 1))?.[1] ?? 'outside-a-test'));
    if (logs.length === 0) ctx.skip(); // run alone: no other file of the suite wrote anything

    // The machinery is checked on a control file: a canary secret in each form must be found.
    const canary = { what: 'canary', value: `Canary-${process.pid}-P4ss-${Date.now()}`, user: 'canary@agents.example.com' };
    const canaryForms = formsOf(canary);
    const canaryFile = join(dir!, `${LOG_PREFIX}sweep-canary.log`);
    writeFileSync(canaryFile, `${canaryForms.map((f, i) => JSON.stringify({ level: 10, msg: `canary ${i}`, text: `before ${f} after` })).join('\n')}\n`);

    // Every gateway's setup token, as its start-up line printed it, is a secret too.
    const secrets = readSecrets(dir!);
    const startUpLines = grepFixed(writePatterns(dir!, ['/dashboard/setup?token=']), logs).filter(isSetupLine);
    for (const line of startUpLines) secrets.push({ what: 'setup token (start-up line)', value: SETUP_LINK.exec(line)![1]!, file: 'start-up line' });
    secrets.push({ ...canary, file: 'sweep' });

    const formsBySecret = secrets.map((s) => ({ secret: s, forms: formsOf(s) }));
    const patterns = writePatterns(dir!, formsBySecret.flatMap((x) => x.forms));
    const hits = grepFixed(patterns, [...logs, canaryFile]);

    const leaks: string[] = [];
    let canaryFound = 0;
    for (const line of hits) {
      for (const { secret, forms } of formsBySecret) {
        const form = forms.find((f) => line.includes(f));
        if (!form) continue;
        if (secret === secrets.at(-1)) {
          canaryFound++;
          continue;
        }
        // By design: the start-up line of a gateway shows its own setup link.
        if (isSetupLine(line) && SETUP_LINK.exec(line)![1] === secret.value) continue;
        leaks.push(`${secret.what} (used by ${secret.file})${form === secret.value ? '' : ' (encoded)'} in: ${line.slice(0, 300)}`);
      }
    }
    // Password hashes stay out of the logs too.
    const hashes = spawnSync('grep', ['-E', '-h', '-m', '5', '\\$2[aby]\\$[0-9]{2}\\$', '--', ...logs], { encoding: 'utf8', maxBuffer: 1 << 26 });
    for (const line of hashes.stdout.split('\n').filter(Boolean)) leaks.push(`a bcrypt hash in: ${line.slice(0, 300)}`);

    const lines = logs.reduce((n, p) => n + countLines(p), 0);
    const bytes = logs.reduce((n, p) => n + statSync(p).size, 0);
    const kinds = new Map<string, number>();
    for (const s of secrets.slice(0, -1)) {
      const kind = s.what.replace(/ \(.*\)$/, '').replace(/ of \S+$/, '');
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    figure('sweep log lines searched (trace level, every gateway, serve child and CLI command of the suite)', lines, 'lines');
    figure('sweep log bytes searched', Math.round(bytes / 1024 / 1024), 'MiB');
    figure('sweep test files that wrote logs', testFiles.size, [...testFiles].sort().join(', '));
    figure('sweep secrets searched for', secrets.length - 1, `(${formsBySecret.reduce((n, x) => n + x.forms.length, 0) - canaryForms.length} spellings)`);
    figure('sweep secrets by kind', [...kinds].map(([k, n]) => `${k} ${n}`).join(', '));
    figure('sweep leaks', leaks.length);

    expect(canaryFound, 'every spelling of the canary is found: the search works').toBe(canaryForms.length);
    expect(leaks.slice(0, 20)).toEqual([]);
    // Not vacuous: the suite did log, and did use secrets of the kinds the issue names.
    expect(lines).toBeGreaterThan(0);
    expect(secrets.length).toBeGreaterThan(1);
    if (testFiles.has('secrets.test.ts')) {
      for (const kind of ['app password', 'API key', 'session cookie', 'TOTP secret', 'DKIM private key', 'webhook secret', 'team password']) expect([...kinds.keys()]).toContain(kind);
    }
  });
});

let patternFiles = 0;
function writePatterns(dir: string, patterns: string[]): string {
  const path = join(dir, `patterns-${++patternFiles}.txt`);
  writeFileSync(path, `${[...new Set(patterns)].join('\n')}\n`);
  return path;
}
