// Policies and rules, enforced for the delivery pipeline and the SMTP listeners (PRODUCT.md
// "Policies", "Rules"). An account's workspace names its policy (limits, spam settings) and its
// rules; this finds them, runs the pure evaluator (src/policy/evaluate.ts) and the limit checks
// (src/policy/limits.ts), turns a breach into a DeliveryRefused with the precise SMTP and HTTP
// answer, and writes every evaluation to the audit trail (rule-evaluations).
//
// Evaluation fails closed: a rule that cannot be evaluated refuses the message with a temporary
// error (SMTP 451 4.7.1, API 503) rather than letting it through unchecked.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import { RuleEvaluationError, evaluateRules } from '../policy/evaluate.js';
import { type LimitViolation as Violation, checkDaily, checkMessage, checkStorage, effectiveLimits, utcDay } from '../policy/limits.js';
import type { AppliedActions, Decision, ListItems, MessageContext, Policy, PolicyLimits, RuleTrigger, Stage } from '../policy/types.js';
import type { Store } from '../store/store.js';
import type { Account, Workspace } from '../store/types.js';
import { listIdsOf } from '../accounts/lists.js';
import { DeliveryRefused } from './refusal.js';

/** The installation's limits where a policy says nothing: none (the listeners' sizes still hold). */
export const INSTALLATION_LIMITS: Required<PolicyLimits> = {
  limit_attachment_size_limit: -1,
  limit_attachment_count_limit: -1,
  limit_attachment_allowed_types: [],
  limit_size_total_mime: -1,
  limit_storage_total: -1,
  limit_count_daily_message_received: -1,
  limit_count_daily_email_sent: -1,
  limit_inbox_retention_period: -1,
  limit_spam_retention_period: -1,
};

const refusalOf = (v: Violation): DeliveryRefused =>
  new DeliveryRefused(v.smtp.code, v.smtp.enhanced, v.message, {
    http: v.http,
    ...(v.retryAfterSeconds !== undefined ? { retryAfterSeconds: v.retryAfterSeconds } : {}),
    ...(v.imapCode ? { imapCode: v.imapCode } : {}),
  });

export interface Evaluated {
  decision: Decision;
  /** Records the evaluation (after the message is stored, with its id and what was done). */
  record(messageId: string | null, applied: AppliedActions): void;
}

/** What governs an account: its workspace, that workspace's policy, and the limits in force. */
interface Settings {
  workspace: Workspace | undefined;
  policy: Policy | null;
  limits: Required<PolicyLimits>;
}

export class Governance {
  /**
   * Settings looked up in this turn of the event loop, by workspace: one message asks for
   * them many times (RCPT, each limit, the rules), and nothing can change them within a turn.
   * Cleared at the next turn, so a change made by the API or the CLI counts from the next one.
   */
  private readonly turn = new Map<string, Settings>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  now(): Date {
    return this.clock();
  }

  private settings(account: Account): Settings {
    let settings = this.turn.get(account.workspaceId);
    if (!settings) {
      const workspace = this.store.directory.getWorkspace(account.workspaceId);
      const policy = workspace?.policyId ? (this.store.governance.getPolicy(account.applicationId, workspace.policyId) ?? null) : null;
      settings = { workspace, policy, limits: effectiveLimits(policy, INSTALLATION_LIMITS) };
      if (this.turn.size === 0) setImmediate(() => this.turn.clear());
      this.turn.set(account.workspaceId, settings);
    }
    return settings;
  }

  policyOf(account: Account): Policy | null {
    return this.settings(account).policy;
  }

  limitsOf(account: Account): Required<PolicyLimits> {
    return this.settings(account).limits;
  }

  /**
   * Runs the account's rules of one trigger on a message and returns the decision, with a way
   * to record it. Null when the account's workspace has no rules of that trigger (nothing is
   * evaluated, nothing recorded). A rule that cannot be evaluated is recorded as an error and
   * refuses the message (fail closed).
   */
  evaluate(account: Account, stage: Stage, trigger: RuleTrigger, ctx: MessageContext): Evaluated | null {
    const { workspace } = this.settings(account);
    if (!workspace || workspace.ruleIds.length === 0) return null;
    const at = Math.floor(this.clock().getTime() / 1000);
    const base = { accountId: account.id, stage, input: ctx, evaluatedAt: at };
    let decision: Decision;
    try {
      const rules = this.store.governance.rulesByIds(account.applicationId, workspace.ruleIds).filter((r) => r.trigger === trigger && r.enabled);
      if (rules.length === 0) return null;
      decision = evaluateRules(rules, this.listsFor(account.applicationId, rules), ctx, trigger);
    } catch (err) {
      const reason = err instanceof RuleEvaluationError ? err.message : 'the rules could not be evaluated';
      this.log.error({ err, account: account.email, stage }, 'rule evaluation failed; refusing the message');
      this.store.governance.recordEvaluation({ ...base, id: randomUUID(), messageId: null, matchedRuleIds: [], appliedActions: {}, error: reason });
      throw new DeliveryRefused(451, '4.7.1', 'the recipient\'s rules could not be evaluated; try again later', { http: 503 });
    }
    return {
      decision,
      record: (messageId, applied) => {
        this.store.governance.recordEvaluation({
          ...base,
          id: randomUUID(),
          messageId,
          matchedRuleIds: decision.matchedRuleIds,
          appliedActions: applied,
          error: null,
        });
      },
    };
  }

  /** The items of every list the rules name (a missing list is left out: the evaluator fails closed). */
  private listsFor(applicationId: string, rules: { match: { conditions: { operator: string; value: string | string[] }[] } }[]): Map<string, ListItems> {
    const lists = new Map<string, ListItems>();
    for (const rule of rules) {
      for (const c of rule.match.conditions) {
        if (c.operator !== 'in_list') continue;
        for (const id of listIdsOf(c.value)) {
          if (lists.has(id)) continue;
          const list = this.store.governance.getList(applicationId, id);
          if (list) lists.set(id, { type: list.type, items: new Set(this.store.governance.allListItems(id)) });
        }
      }
    }
    return lists;
  }

  /** An inbound `block` rule, at RCPT time (stage smtp_rcpt): the refusal, or null. */
  refuseAtRcpt(account: Account, sender: string): DeliveryRefused | null {
    const evaluated = this.evaluate(account, 'smtp_rcpt', 'inbound', { stage: 'smtp_rcpt', from: sender.toLowerCase(), recipients: [account.email] });
    if (!evaluated) return null;
    if (evaluated.decision.blocked) {
      evaluated.record(null, { blocked: true });
      return new DeliveryRefused(550, '5.7.1', `<${account.email}>: message refused by the recipient's rules`, { http: 403 });
    }
    evaluated.record(null, {});
    return null;
  }

  /** The account may still receive today (limit_count_daily_message_received). */
  checkReceiveQuota(account: Account): DeliveryRefused | null {
    const limits = this.limitsOf(account);
    if (limits.limit_count_daily_message_received === -1) return null;
    const v = checkDaily(limits.limit_count_daily_message_received, this.store.governance.dailyCounts(account.id, utcDay(this.clock())).received, 'received', this.clock());
    return v && refusalOf(v);
  }

  /** The account may still send today (limit_count_daily_email_sent). */
  checkSendQuota(account: Account): DeliveryRefused | null {
    const limits = this.limitsOf(account);
    if (limits.limit_count_daily_email_sent === -1) return null;
    const v = checkDaily(limits.limit_count_daily_email_sent, this.store.governance.dailyCounts(account.id, utcDay(this.clock())).sent, 'sent', this.clock());
    return v && refusalOf(v);
  }

  /** Size and attachments of a message against the account's policy. */
  checkMessage(account: Account, raw: Buffer, attachments: () => { filename: string | null; contentType: string; size: number }[]): DeliveryRefused | null {
    const limits = this.limitsOf(account);
    const needsAttachments =
      limits.limit_attachment_count_limit !== -1 || limits.limit_attachment_size_limit !== -1 || limits.limit_attachment_allowed_types.length > 0;
    const v = checkMessage(limits, { size: raw.length, attachments: needsAttachments ? attachments() : [] });
    return v && refusalOf(v);
  }

  /** Storage: the account can keep `adding` more bytes (limit_storage_total). */
  checkStorage(account: Account, adding: number): DeliveryRefused | null {
    const limit = this.limitsOf(account).limit_storage_total;
    if (limit === -1) return null;
    const v = checkStorage(limit, this.store.governance.storageUsed(account.id), adding);
    return v && refusalOf(v);
  }

  /** The largest message the account may send or receive (SMTP SIZE), or null when unlimited. */
  maxMessageSize(account: Account): number | null {
    const limit = this.limitsOf(account).limit_size_total_mime;
    return limit === -1 ? null : limit;
  }

  count(accountId: string, kind: 'sent' | 'received', n = 1): void {
    this.store.governance.addDailyCount(accountId, utcDay(this.clock()), kind, n);
  }
}
