// npm run bench [-- --quick] [--only <name>[,<name>…]] [--vs dovecot] [--runs N]
//
// Starts the servers under test on loopback (Wicket always; Dovecot with --vs dovecot), seeds
// accounts and mail through IMAP APPEND, runs each workload with its own raw-socket load
// generator, alternating targets (W, D, W, D …) and keeping the median of each figure, then
// prints a table and writes bench/results/<date>.json. Not part of `npm test`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { startWicket } from './lib/wicket.js';
import { seedInbox } from './lib/seed.js';
import { median } from './lib/stats.js';
import type { Figure, Target, TargetName, Workload } from './lib/types.js';
import { WORKLOADS } from './workloads/index.js';

interface Options {
  quick: boolean;
  only: string[] | null;
  vs: TargetName | null;
  runs: number;
  cost: number;
}

function usage(problem: string): never {
  console.error(`bench: ${problem}`);
  console.error('usage: npm run bench -- [--quick] [--only <workload>[,…]] [--vs dovecot] [--runs N] [--host 127.0.0.1]');
  console.error(`workloads: ${WORKLOADS.map((w) => w.name).join(', ')}`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { quick: false, only: null, vs: null, runs: 0, cost: Number(process.env.BENCH_BCRYPT_COST ?? 12) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => argv[++i] ?? usage(`${arg} needs a value`);
    if (arg === '--quick') opts.quick = true;
    else if (arg === '--only') opts.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (arg === '--vs') {
      const v = value();
      if (v !== 'dovecot') usage(`--vs ${v}: only "dovecot" is supported`);
      opts.vs = 'dovecot';
    } else if (arg === '--runs') opts.runs = Number(value());
    else if (arg === '--host') {
      // The servers run here, on loopback; a load test aimed elsewhere is refused.
      const host = value();
      if (!['127.0.0.1', 'localhost', '::1'].includes(host)) usage(`--host ${host}: the bench runs only against loopback (127.0.0.1)`);
    } else usage(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 0 || opts.runs > 50) usage('--runs must be a whole number from 1 to 50');
  if (opts.runs === 0) opts.runs = opts.quick ? 1 : 3;
  if (!Number.isInteger(opts.cost) || opts.cost < 4 || opts.cost > 16) usage('BENCH_BCRYPT_COST must be 4–16');
  for (const name of opts.only ?? []) if (!WORKLOADS.some((w) => w.name === name)) usage(`no workload "${name}"`);
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
// A partial run (--only) gets its own file, so it never overwrites a whole run of the same day.
const resultsFile = resolve(
  import.meta.dirname,
  'results',
  `${new Date().toISOString().slice(0, 10)}${opts.quick ? '-quick' : ''}${opts.vs ? `-vs-${opts.vs}` : ''}${opts.only ? `-only-${opts.only.join('+')}` : ''}.json`,
);
mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
const log = (line: string) => process.stderr.write(`${line}\n`);

// Everything started is stopped, and every temporary directory removed, on exit or Ctrl-C.
const running = new Set<Target>();
const dirs = new Set<string>();
async function cleanup(): Promise<void> {
  await Promise.allSettled([...running].map((t) => t.stop()));
  running.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // `on`, not `once`: a second Ctrl-C must not kill this process before its servers are gone.
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`\n${signal}: stopping the servers and removing their data`);
    // Servers that do not stop within 20 s are killed by the exit handlers (whole process trees).
    const deadline = setTimeout(() => process.exit(130), 20_000);
    void cleanup().finally(() => {
      clearTimeout(deadline);
      process.exit(130);
    });
  });
}

async function start(name: TargetName, workload: Workload): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), `wicket-bench-${name}-`));
  dirs.add(dir);
  const setup = workload.setup(opts.quick);
  const target =
    name === 'wicket'
      ? await startWicket({ dir, accounts: setup.accounts, bcryptCost: setup.bcryptCost ?? opts.cost })
      : await (await import('./lib/dovecot.js')).startDovecot({ dir, accounts: setup.accounts, bcryptCost: setup.bcryptCost ?? opts.cost });
  running.add(target);
  for (const s of setup.seed ?? []) await seedInbox(target, target.accounts[s.account]!, s.messages, log);
  return target;
}

async function stop(target: Target): Promise<void> {
  await target.stop();
  running.delete(target);
}

interface Row {
  workload: string;
  figure: string;
  unit: string;
  better: 'higher' | 'lower';
  goal: Figure['goal'] | null;
  values: Partial<Record<TargetName, number[]>>;
  errors: Partial<Record<TargetName, number>>;
}

const rows: Row[] = [];
const failures: string[] = [];

function record(workload: string, target: TargetName, figures: Figure[]): void {
  for (const f of figures) {
    let row = rows.find((r) => r.workload === workload && r.figure === f.name);
    if (!row) {
      row = { workload, figure: f.name, unit: f.unit, better: f.better, goal: f.goal ?? null, values: {}, errors: {} };
      rows.push(row);
    }
    (row.values[target] ??= []).push(f.value);
    row.errors[target] = (row.errors[target] ?? 0) + f.errors;
  }
}

const format = (v: number | undefined): string =>
  v === undefined || Number.isNaN(v) ? '—' : Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en') : v.toFixed(v >= 10 ? 1 : 2);

const selected = WORKLOADS.filter((w) => opts.only === null || opts.only.includes(w.name));
const targets: TargetName[] = opts.vs ? ['wicket', opts.vs] : ['wicket'];
log(`Wicket benchmark: ${selected.map((w) => w.name).join(', ')}${opts.quick ? ' (quick)' : ''}; ${targets.join(' vs ')}; ${opts.runs} run(s) each; bcrypt cost ${opts.cost}`);

try {
  for (const workload of selected) {
    log(`\n${workload.name}: ${workload.description}`);
    const began = performance.now();
    const active = targets.filter((t) => workload.targets.includes(t));
    const started: Partial<Record<TargetName, Target>> = {};
    try {
      for (const name of active) started[name] = await start(name, workload);
      // W, D, W, D …: the machine's noise falls on both alike.
      for (let run = 1; run <= opts.runs; run++) {
        for (const name of active) {
          log(`  run ${run}/${opts.runs} against ${name}`);
          try {
            record(workload.name, name, await workload.run({ target: started[name]!, quick: opts.quick, log }));
          } catch (err) {
            failures.push(`${workload.name} against ${name}, run ${run}: ${(err as Error).message}`);
            log(`  FAILED: ${(err as Error).message}`);
          }
        }
      }
    } finally {
      for (const t of Object.values(started)) await stop(t);
      log(`  ${workload.name} took ${((performance.now() - began) / 1000).toFixed(1)} s`);
      writeResults(false);
    }
  }
} finally {
  await cleanup();
}

// The table: medians per target, the ratio Wicket/Dovecot, the goal and whether it is met.
function tabulate() {
  return rows.map((r) => {
    const w = r.values.wicket ? median(r.values.wicket) : undefined;
    const d = opts.vs && r.values[opts.vs] ? median(r.values[opts.vs]!) : undefined;
    const failed = (r.errors.wicket ?? 0) > 0;
    const met = r.goal && w !== undefined && !failed ? (r.goal.op === '>=' ? w >= r.goal.value : w <= r.goal.value) : null;
    return {
      cells: [
        r.workload,
        `${r.figure} (${r.unit})`,
        failed ? `FAILED (${r.errors.wicket} errors)` : format(w),
        ...(opts.vs ? [(r.errors[opts.vs] ?? 0) > 0 ? `FAILED (${r.errors[opts.vs]} errors)` : format(d), w !== undefined && d ? `${(w / d).toFixed(2)}×` : '—'] : []),
        r.goal ? `${r.goal.op} ${format(r.goal.value)}` : '',
        met === null ? '' : met ? 'yes' : 'NO',
      ],
      row: r,
      wicket: w,
      other: d,
      met,
    };
  });
}

/** Writes what has been measured so far: after every workload, so an interrupted run keeps its figures. */
function writeResults(complete: boolean): void {
  const table = tabulate();
  writeFileSync(
    resultsFile,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        complete,
        machine: { cpus: cpus().length, model: cpus()[0]?.model ?? null, memory_bytes: totalmem(), node: process.version, platform: process.platform },
        options: { quick: opts.quick, only: opts.only, vs: opts.vs, runs: opts.runs, bcrypt_cost: opts.cost },
        figures: table.map((t) => ({
          workload: t.row.workload,
          figure: t.row.figure,
          unit: t.row.unit,
          better: t.row.better,
          wicket: t.wicket ?? null,
          ...(opts.vs ? { [opts.vs]: t.other ?? null, ratio: t.wicket !== undefined && t.other ? t.wicket / t.other : null } : {}),
          runs: t.row.values,
          errors: t.row.errors,
          goal: t.row.goal,
          met: t.met,
        })),
        failures,
      },
      null,
      2,
    )}\n`,
  );
}

const table = tabulate();
const header = ['workload', 'figure', 'wicket', ...(opts.vs ? [opts.vs, 'ratio'] : []), 'goal', 'met'];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t.cells[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const t of table) console.log(line(t.cells));
for (const f of failures) console.log(`FAILED: ${f}`);

writeResults(true);
console.log(`\nresults: ${resultsFile}`);
process.exit(failures.length > 0 || rows.some((r) => Object.values(r.errors).some((e) => (e ?? 0) > 0)) ? 1 : 0);
