// Retention: a policy's limit_inbox_retention_period and limit_spam_retention_period (days; -1
// keeps mail forever) applied in the background. A message is old when its internal date (the
// IMAP INTERNALDATE: when it arrived, or the date an APPEND gave it) is more than the period
// before now. Old INBOX and Junk (\Junk) messages are removed as the API's DELETE removes them
// (MailStore.removeMessages): open IMAP sessions see EXPUNGE and webhooks hear message.deleted.
// Every other folder is left alone. Each run does bounded work — at most `budget` messages, the
// oldest of each folder first — and a run that used all of it is followed by another soon.
// Rule evaluations (the audit trail) older than 30 days go too, within the same budget.
import { INSTALLATION_LIMITS } from '../delivery/governance.js';
import type { Logger } from '../log.js';
import { effectiveLimits } from '../policy/limits.js';
import type { Store } from '../store/store.js';
import type { Account, Folder } from '../store/types.js';

const DAY_MS = 86_400_000;
/** Messages removed per write: one transaction (and one EXPUNGE burst) stays small. */
const BATCH = 100;
/** Days rule evaluations are kept. */
export const EVALUATION_RETENTION_DAYS = 30;

export interface RetentionResult {
  /** Messages removed. */
  removed: number;
  /** Accounts that had messages removed. */
  accounts: number;
  /** Rule evaluations pruned. */
  evaluations: number;
}

/** A retention period in days, or null when mail is kept forever (-1, or anything below 0). */
const periodOf = (days: number | undefined): number | null => (days === undefined || days < 0 ? null : days);

interface Periods {
  inbox: number | null;
  spam: number | null;
}

/**
 * One pass over every account whose effective policy sets a retention period: removes INBOX
 * and Junk messages whose internal date is before `now` minus the period, oldest first, at most
 * `budget` in all; then prunes rule evaluations older than 30 days (at most `budget` of them).
 * A folder that cannot be cleaned is logged and skipped; the others still are.
 */
export function runRetention(store: Store, log: Logger, now: Date, budget = 500): RetentionResult {
  let removed = 0;
  let accounts = 0;
  for (const app of store.directory.listApplications()) {
    if (removed >= budget) break;
    // The periods of each workspace: its policy's own, else the installation's (forever).
    const byWorkspace = new Map<string, Periods>();
    for (const workspace of store.directory.listWorkspaces(app.id)) {
      const policy = workspace.policyId ? (store.governance.getPolicy(app.id, workspace.policyId) ?? null) : null;
      const limits = effectiveLimits(policy, INSTALLATION_LIMITS);
      const periods = { inbox: periodOf(limits.limit_inbox_retention_period), spam: periodOf(limits.limit_spam_retention_period) };
      if (periods.inbox !== null || periods.spam !== null) byWorkspace.set(workspace.id, periods);
    }
    if (byWorkspace.size === 0) continue;
    for (const account of store.directory.listAccounts(app.id)) {
      if (removed >= budget) break;
      const periods = byWorkspace.get(account.workspaceId);
      if (!periods) continue;
      const n = cleanAccount(store, log, account, periods, now, budget - removed);
      if (n > 0) {
        removed += n;
        accounts++;
      }
    }
  }

  const evaluationsBefore = Math.floor(now.getTime() / 1000) - EVALUATION_RETENTION_DAYS * 86_400;
  let evaluations = 0;
  try {
    evaluations = store.governance.pruneEvaluations(evaluationsBefore, budget);
  } catch (err) {
    log.error({ err }, 'retention: pruning old rule evaluations failed');
  }
  if (removed > 0 || evaluations > 0) {
    log.info(
      { messages: removed, accounts, evaluations, more: removed >= budget || evaluations >= budget },
      'retention removed old mail and rule evaluations',
    );
  }
  return { removed, accounts, evaluations };
}

/** Removes up to `allowance` old messages of one account's INBOX and Junk; returns how many. */
function cleanAccount(store: Store, log: Logger, account: Account, periods: Periods, now: Date, allowance: number): number {
  const targets: { folder: Folder; days: number }[] = [];
  for (const folder of store.mail.listMailboxes(account.id)) {
    if (folder.noselect) continue;
    if (folder.name === 'INBOX' && periods.inbox !== null) targets.push({ folder, days: periods.inbox });
    else if (folder.specialUse === '\\Junk' && periods.spam !== null) targets.push({ folder, days: periods.spam });
  }
  let removed = 0;
  for (const { folder, days } of targets) {
    const before = new Date(now.getTime() - days * DAY_MS);
    let fromFolder = 0;
    try {
      while (removed < allowance) {
        const want = Math.min(BATCH, allowance - removed);
        const uids = store.mail.uidsOlderThan(folder.id, before, want);
        if (uids.length === 0) break;
        const gone = store.mail.removeMessages(account.id, folder.id, uids).length;
        removed += gone;
        fromFolder += gone;
        // Fewer than asked for: nothing older is left (or it went meanwhile).
        if (uids.length < want || gone === 0) break;
      }
    } catch (err) {
      log.error({ err, account: account.email, folder: folder.name }, 'retention: removing old messages failed; the folder is skipped this run');
    }
    if (fromFolder > 0) {
      log.info({ account: account.email, folder: folder.name, messages: fromFolder, older_than_days: days }, 'retention removed old messages');
    }
  }
  return removed;
}

export interface RetentionSchedule {
  /** Between runs that caught up (default an hour). */
  intervalMs?: number;
  /** What "now" is for each run. */
  clock?: (() => Date) | undefined;
  /** Before the first run (default 10 s: after the listeners are up). */
  firstRunMs?: number;
  /** After a run that used its whole budget (default 5 s), until a run catches up. */
  catchUpMs?: number;
  /** Messages (and, separately, rule evaluations) per run. */
  budget?: number;
}

/**
 * Runs retention shortly after start, then every `intervalMs`; sooner while a backlog remains.
 * Runs never overlap (the next is scheduled when one ends) and a failure is logged, not thrown.
 * The returned function stops it.
 */
export function startRetention(store: Store, log: Logger, opts: RetentionSchedule = {}): () => void {
  const intervalMs = opts.intervalMs ?? 60 * 60_000;
  const clock = opts.clock ?? (() => new Date());
  const catchUpMs = opts.catchUpMs ?? 5_000;
  const budget = opts.budget ?? 500;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const schedule = (ms: number): void => {
    if (stopped) return;
    timer = setTimeout(run, ms);
    timer.unref();
  };
  const run = (): void => {
    timer = undefined;
    if (stopped) return;
    let next = intervalMs;
    try {
      const result = runRetention(store, log, clock(), budget);
      if (result.removed >= budget || result.evaluations >= budget) next = Math.min(catchUpMs, intervalMs);
    } catch (err) {
      log.error({ err }, 'retention run failed; trying again at the next interval');
    }
    schedule(next);
  };

  schedule(opts.firstRunMs ?? 10_000);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
}
